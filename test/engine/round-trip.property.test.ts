/**
 * Values survive the whole way (issue 21): any users the schema and the rules accept — YAML-special strings,
 * Unicode, commas, `#` and `: ` inside values, Number attributes of any size, leading zeros and signs, mixed-case
 * usernames in a case-insensitive pool, empty values — of users an import creates (leavers are never imported) go file → import CSV → emulator pool (an import job, through
 * the real SDK) → `cognito-roster export` → file, and come back as the same users: the same attributes, text for text; the
 * exported file then plans no change against the pool.
 *
 * Fixed seed and a small budget (each run creates a pool and runs an import job). A longer run is one command:
 *   ROSTER_PROPERTY_RUNS=200 npx jest test/engine/round-trip.property.test.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import fc from "fast-check";
import { scanPoolUsers } from "../../aws/pool-users";
import type { DeclaredUser } from "../../core/declared-user";
import { exportUsers } from "../../core/export-users";
import type { PoolUser } from "../../core/pool-user";
import type { PoolProfile } from "../../core/profile";
import { applyRoster, planRoster } from "../../engine/reconcile";
import type { RunningEmulator } from "../../emulator";
import { createPool, startEmulatorForSdk } from "../support/emulator-pool";
import { makeCheckout, traineeProfile, type RosterCheckout } from "../support/roster-fixture";
import { checkUsersFileText } from "../support/one-call";

const RUNS = Number(process.env.ROSTER_PROPERTY_RUNS ?? 12);
const SEED = Number(process.env.ROSTER_PROPERTY_SEED ?? 20261206);
const FAST = { pollMinMs: 5, pollMaxMs: 20, retryMinMs: 5 };
const FILE = "users/round-trip/all.yaml";

let emulator: RunningEmulator;
let stopEmulator: () => Promise<void>;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  ({ emulator, stop: stopEmulator } = await startEmulatorForSdk());
  cognito = new CognitoIdentityProviderClient({ region: "eu-west-2" });
});
afterAll(async () => {
  cognito.destroy();
  await stopEmulator();
});

function profileForRun(): PoolProfile {
  return traineeProfile({
    usernameMustEqualEmail: false,
    usernameCaseSensitive: false,
    mfaConfiguration: "OPTIONAL",
    customAttributes: {
      tisId: { type: "String", minLength: 1, maxLength: 20 },
      level: { type: "Number" },
    },
  });
}

// Characters and words that matter to YAML, to Cognito's CSV or to a reader.
const PIECES = [
  ..."abcXYZ019 ,:#'-&*!|>%@`~.=+/?[]{}é",
  "😀",
  "true",
  "False",
  "null",
  "~",
  "007",
  "-0",
  "1e3",
  "0x1F",
  ".inf",
  "1985-02-01",
  "yes",
  "O'Brien",
  ": ",
  " #",
  "\u00a0",
  "\u3164",
  "'",
];
const text = fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 6 }).map((a) => a.join(""));
const digits = fc.oneof(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String), fc.constantFrom("007", "-0", "0", "00", "-0012"));
const usernameText = fc.stringMatching(/^[A-Za-z0-9._@+-]{1,20}$/);

interface GeneratedUser {
  username: string;
  values: Record<string, { yaml: string }>;
  mfa: boolean;
}

const user = fc
  .record({
    username: usernameText,
    given_name: fc.option(text),
    family_name: fc.option(text),
    middle_name: fc.option(text),
    nickname: fc.option(text),
    address: fc.option(text),
    locale: fc.option(text),
    tisId: fc.option(text),
    level: fc.option(digits),
    mfa: fc.boolean(),
  })
  .map((r): GeneratedUser => {
    const values: Record<string, { yaml: string }> = {};
    for (const key of ["given_name", "family_name", "middle_name", "nickname", "address", "locale"] as const) {
      const v = r[key];
      if (v !== null) values[key] = { yaml: JSON.stringify(v) };
    }
    if (r.tisId !== null) values["custom:tisId"] = { yaml: JSON.stringify(r.tisId) };
    if (r.level !== null) values["custom:level"] = { yaml: r.level };
    return { username: r.username, values, mfa: r.mfa };
  });

function entryLines(u: GeneratedUser, index: number): string[] {
  const email = `rt.${index}@example.com`;
  const lines = [
    `  - username: ${JSON.stringify(u.username)}`,
    `    email: ${email}`,
    "    email_verified: true",
    `    mfa_enabled: ${u.mfa}`,
  ];
  for (const [key, v] of Object.entries(u.values)) lines.push(`    ${key}: ${v.yaml}`);
  return lines;
}

const fileText = (entries: string[][]) => `users:\n${entries.map((e) => `${e.join("\n")}\n`).join("")}`;

/** Only the users a users file accepts without an error (and with distinct usernames, ignoring case). */
function acceptedEntries(profile: PoolProfile, users: readonly GeneratedUser[]): string[][] {
  const seen = new Set<string>();
  const entries: string[][] = [];
  users.forEach((u, i) => {
    const lines = entryLines(u, i);
    const alone = checkUsersFileText(fileText([lines]), FILE, profile);
    if (alone.users.length !== 1 || seen.has(u.username.toLowerCase())) return;
    seen.add(u.username.toLowerCase());
    entries.push(lines);
  });
  return entries;
}

