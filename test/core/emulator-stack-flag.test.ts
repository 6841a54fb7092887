/**
 * core/emulator-stack-flag.ts: `--stack` taken off the emulator's own flags, in either form, never past `--`.
 */
import { splitStackFlag } from "../../core/emulator-stack-flag";

test.each([
  { args: [], split: { stack: undefined, rest: [] } },
  { args: ["--port", "0"], split: { stack: undefined, rest: ["--port", "0"] } },
  { args: ["--stack", "dev", "--port", "0"], split: { stack: "dev", rest: ["--port", "0"] } },
  { args: ["--port", "0", "--stack=dev", "--fault", "x"], split: { stack: "dev", rest: ["--port", "0", "--fault", "x"] } },
  { args: ["--stack=a", "--stack", "b"], split: { stack: "b", rest: [] } },
  { args: ["--", "--stack", "dev"], split: { stack: undefined, rest: ["--", "--stack", "dev"] } },
  { args: ["--stack"], split: "--stack needs a stack name" },
  { args: ["--stack="], split: "--stack needs a stack name" },
  { args: ["--stack", "--port"], split: "--stack needs a stack name" },
])("$args", ({ args, split }) => {
  expect(splitStackFlag(args)).toEqual(split);
});
