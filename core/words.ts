/**
 * How the commands say counts and choices in English: `2 users`, `text, markdown or json`. Pure.
 */

/** `1 user`, `2 users`; `plural(1, "AWS call")`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `text, markdown or json`. */
export function inWords(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join("") : `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`;
}
