/** Jest runs the TypeScript sources directly; `npm test` type-checks everything with tsc first (pretest). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testTimeout: 60000,
  // Most test time is spent waiting on the emulator over HTTP (import jobs, polling), not computing, so two workers
  // halve the wall time on CI's two cores (jest's default there is one). The whole suite passed with two workers on
  // this machine at load average 12, so the tests do not depend on having a core to themselves.
  maxWorkers: 2,
};
