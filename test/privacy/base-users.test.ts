/** Removed users are named from the pull request's base files (never the pool); errors that end a run are scrubbed. */
import type { DeclaredUser } from "../../core/declared-user";
import { declarationsByDigest, namedFromBase } from "../../core/base-users";
import type { RosterPlan } from "../../core/plan";
import { renderPlan } from "../../core/plan-report";
import { scrubErrorOfRoster } from "../../core/scrub-roster";
import { usernameDigest } from "../../core/user-digest";

const POOL = "eu-west-2_Example1";
const user = (username: string, file: string, line: number, attributes: DeclaredUser["attributes"] = {}): DeclaredUser => ({
  username,
  mfaEnabled: true,
  enabled: true,
  attributes,
  source: { file, line, col: 5 },
});

function planRemoving(...usernames: string[]): RosterPlan {
  return {
    userPoolId: POOL,
    import: [],
    update: [],
    disable: [],
    enable: [],
    // The pool's spelling is known for the first: it must never be what the plan shows.
    remove: usernames.map((u, i) => ({
      usernameDigest: usernameDigest(POOL, u, false),
      action: "retain",
      ...(i === 0 ? { username: `POOL-${u}` } : {}),
    })),
    unchanged: 0,
  };
}

test("a removal declared at the base is named with the base's file:line; others stay digests", () => {
  const removing = planRemoving("Ann.Leaver@example.nhs.uk", "gone@example.nhs.uk");
  const base = declarationsByDigest([user("ann.leaver@example.nhs.uk", "london/2026.yaml", 12)], "users", {
    userPoolId: POOL,
    usernameCaseSensitive: false,
  });
  const { plan, named } = namedFromBase(removing, base);
  expect(named).toBe(1);

  const json = JSON.parse(renderPlan(plan, "json", { awsCalls: 0 })) as { remove: object[] };
  expect(json.remove).toEqual([
    {
      username: "ann.leaver@example.nhs.uk",
      usernameDigest: plan.remove[0].usernameDigest,
      action: "retain",
      file: "users/london/2026.yaml",
      line: 12,
    },
    { username: null, usernameDigest: plan.remove[1].usernameDigest, action: "retain" },
  ]);
  const text = renderPlan(plan, "text", { awsCalls: 0 });
  expect(text).toContain("  ann.leaver@example.nhs.uk  (users/london/2026.yaml:12): retain");
  expect(text).toContain(`  user ${plan.remove[1].usernameDigest}: retain`);
  expect(renderPlan(plan, "markdown", { awsCalls: 0 })).toContain("- `ann.leaver@example.nhs.uk` (`users/london/2026.yaml:12`): retain");
  for (const format of ["text", "markdown", "json"] as const) expect(renderPlan(plan, format, { awsCalls: 0 })).not.toContain("POOL-");
});

test("an error that ends a run is scrubbed of every declared user's values, keeping its name and fields", () => {
  const err = Object.assign(new Error("User amy@example.com (+447700900111, Amy Sample) is invalid"), {
    name: "InvalidParameterException",
    jobId: "import-1",
  });
  const users = [
    user("amy@example.com", "users/a.yaml", 5, { phone_number: "+447700900111", given_name: "Amy", family_name: "Sample" }),
    user("bo@example.com", "users/a.yaml", 11),
  ];
  const scrubbed = scrubErrorOfRoster(err, users);
  expect(scrubbed).toBe(err);
  expect(scrubbed.message).toBe("User <user> (<user>, <user>) is invalid"); // the full name is one value
  expect(scrubbed.stack).not.toContain("amy@example.com");
  expect(scrubbed).toMatchObject({ name: "InvalidParameterException", jobId: "import-1" });
  expect(scrubErrorOfRoster("not an error", users)).toBe("not an error");
});
