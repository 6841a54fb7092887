/**
 * core/text-block.ts: a block set in under a heading.
 */
import { indent } from "../../core/text-block";

test.each([
  { text: "", set: "" },
  { text: "one\n", set: "   one" },
  { text: "one\ntwo", set: "   one\n   two" },
  { text: "one\n\ntwo\n\n", set: "   one\n\n   two" },
  { text: "  already in\n", set: "     already in" },
])("$text", ({ text, set }) => {
  expect(indent(text)).toBe(set);
});
