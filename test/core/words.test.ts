/**
 * core/words.ts: counts and choices in English.
 */
import { inWords, plural } from "../../core/words";

test.each([
  { count: 0, singular: "file", form: undefined, said: "0 files" },
  { count: 1, singular: "AWS call", form: undefined, said: "1 AWS call" },
  { count: 2, singular: "AWS call", form: undefined, said: "2 AWS calls" },
  { count: 1, singular: "entry", form: "entries", said: "1 entry" },
  { count: 3, singular: "entry", form: "entries", said: "3 entries" },
])("plural($count, $singular) is $said", ({ count, singular, form, said }) => {
  expect(plural(count, singular, form)).toBe(said);
});

test.each([
  { choices: [], said: "" },
  { choices: ["text"], said: "text" },
  { choices: ["text", "json"], said: "text or json" },
  { choices: ["text", "markdown", "json"], said: "text, markdown or json" },
])("$choices in words: $said", ({ choices, said }) => {
  expect(inWords(choices)).toBe(said);
});
