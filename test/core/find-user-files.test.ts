import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { findUserFiles } from "../../core/find-user-files";

describe("findUserFiles", () => {
  it("lists .yaml and .yml files at any depth, sorted, relative to the repo root with forward slashes", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-files-"));
    for (const f of ["users/london/b.yaml", "users/london/a.yml", "users/kss/deep/c.yaml", "users/kss/notes.md", "users/README.txt"]) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), "users: []\n");
    }
    expect(findUserFiles(path.join(root, "users"), root)!.map((f) => f.file)).toEqual(["users/kss/deep/c.yaml", "users/london/a.yml", "users/london/b.yaml"]);
  });

  it("returns undefined for a missing directory and [] for an empty one", () => {
    const root = mkdtempSync(path.join(tmpdir(), "roster-files-"));
    expect(findUserFiles(path.join(root, "nope"), root)).toBeUndefined();
    mkdirSync(path.join(root, "users"));
    expect(findUserFiles(path.join(root, "users"), root)).toEqual([]);
  });
});