/** What must survive: username, MFA, enabled, and every attribute, as the roster holds them. */
function essence(users: readonly DeclaredUser[]): unknown[] {
  return [...users]
    .sort((a, b) => (a.username < b.username ? -1 : 1))
    .map((u) => ({ username: u.username, mfa: u.mfaEnabled, enabled: u.enabled, attributes: u.attributes }));
}

async function roundTrip(users: readonly GeneratedUser[], checkout: RosterCheckout): Promise<number> {
  const profile = profileForRun();
  const entries = acceptedEntries(profile, users);
  if (entries.length === 0) return 0;
  const text = fileText(entries);
  const declared = checkUsersFileText(text, FILE, profile);
  expect(declared.diagnostics.filter((d) => d.severity === "error")).toEqual([]);

  await createPool(emulator, profile);
  mkdirSync(path.join(checkout.usersDir, "round-trip"), { recursive: true });
  writeFileSync(path.join(checkout.usersDir, "round-trip", "all.yaml"), text);
  const applied = await applyRoster({ profile, usersDir: checkout.usersDir, repoRoot: checkout.repoRoot, timing: FAST });
  expect(applied.failed).toEqual([]);

  const pool: PoolUser[] = [];
  await scanPoolUsers(cognito, profile.userPoolId, (page) => pool.push(...page));
  const mfa = new Map(declared.users.map((u) => [u.username.toLowerCase(), u.mfaEnabled]));
  const exported = exportUsers(pool, {
    profile,
    office: { kind: "single", folder: "round-trip" },
    excludes: [],
    fileName: "all.yaml",
    schemaFromUsersDir: "../schemas/users-file.schema.json",
    // ListUsers does not return MFA in an OPTIONAL pool; `cognito-roster export` reads it per user (AdminGetUser).
    mfaOf: (username) => mfa.get(username.toLowerCase()),
  });
  expect(exported.files).toHaveLength(1);
  const back = checkUsersFileText(exported.files[0].text, FILE, profile);
  expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  // Every attribute came back as written; the pool's own `email` is declared by the generator, so it is there too.
  expect(essence(back.users)).toEqual(essence(declared.users));

  // The exported file, merged as it is, plans no change against the pool (every user looked up: --full).
  const adopted = makeCheckout();
  try {
    mkdirSync(path.join(adopted.usersDir, "round-trip"), { recursive: true });
    writeFileSync(path.join(adopted.usersDir, "round-trip", "all.yaml"), exported.files[0].text);
    const planned = await planRoster({ profile, usersDir: adopted.usersDir, repoRoot: adopted.repoRoot, full: true, timing: FAST });
    expect({ import: planned.plan.import.length, update: planned.plan.update }).toEqual({ import: 0, update: [] });
  } finally {
    adopted.cleanup();
  }
  return entries.length;
}

test("any accepted value survives file → CSV → pool → export → file", async () => {
  let users = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(user, { minLength: 1, maxLength: 8 }), async (generated) => {
      const checkout = makeCheckout();
      try {
        users += await roundTrip(generated, checkout);
      } finally {
        checkout.cleanup();
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
  // The property says something only if most generated users are accepted and travel.
  expect(users).toBeGreaterThan(RUNS);
}, 120_000);
