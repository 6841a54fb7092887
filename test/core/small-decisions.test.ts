/**
 * Small pure decisions the engine once held: durations as progress shows them (core/durations.ts), the Region of
 * the pool's SES identity (core/aws-region-names.ts), the pool's email-change model (core/email-change-model.ts),
 * and how removed users are found without a scan (core/removed-user-handles.ts). Tables of small cases.
 */
import { REGION_NAME, sesRegionOf } from "../../core/aws-region-names";
import { formatDuration } from "../../core/durations";
import { emailChangeModel } from "../../core/email-change-model";
import { removedUserHandles } from "../../core/removed-user-handles";
import { declaredValuesDigest, removedEntry, withSub } from "../../core/user-digest";

test.each([
  [0, "0 ms"],
  [849.6, "850 ms"],
  [999, "999 ms"],
  [1000, "1.0 s"],
  [1249, "1.2 s"],
  [59_940, "59.9 s"],
  [60_000, "1 min 00 s"],
  [185_000, "3 min 05 s"],
  [3_600_000, "60 min 00 s"],
])("formatDuration(%p) → %s", (ms, shown) => {
  expect(formatDuration(ms)).toBe(shown);
});

test.each([
  ["no SES identity: the pool's Region", undefined, "eu-west-2"],
  ["the identity's Region", "arn:aws:ses:eu-west-1:000000000000:identity/example.nhs.uk", "eu-west-1"],
  ["a GovCloud Region", "arn:aws-us-gov:ses:us-gov-west-1:000000000000:identity/example.com", "us-gov-west-1"],
  ["an ARN without a Region", "arn:aws:ses::000000000000:identity/example.com", undefined],
  ["not an ARN", "example.com", undefined],
  ["a Region that is not one", "arn:aws:ses:EU-WEST-2:000000000000:identity/example.com", undefined],
])("sesRegionOf: %s", (_name, arn, region) => {
  expect(sesRegionOf(arn, "eu-west-2")).toBe(region);
});

test.each([
  ["eu-west-2", true],
  ["us-gov-west-1", true],
  ["ap-southeast-10", true],
  ["eu-west", false],
  ["eu-west-123", false],
  ["EU-WEST-2", false],
  ["eu-west-2 ", false],
])("REGION_NAME: %s → %s", (name, matches) => {
  expect(REGION_NAME.test(name)).toBe(matches);
});

test.each([
  ["email a username attribute", ["email"], [], "in-place"],
  ["email an alias", [], ["email"], "in-place"],
  ["phone only", ["phone_number"], ["phone_number"], "new-account"],
  ["neither: the username is the address", [], [], "new-account"],
])("emailChangeModel: %s → %s", (_name, usernameAttributes, aliasAttributes, model) => {
  expect(emailChangeModel({ settings: { usernameAttributes, aliasAttributes } })).toBe(model);
});

describe("removedUserHandles: by a base file's username, else a recorded sub, else only a scan", () => {
  const SUB = "0b2d3f4a-1111-4222-8333-444455556666";
  const previous = {
    withSub: withSub("a:b", SUB),
    removedWithSub: removedEntry("sub-kept"),
    noSub: "a:b",
  };
  const base = new Map([["inBase", { username: "old.name@example.nhs.uk" }]]);
  test.each<[string, string, { readable?: string; bySub: boolean; unnamed: boolean }]>([
    ["named by the base files", "inBase", { readable: "old.name@example.nhs.uk", bySub: false, unnamed: false }],
    ["a recorded sub", "withSub", { readable: SUB, bySub: true, unnamed: false }],
    ["a removed user's kept sub", "removedWithSub", { readable: "sub-kept", bySub: true, unnamed: false }],
    ["an entry without a sub", "noSub", { bySub: false, unnamed: true }],
    ["not in the record at all", "unknown", { bySub: false, unnamed: true }],
  ])("%s", (_name, digest, expected) => {
    const handles = removedUserHandles([digest], previous, base);
    expect(handles.readable.get(digest)).toBe(expected.readable);
    expect(handles.bySub.has(digest)).toBe(expected.bySub);
    expect(handles.unnamed.includes(digest)).toBe(expected.unnamed);
  });

  test("the base files win over a recorded sub; without a trusted record only the base names anyone", () => {
    const both = { inBase: withSub(declaredValuesDigest({ username: "x", attributes: {} } as never), SUB) };
    expect(removedUserHandles(["inBase"], both, base).readable.get("inBase")).toBe("old.name@example.nhs.uk");
    const untrusted = removedUserHandles(["inBase", "withSub"], undefined, base);
    expect([...untrusted.readable.keys()]).toEqual(["inBase"]);
    expect(untrusted.unnamed).toEqual(["withSub"]);
    expect(removedUserHandles(["withSub"], previous, undefined).bySub).toEqual(new Set(["withSub"]));
  });
});
