/**
 * The pool's sign-in index (emulator/sign-in-index.ts, kept by emulator/users-store.ts): finding users by email,
 * phone number or preferred_username must give exactly what a scan of the pool gives — the same users, in the
 * order the pool visits them — after every kind of write. Checked two ways: a seeded random sequence of writes
 * against a scan written here, in a case-sensitive and a case-insensitive pool; and a pool with UsernameAttributes
 * driven through the unmodified SDK (import, a changed email, a deletion, then a second import).
 */
import { AdminDeleteUserCommand, AdminGetUserCommand, AdminUpdateUserAttributesCommand } from "@aws-sdk/client-cognito-identity-provider";
import { UsersStore, type StoredUser } from "../../emulator/users-store";
import { csvOf, errorOf, runImport, startHarness, stopHarness, testProfile, userValues, type Harness } from "./helpers";

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Few values, differing only by case, so that users share them and folding matters. */
const VALUES: Record<string, string[]> = {
  email: ["a@example.com", "A@example.com", "b@example.com", "B@Example.COM"],
  phone_number: ["+447700900001", "+447700900002"],
  preferred_username: ["jo", "Jo", "sam"],
  given_name: ["Ann", "ann"],
};
const NAMES = Object.keys(VALUES);

/** The scan the index replaces: email and preferred_username ignore case in a case-insensitive pool. */
function scan(store: UsersStore, name: string, value: string): string[] {
  const fold = (v: string) => (!store.caseSensitive && (name === "email" || name === "preferred_username") ? v.toLowerCase() : v);
  return [...store.all()]
    .filter((u) => u.attributes[name] !== undefined && fold(u.attributes[name]) === fold(value))
    .map((u) => u.username);
}

function randomWrite(store: UsersStore, next: () => number, step: number): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const username = `user${Math.floor(next() * 12)}`;
  const someValues = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of NAMES) if (next() < 0.5) out[name] = next() < 0.2 ? "" : pick(VALUES[name]);
    return out;
  };
  const action = next();
  const user = store.get(username);
  if (!user && action < 0.4)
    store.add(username, Object.fromEntries(Object.entries(someValues()).filter(([, v]) => v !== "")), "CONFIRMED", step);
  else if (!user && action < 0.5) store.restore(restored(username, step));
  else if (user && action < 0.8) store.setAttributes(user, someValues());
  else if (user) store.delete(username, step, next() < 0.5);
}

function restored(username: string, step: number): StoredUser {
  const attributes = { sub: `sub-${step}`, email: VALUES.email[step % 4], preferred_username: VALUES.preferred_username[step % 3] };
  return { username, attributes, enabled: true, status: "CONFIRMED", created: step, modified: step, seq: 10_000 + step };
}

test.each([true, false])(
  "after each of 400 random writes, withAttribute finds what a scan finds, in the same order (case-sensitive %s)",
  (caseSensitive) => {
    const store = new UsersStore(caseSensitive);
    const next = random(caseSensitive ? 22 : 23);
    const mismatches: string[] = [];
    let shared = 0;
    for (let step = 0; step < 400; step++) {
      randomWrite(store, next, step);
      for (const name of NAMES) {
        for (const value of VALUES[name]) {
          const expected = scan(store, name, value);
          if (expected.length > 1) shared++;
          const found = store.withAttribute(name, value).map((u) => u.username);
          if (JSON.stringify(found) !== JSON.stringify(expected)) mismatches.push(`step ${step} ${name}=${value}: ${found} ≠ ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // The sequence exercised values held by several users at once (the case where order matters).
    expect(shared).toBeGreaterThan(100);
  },
);

describe("a pool with UsernameAttributes [email], through the SDK", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
  });

  test("a changed email and a deleted user stop naming anyone; a second import sees the pool as it is now", async () => {
    const p = testProfile({ mfaConfiguration: "OFF", usernameAttributes: ["email"] });
    h = await startHarness({ failureThreshold: 10 }, [p]);
    const poolId = p.userPoolId;
    const row = (i: number) => userValues(i, { "cognito:mfa_enabled": "FALSE" });
    expect((await runImport(h, await csvOf(h, [row(1), row(2)], poolId), poolId, "first")).job).toMatchObject({ ImportedUsers: 2 });
    const get = (username: string) => (h as Harness).cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    const first = await get("user1@example.nhs.uk");
    await h.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "user1@example.nhs.uk",
        UserAttributes: [
          { Name: "email", Value: "user3@example.nhs.uk" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    expect(await errorOf(get("user1@example.nhs.uk"))).toMatchObject({ name: "UserNotFoundException" });
    expect((await get("USER3@example.nhs.uk")).Username).toBe(first.Username);
    await h.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "user2@example.nhs.uk" }));
    expect(await errorOf(get("user2@example.nhs.uk"))).toMatchObject({ name: "UserNotFoundException" });

    const second = await runImport(h, await csvOf(h, [row(1), row(2), row(3)], poolId), poolId, "second");
    expect(second.job).toMatchObject({ ImportedUsers: 2, SkippedUsers: 1, FailedUsers: 0 });
    expect(second.lines).toContain("[SKIPPED] Line Number 3 - The user already exists.");
    expect((await get("user1@example.nhs.uk")).Username).not.toBe(first.Username);
    expect((await get("user3@example.nhs.uk")).Username).toBe(first.Username);
  });
});
