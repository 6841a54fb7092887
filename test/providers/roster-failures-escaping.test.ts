/**
 * RosterFailures' error reaches Pulumi's preview comment (a raw `<pre>`) and the CI log: a failure line (a file path
 * and Cognito's reason, which may echo anything) cannot open a tag or a comment, break the line, or reverse text.
 */
import { rosterFailuresProvider } from "../../providers/roster-failures";

test("a hostile failure line is shown escaped, one line each", async () => {
  const hostile = "users/kss/a.yaml:5: <!-- hidden --> <img src=x> &amp; \u202etxt.exe\nfake: line";
  const failure = await rosterFailuresProvider.create({ failedUsers: [hostile, "users/kss/a.yaml:9: ok"] }).then(
    () => undefined,
    (e: Error) => e.message,
  );
  expect(failure).toBeDefined();
  const lines = (failure as string).split("\n");
  expect(lines).toHaveLength(3); // the heading and one line per failure
  expect(lines[1]).toBe("users/kss/a.yaml:5: \\x3c!-- hidden --> \\x3cimg src=x> \\x26amp; \\u202etxt.exe\\x0afake: line");
  expect(failure).not.toMatch(/[<&\u202e]/);
  expect(lines[2]).toBe("users/kss/a.yaml:9: ok");
});
