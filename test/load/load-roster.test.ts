import * as path from "node:path";
import { loadRoster } from "../../load/load-roster";
import { loadStackProfile } from "../../load/stack-profile";
import { fixtureCases, fixtureProfile, REPO_ROOT, type FixtureCase } from "../core/fixture-cases";

function run(c: FixtureCase) {
  return loadRoster({ usersDir: path.join(c.dir, "users"), repoRoot: c.dir, profile: c.profile });
}

describe("loadRoster over the fixture trees", () => {
  const cases = [...fixtureCases("valid"), ...fixtureCases("invalid")];

  it("has one invalid case per rule and some valid ones", () => {
    expect(cases.filter((c) => c.kind === "invalid").length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.kind === "valid").length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases.map((c) => [`${c.kind}/${c.name}`, c] as const))("%s", (_label, c) => {
    const roster = run(c);
    expect(roster.diagnostics.map(({ code, file, line, col }) => ({ code, file, line, col }))).toEqual(c.expected.diagnostics);
    expect(roster.users).toHaveLength(c.expected.users);
    if (c.kind === "valid") expect(roster.diagnostics).toEqual([]);
    else expect(roster.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });
});

describe("loadRoster", () => {
  // The fixture trees below predate the dev stack's phone requirement: they are read with the frozen test profile.
  const profile = fixtureProfile();

  it("accepts the example users tree of the repository under the dev stack", () => {
    const dev = loadStackProfile(REPO_ROOT, "dev").profile!;
    const roster = loadRoster({ usersDir: path.join(REPO_ROOT, "examples", "users"), repoRoot: REPO_ROOT, profile: dev });
    expect(roster.diagnostics).toEqual([]);
    expect(roster.fileCount).toBeGreaterThanOrEqual(4);
    expect(roster.users.length).toBeGreaterThanOrEqual(8);
    for (const user of roster.users) {
      expect(user.username).toBe(user.attributes.email);
      expect(user.mfaEnabled).toBe(true);
      expect(user.attributes.email_verified).toBe(true);
      expect(user.source.file).toMatch(/^examples\/users\/[a-z-]+\/[^/]+\.ya?ml$/);
    }
  });

  it("merges defaults under each user, the user's own value winning, in file then document order", () => {
    const dir = path.join(REPO_ROOT, "test", "fixtures", "valid", "defaults-overridden");
    const roster = loadRoster({ usersDir: path.join(dir, "users"), repoRoot: dir, profile });
    expect(roster.users.map((u) => u.username)).toEqual(["ann.example@example.nhs.uk", "bob.example@example.nhs.uk"]);
    expect(roster.users[0]).toMatchObject({
      mfaEnabled: true,
      enabled: true,
      attributes: { email_verified: true },
      source: { file: "users/office/people.yaml", line: 5, col: 3 },
    });
    expect(roster.users[0].attributes).not.toHaveProperty("username");
    expect(roster.users[0].attributes).not.toHaveProperty("mfa_enabled");
  });

  it("names the first place in a duplicate username report", () => {
    const dir = path.join(REPO_ROOT, "test", "fixtures", "invalid", "duplicate-username-across-files");
    const roster = loadRoster({ usersDir: path.join(dir, "users"), repoRoot: dir, profile });
    expect(roster.diagnostics[0].message).toContain("is also declared at users/kss/intake.yaml:2:15");
    expect(roster.users.map((u) => u.source.file)).toEqual(["users/kss/intake.yaml", "users/london/2026-08.yaml"]);
  });

  it("reports a users directory that does not exist", () => {
    const roster = loadRoster({ usersDir: path.join(REPO_ROOT, "no-such-dir"), repoRoot: REPO_ROOT, profile });
    expect(roster.diagnostics).toMatchObject([{ code: "USERS_DIR_NOT_FOUND", severity: "error" }]);
  });
});
