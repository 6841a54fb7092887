/**
 * Decisions the AWS adapters apply, kept pure in core/: the Region a pool id names (core/pool-region.ts), the one
 * error the retry strategy must not retry (core/retry-rules.ts), how a pool user is named in a pool with
 * UsernameAttributes (core/sign-in-name.ts) and what an import job's log lines say (core/import-log-lines.ts).
 * Tables of small cases; synthetic data only.
 */
import { absorbLogLines, type LogLines, parseImportLogLine } from "../../core/import-log-lines";
import { checkRegion, regionOfPoolId } from "../../core/pool-region";
import { isAccountBusy } from "../../core/retry-rules";
import { namedBySignIn } from "../../core/sign-in-name";

test.each([
  ["eu-west-2_AbC123", "eu-west-2"],
  ["us-gov-west-1_X", "us-gov-west-1"],
  ["eu-west-2_", "eu-west-2"],
  ["_AbC123", ""],
  ["nounderscore", ""],
  ["", ""],
])("regionOfPoolId(%j) is %j", (poolId, region) => {
  expect(regionOfPoolId(poolId)).toBe(region);
});

test.each([
  ["eu-west-2", "eu-west-2_AbC123", undefined],
  [undefined, "eu-west-2_AbC123", "no AWS Region for pool eu-west-2_AbC123: set aws:region (eu-west-2) in the stack config"],
  ["", "bad", "no AWS Region for pool bad: set aws:region (the pool's Region) in the stack config"],
  [
    "eu-west-1",
    "eu-west-2_AbC123",
    "pool eu-west-2_AbC123 is in eu-west-2, but the Region is eu-west-1: set aws:region to eu-west-2 (pools are regional)",
  ],
  ["eu-west-1", "bad", "pool bad is in no Region, but the Region is eu-west-1: set aws:region to  (pools are regional)"],
])("checkRegion(%j, %j)", (region, poolId, problem) => {
  if (problem === undefined) expect(checkRegion(region, poolId)).toBe(region);
  else expect(() => checkRegion(region, poolId)).toThrow(expect.objectContaining({ name: "RosterConfigError", message: problem }));
});

test.each([
  ["StartUserImportJob", "LimitExceededException", true],
  ["StartUserImportJob", "TooManyRequestsException", false],
  ["CreateUserImportJob", "LimitExceededException", false],
  ["ListUsers", "LimitExceededException", false],
  ["StartUserImportJob", "", false],
])("isAccountBusy(%j, %j) is %s", (operation, name, busy) => {
  expect(isAccountBusy(operation, name)).toBe(busy);
});

const account = (attributes: Record<string, string>) => ({ username: "3f1e0000-0000-4000-8000-000000000001", attributes });

test.each([
  ["no username attributes: the username", [], { email: "a@example.com" }, "3f1e0000-0000-4000-8000-000000000001"],
  ["email: the email", ["email"], { email: "a@example.com" }, "a@example.com"],
  [
    "email and phone: the email first",
    ["email", "phone_number"],
    { email: "a@example.com", phone_number: "+447700900001" },
    "a@example.com",
  ],
  ["email and phone, no email: the phone", ["email", "phone_number"], { phone_number: "+447700900001" }, "+447700900001"],
  ["phone only, user has an email: the username", ["phone_number"], { email: "a@example.com" }, "3f1e0000-0000-4000-8000-000000000001"],
  ["email, empty value: the username", ["email"], { email: "" }, "3f1e0000-0000-4000-8000-000000000001"],
])("namedBySignIn: %s", (_case, usernameAttributes, attributes, name) => {
  const user = account(attributes);
  const named = namedBySignIn(user, usernameAttributes);
  expect(named.username).toBe(name);
  expect(named.attributes).toBe(user.attributes);
  expect(user.username).toBe("3f1e0000-0000-4000-8000-000000000001");
});

test.each([
  [
    "[SUCCEEDED] Line Number 5956 - The import succeeded.",
    { line: 5956, result: { outcome: "SUCCEEDED", reason: "The import succeeded." } },
  ],
  [
    "  [FAILED] Line Number 2 - The User Record does not set any of the auto verified attributes to true.  ",
    {
      line: 2,
      result: { outcome: "FAILED", reason: "The User Record does not set any of the auto verified attributes to true." },
    },
  ],
  ["[SKIPPED] Line Number 7 - The user already exists.", { line: 7, result: { outcome: "SKIPPED", reason: "The user already exists." } }],
  ["[SKIPPED] Line Number 7 - two\nlines", { line: 7, result: { outcome: "SKIPPED", reason: "two\nlines" } }],
  ["[FAILED] The CSV file could not be read.", null],
  ["[DONE] Line Number 3 - ok", null],
  ["Line Number 3 - The import succeeded.", null],
  ["", null],
])("parseImportLogLine(%j)", (message, parsed) => {
  expect(parseImportLogLine(message)).toEqual(parsed);
});

test("absorbLogLines: rows by line, a line logged again with another outcome in doubt, unnumbered lines as the job's messages", () => {
  const read: LogLines = { rows: new Map(), conflicting: new Set(), jobMessages: [] };
  absorbLogLines(read, [
    "[SUCCEEDED] Line Number 1 - The import succeeded.",
    "[FAILED] Line Number 2 - The user already exists.",
    "[SUCCEEDED] Line Number 1 - The import succeeded.",
    "[SKIPPED] Line Number 2 - The user already exists.",
    " [FAILED] The CSV file could not be read. ",
    "something else",
  ]);
  expect(read.rows).toEqual(
    new Map([
      [1, { outcome: "SUCCEEDED", reason: "The import succeeded." }],
      [2, { outcome: "SKIPPED", reason: "The user already exists." }],
    ]),
  );
  expect([...read.conflicting]).toEqual([2]);
  expect(read.jobMessages).toEqual(["The CSV file could not be read."]);
});
