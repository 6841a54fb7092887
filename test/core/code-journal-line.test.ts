/** A line of the sign-in code journal (core/code-journal-line.ts): a change, or nothing for a blank or broken line. */
import { parseCodeJournalLine } from "../../core/code-journal-line";

const change = { revision: 3, set: { d1: { state: "sent" } }, awaiting: {} };

test.each([
  ["a change", JSON.stringify(change), change],
  ["a change with spaces around it", `  ${JSON.stringify(change)} `, change],
  ["blank", "", undefined],
  ["only spaces", "   \t", undefined],
  ["cut short by an interrupted write", JSON.stringify(change).slice(0, 20), undefined],
  ["not JSON", "revision 3", undefined],
  ["JSON but not an object", "42", undefined],
  ["null", "null", undefined],
  ["no revision", JSON.stringify({ set: {}, awaiting: {} }), undefined],
  ["a revision that is text", JSON.stringify({ revision: "3", set: {}, awaiting: {} }), undefined],
  ["no set", JSON.stringify({ revision: 1, awaiting: {} }), undefined],
  ["set is null", JSON.stringify({ revision: 1, set: null, awaiting: {} }), undefined],
  ["no awaiting", JSON.stringify({ revision: 1, set: {} }), undefined],
  ["awaiting is null", JSON.stringify({ revision: 1, set: {}, awaiting: null }), undefined],
])("parseCodeJournalLine: %s", (_name, line, parsed) => {
  expect(parseCodeJournalLine(line)).toEqual(parsed);
});
