/** One file name for every place of a users file's result (core/share-file-name.ts). */
import type { SourcePlace } from "../../core/declared-user";
import { shareFileName } from "../../core/share-file-name";
import type { UsersFileResult } from "../../core/users-file";

const at = (file: string, line: number): SourcePlace => ({ file, line, col: 3 });

function result(): UsersFileResult {
  return {
    file: "users/north-west/trainees.yaml",
    users: [{ username: "a@example.com", mfaEnabled: false, enabled: true, attributes: {}, source: at("copy", 2) }],
    identities: [
      { username: "a@example.com", usernamePlace: at("copy", 3), email: "a@example.com", emailPlace: at("copy", 4), userIndex: 0 },
      { username: "b", usernamePlace: at("copy", 8), phone: "+447700900001", phonePlace: at("copy", 9), userIndex: -1 },
      { username: "c", usernamePlace: at("copy", 12), userIndex: -1 },
    ],
    diagnostics: [],
  };
}

test("every place names the result's file, and nothing else changes", () => {
  const given = result();
  const shared = shareFileName(given);
  expect(shared).toBe(given);
  const file = "users/north-west/trainees.yaml";
  expect(shared).toEqual({
    file,
    users: [{ username: "a@example.com", mfaEnabled: false, enabled: true, attributes: {}, source: at(file, 2) }],
    identities: [
      { username: "a@example.com", usernamePlace: at(file, 3), email: "a@example.com", emailPlace: at(file, 4), userIndex: 0 },
      { username: "b", usernamePlace: at(file, 8), phone: "+447700900001", phonePlace: at(file, 9), userIndex: -1 },
      { username: "c", usernamePlace: at(file, 12), userIndex: -1 },
    ],
    diagnostics: [],
  });
  // A place left out stays out: no emailPlace or phonePlace appears where there was none.
  expect(Object.keys(shared.identities[2])).toEqual(["username", "usernamePlace", "userIndex"]);
});
