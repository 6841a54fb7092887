/**
 * core/sign-in-code-plan.ts: who an apply with `sendSignInCode: afterImport` owes a first sign-in code, from a ledger
 * bound to this pool, and how many SES lets it send now; core/sign-in-code-tally.ts: the line a round reports.
 * Tables of small cases.
 */
import type { DeclaredUser } from "../../core/declared-user";
import { codesCap, plannedSignInCodes } from "../../core/sign-in-code-plan";
import type { SignInCodeRecord } from "../../core/sign-in-code-record";
import { describeTally } from "../../core/sign-in-code-tally";
import { usernameDigest } from "../../core/user-digest";

const POOL_ID = "eu-west-2_Codes0001";
const POOL = { arn: "arn:pool", createdAt: 1 };
const user = (n: number) => ({ username: `t${n}@example.nhs.uk` }) as DeclaredUser;
const d = (n: number) => usernameDigest(POOL_ID, `t${n}@example.nhs.uk`, false);
const declared = [1, 2, 3, 4, 5].map(user);
const record = (over: Partial<SignInCodeRecord>): SignInCodeRecord => ({ pending: [], sent: [], pool: POOL, ...over });

test.each<
  [string, number[], SignInCodeRecord | undefined, { owed: number; awaiting: number; sent: number; unknown: number; refused: number }]
>([
  ["no record: every import is owed one", [1, 2], undefined, { owed: 2, awaiting: 0, sent: 0, unknown: 0, refused: 0 }],
  [
    "an import already sent one is not owed another",
    [1, 2],
    record({ sent: [d(1)] }),
    { owed: 1, awaiting: 0, sent: 1, unknown: 0, refused: 0 },
  ],
  ["pending trainees are owed theirs", [], record({ pending: [d(3), d(4)] }), { owed: 2, awaiting: 0, sent: 0, unknown: 0, refused: 0 }],
  [
    "a pending trainee also imported now counts once",
    [3],
    record({ pending: [d(3)] }),
    { owed: 1, awaiting: 0, sent: 0, unknown: 0, refused: 0 },
  ],
  [
    "awaiting an earlier job: owed, an upper bound, and counted apart",
    [],
    record({ awaiting: { "import-1": [d(4), d(5)] } }),
    { owed: 2, awaiting: 2, sent: 0, unknown: 0, refused: 0 },
  ],
  [
    "awaiting but already sent, or imported now: not awaited",
    [4],
    record({ sent: [d(5)], awaiting: { "import-1": [d(4), d(5)] } }),
    { owed: 1, awaiting: 0, sent: 1, unknown: 0, refused: 0 },
  ],
  [
    "the ledger's unknown and refused counts",
    [],
    record({ sent: [d(1), d(2)], unknown: [d(2)], pending: [d(3)], refused: [d(3)] }),
    { owed: 1, awaiting: 0, sent: 2, unknown: 1, refused: 1 },
  ],
  [
    "a record of another pool is set aside: every import owed",
    [1, 2],
    record({ sent: [d(1)], pending: [d(3)], pool: { arn: "arn:other", createdAt: 1 } }),
    { owed: 2, awaiting: 0, sent: 0, unknown: 0, refused: 0 },
  ],
  ["a record bound to no pool is trusted", [1], { pending: [], sent: [d(1)] }, { owed: 0, awaiting: 0, sent: 1, unknown: 0, refused: 0 }],
  [
    "a trainee no longer declared is owed nothing",
    [],
    record({ pending: [d(9)] }),
    { owed: 0, awaiting: 0, sent: 0, unknown: 0, refused: 0 },
  ],
])("plannedSignInCodes: %s", (_name, imports, stored, expected) => {
  expect(plannedSignInCodes(POOL_ID, false, imports.map(user), declared, stored, POOL)).toEqual(expected);
});

const ses = { productionAccess: true, max24HourSend: 1000, maxSendRate: 14, sentLast24Hours: 900 };
const developer = { emailSendingAccount: "DEVELOPER", sesRegion: "eu-west-2", ses, smsMfa: false };

test.each([
  ["no messaging check: no cap", {}, {}],
  [
    "SES has 100 left today: at most 100 codes",
    { messaging: { readings: developer, demand: { newTrainees: 150, rosterCodes: 160 } } },
    { maxCodes: 100 },
  ],
  ["no roster codes in the demand: no cap", { messaging: { readings: developer, demand: { newTrainees: 150 } } }, {}],
  [
    "COGNITO_DEFAULT email: not compared, no cap",
    { messaging: { readings: { ...developer, emailSendingAccount: "COGNITO_DEFAULT" }, demand: { newTrainees: 1, rosterCodes: 1 } } },
    {},
  ],
])("codesCap: %s", (_name, plan, expected) => {
  expect(codesCap(plan)).toEqual(expected);
});

test.each([
  ["all sent", { sent: 3, uncertain: 0, refused: 0, refusedBy: {} }, "sign-in codes: 3 sent"],
  [
    "refusals by name, kept pending",
    { sent: 1, uncertain: 0, refused: 3, refusedBy: { LimitExceededException: 2, UserNotFoundException: 1 } },
    "sign-in codes: 1 sent, 3 refused by Cognito (LimitExceededException 2, UserNotFoundException 1; kept pending)",
  ],
  [
    "unanswered",
    { sent: 2, uncertain: 1, refused: 0, refusedBy: {} },
    "sign-in codes: 2 sent, 1 unanswered (counted as sent, never sent twice)",
  ],
  [
    "a problem that stops every code",
    { sent: 0, uncertain: 0, refused: 0, refusedBy: {}, problem: "the pool's account recovery is admin-only" },
    "sign-in codes: 0 sent; the pool's account recovery is admin-only",
  ],
])("describeTally: %s", (_name, tally, line) => {
  expect(describeTally(tally)).toBe(line);
});
