import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { chmodSync } from "node:fs";
import { scanUsersTree } from "../../load/find-user-files";
import { loadRoster } from "../../load/load-roster";
import { fixtureProfile } from "../core/fixture-cases";
import { findUserFiles } from "../support/one-call";

describe("findUserFiles", () => {
  it("lists .yaml and .yml files at any depth, sorted, relative to the repo root with forward slashes", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-files-"));
    for (const f of ["users/london/b.yaml", "users/london/a.yml", "users/kss/deep/c.yaml", "users/kss/notes.md", "users/README.txt"]) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), "users: []\n");
    }
    expect(findUserFiles(path.join(root, "users"), root)!.map((f) => f.file)).toEqual([
      "users/kss/deep/c.yaml",
      "users/london/a.yml",
      "users/london/b.yaml",
    ]);
  });

  it("names that are not portable are errors at the path, and are not read", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-files-"));
    const names = ["users/kss/a\n::warning::x.yaml", "users/kss/\u202eb.yaml", "users/Kss/c.yaml", "users/kss/ok.yaml"];
    for (const f of names) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), "users: []\n");
    }
    const scan = scanUsersTree(path.join(root, "users"), root)!;
    expect(scan.files.map((f) => f.file)).toEqual(["users/kss/ok.yaml"]);
    expect(scan.diagnostics.map(({ file, line, col, code }) => [file, line, col, code])).toEqual([
      ["users/Kss", 0, 0, "PATH_NOT_PORTABLE"],
      ["users/kss/a\n::warning::x.yaml", 0, 0, "PATH_NOT_PORTABLE"],
      ["users/kss/\u202eb.yaml", 0, 0, "PATH_NOT_PORTABLE"],
    ]);
    expect(scan.diagnostics[1].message).toContain("it contains '\\u{a}'");
  });

  it("returns undefined for a missing directory and [] for an empty one", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-files-"));
    expect(findUserFiles(path.join(root, "nope"), root)).toBeUndefined();
    mkdirSync(path.join(root, "users"));
    expect(findUserFiles(path.join(root, "users"), root)).toEqual([]);
  });
});

describe("scanUsersTree: what cannot live in git (FIFOs, permissions)", () => {
  const profile = fixtureProfile();
  const user = "users:\n  - username: u1@example.com\n    email: u1@example.com\n    email_verified: true\n    mfa_enabled: true\n";

  it("reports a FIFO named like a users file without opening it (opening would block)", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-fifo-"));
    mkdirSync(path.join(root, "users", "office"), { recursive: true });
    writeFileSync(path.join(root, "users", "office", "a.yaml"), user);
    execFileSync("mkfifo", [path.join(root, "users", "office", "pipe.yaml")]);
    const roster = loadRoster({ usersDir: path.join(root, "users"), repoRoot: root, profile });
    expect(roster.diagnostics.map(({ code, file, line, col }) => ({ code, file, line, col }))).toEqual([
      { code: "NOT_A_REGULAR_FILE", file: "users/office/pipe.yaml", line: 0, col: 0 },
    ]);
    expect(roster.users).toHaveLength(1);
  });

  // Root reads everything: there the test is reported skipped, never passed without asserting.
  const asNonRoot = process.getuid?.() === 0 ? it.skip : it;
  asNonRoot("reports an unreadable folder and an unreadable file by path (as a non-root user)", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-perm-"));
    mkdirSync(path.join(root, "users", "closed"), { recursive: true });
    mkdirSync(path.join(root, "users", "open"), { recursive: true });
    writeFileSync(path.join(root, "users", "open", "secret.yaml"), user);
    chmodSync(path.join(root, "users", "open", "secret.yaml"), 0o000);
    chmodSync(path.join(root, "users", "closed"), 0o000);
    try {
      const roster = loadRoster({ usersDir: path.join(root, "users"), repoRoot: root, profile });
      expect(roster.diagnostics.map((d) => [d.code, d.file])).toEqual([
        ["DIRECTORY_UNREADABLE", "users/closed"],
        ["FILE_UNREADABLE", "users/open/secret.yaml"],
      ]);
    } finally {
      chmodSync(path.join(root, "users", "closed"), 0o755);
    }
  });

  it("says when the folder holds no users file", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-empty-"));
    mkdirSync(path.join(root, "users"));
    expect(scanUsersTree(path.join(root, "users"), root)?.diagnostics.map((d) => d.code)).toEqual(["USERS_DIR_EMPTY"]);
  });

  it("reads the users folder's own README.md as documentation (a new roster is empty but for it); one elsewhere is not", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-readme-"));
    mkdirSync(path.join(root, "users", "kss"), { recursive: true });
    writeFileSync(path.join(root, "users", "README.md"), "# users\n");
    expect(scanUsersTree(path.join(root, "users"), root)?.diagnostics.map((d) => d.code)).toEqual(["USERS_DIR_EMPTY"]);
    writeFileSync(path.join(root, "users", "kss", "README.md"), "# kss\n");
    expect(scanUsersTree(path.join(root, "users"), root)?.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ["NOT_A_USERS_FILE", "users/kss/README.md"],
    ]);
  });
});
