#!/usr/bin/env bash
# Decides which code may run with credentials for a pull request: prints `data` or `code` on stdout, or nothing
# and exits non-zero when it cannot decide (a commit it cannot read, a git failure): it fails closed.
#
#   .github/scripts/pull-request-mode.sh BASE MERGE
#
# BASE is the commit on main the pull request merges into, MERGE the merge commit GitHub computed
# (refs/pull/N/merge). `data`: every changed path is a portable users file and every entry under users/ at MERGE is
# a regular file with a portable name, so the reviewed code on main can plan over the pull request's users files
# without running anything it wrote. Portable (core/portable-names.ts, kept in step by test/workflows): folders are
# office slugs (north-west), files are lower-case [a-z0-9._-] names ending in .yaml or .yml, plus an office's
# `.gitkeep`. `code`: anything else (code, package*.json, workflows, Pulumi*.yaml, schemas, a .js, .npmrc or
# .gitattributes under users/, a symlink or submodule) — the credentialed job then waits for a maintainer's
# approval. Reasons go to stderr, each path quoted by printf %q in the C locale (one line, nothing invisible, never
# a workflow command). It only reads git objects: it runs nothing from either commit.
set -euo pipefail
base=${1:?usage: pull-request-mode.sh BASE MERGE}
merge=${2:?usage: pull-request-mode.sh BASE MERGE}

FOLDER='[a-z0-9]+(-[a-z0-9]+)*'
FILE='[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*\.ya?ml'
PORTABLE="^users/(${FOLDER}/)*(${FILE}|\.gitkeep)\$"

reason() { LC_ALL=C printf '%s %q\n' "$1" "$2" >&2; }

portable() {
  local path=$1 name folders
  [[ $path =~ $PORTABLE ]] || return 1
  name=${path##*/}
  [ "${#name}" -le 100 ] || return 1
  folders=${path#users/}
  folders=${folders%/*}
  [ "$folders" = "$name" ] && return 0
  local IFS=/ folder
  for folder in $folders; do [ "${#folder}" -le 63 ] || return 1; done
}

# Both commits must be readable: otherwise stop here, printing no mode.
for commit in "$base" "$merge"; do
  if ! git cat-file -e "$commit^{commit}" 2>/dev/null; then
    reason "cannot read commit" "$commit"
    exit 1
  fi
done

# git's output goes to files first, so a failing git stops the script (set -e) instead of reading as "no change".
listing=$(mktemp)
trap 'rm -f "$listing"' EXIT

mode=data
git diff --name-only --no-renames -z "$base" "$merge" -- >"$listing"
while IFS= read -r -d '' path; do
  if ! portable "$path"; then
    reason "changes a path that is not a portable users file:" "$path"
    mode=code
  fi
done <"$listing"

# Symlinks (120000) and submodules (160000) could make the roster read outside users/; any name that is not
# portable could reach a comment or a log: not data.
git ls-tree -r -z --full-tree "$merge" -- users/ >"$listing"
while IFS= read -r -d '' entry; do
  filemode=${entry%% *}
  path=${entry#*$'\t'}
  case "$filemode" in
    100644 | 100755) ;;
    *) reason "users/ holds a non-regular file (mode $filemode):" "$path"; mode=code ;;
  esac
  if ! portable "$path"; then
    reason "users/ holds a path that is not a portable users file:" "$path"
    mode=code
  fi
done <"$listing"

echo "$mode"
