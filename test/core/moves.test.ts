/**
 * Moves between offices (issue 16, item 4), the pure side: the same username in another office folder than at the
 * base is a move, with the owners of both sides from CODEOWNERS; an office without an entry of its own has none.
 */
import { declarationsByDigest } from "../../core/base-users";
import type { DeclaredUser } from "../../core/declared-user";
import { addMoveOwners, findMoves } from "../../core/moves";
import { renderPlan } from "../../core/plan-report";
import type { RosterPlan } from "../../core/plan";

const PROFILE = { userPoolId: "eu-west-2_Moves0000", usernameCaseSensitive: false };
const user = (username: string, file: string, line = 5): DeclaredUser => ({
  username,
  mfaEnabled: true,
  enabled: true,
  attributes: { email: username },
  source: { file, line, col: 3 },
});
const CODEOWNERS = [
  "*  @example-org/roster-maintainers",
  "/users/kss/  @example-org/office-kss",
  "/users/london/  @example-org/office-london",
  "",
].join("\n");

test("a user in another office folder than at the base is a move needing both offices' owners", () => {
  const base = declarationsByDigest(
    [user("a@example.com", "kss/a.yaml", 5), user("b@example.com", "kss/a.yaml", 9), user("c@example.com", "london/x.yaml")],
    "users",
    PROFILE,
  );
  const now = [
    user("a@example.com", "users/london/x.yaml", 11),
    user("b@example.com", "users/kss/b.yaml"),
    user("c@example.com", "users/yorkshire/y.yaml"),
  ];
  const moves = findMoves(now, base, PROFILE, "users");
  addMoveOwners(moves, CODEOWNERS, "users");
  expect(moves).toEqual([
    {
      username: "a@example.com",
      file: "users/london/x.yaml",
      line: 11,
      from: { file: "users/kss/a.yaml", line: 5 },
      fromOffice: "kss",
      toOffice: "london",
      owners: { from: ["@example-org/office-kss"], to: ["@example-org/office-london"] },
    },
    expect.objectContaining({
      username: "c@example.com",
      fromOffice: "london",
      toOffice: "yorkshire",
      owners: { from: ["@example-org/office-london"], to: [] },
    }),
  ]);
  const plan: RosterPlan = {
    userPoolId: PROFILE.userPoolId,
    import: [],
    update: [],
    disable: [],
    enable: [],
    remove: [],
    unchanged: 3,
    moves,
  };
  const text = renderPlan(plan, "text", { awsCalls: 0 });
  expect(text).toContain(
    "Moves between offices (2):\n  a@example.com  (users/london/x.yaml:11) from users/kss/a.yaml:5 (office kss → london); needs the approval of both: @example-org/office-kss and @example-org/office-london",
  );
  expect(text).toContain("and nobody: no CODEOWNERS entry of office yorkshire's own");
  expect(JSON.parse(renderPlan(plan, "json", { awsCalls: 0 })).moves).toHaveLength(2);
});
