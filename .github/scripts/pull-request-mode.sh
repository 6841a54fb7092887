#!/usr/bin/env bash
# Decides which code may run with credentials for a pull request: prints `data` or `code` on stdout.
#
#   .github/scripts/pull-request-mode.sh BASE MERGE
#
# BASE is the commit on main the pull request merges into, MERGE the merge commit GitHub computed
# (refs/pull/N/merge). `data`: every changed path is under users/ and every entry under users/ is a regular file, so
# the reviewed code on main can plan over the pull request's users files without running anything it wrote. `code`:
# anything else (code, package*.json, workflows, Pulumi*.yaml, schemas, a symlink or submodule under users/) — the
# credentialed job then waits for a maintainer's approval. Reasons go to stderr. It only reads git objects: it runs
# nothing from either commit.
set -euo pipefail
base=${1:?usage: pull-request-mode.sh BASE MERGE}
merge=${2:?usage: pull-request-mode.sh BASE MERGE}

mode=data
while IFS= read -r -d '' path; do
  case "$path" in
    users/*) ;;
    *) echo "changes $path (outside users/)" >&2; mode=code ;;
  esac
done < <(git diff --name-only --no-renames -z "$base" "$merge" --)

# Symlinks (120000) and submodules (160000) could make the roster read outside users/: not data.
while IFS= read -r -d '' entry; do
  filemode=${entry%% *}
  case "$filemode" in
    100644 | 100755) ;;
    *) echo "users/ holds a non-regular file (mode $filemode): ${entry#*$'\t'}" >&2; mode=code ;;
  esac
done < <(git ls-tree -r -z --full-tree "$merge" -- users/)

echo "$mode"
