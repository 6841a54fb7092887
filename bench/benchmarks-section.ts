/**
 * BENCHMARKS.md sections a benchmark owns: the text between its start and end markers is replaced by a new run's
 * section, or the section is appended when the markers are not there yet. Nothing else in the file is touched.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export function writeMarkedSection(file: string, markers: { start: string; end: string }, section: string): void {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const startAt = text.indexOf(markers.start);
  const endAt = text.indexOf(markers.end);
  const updated =
    startAt !== -1 && endAt > startAt
      ? text.slice(0, startAt) + section + text.slice(endAt + markers.end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, updated);
}
