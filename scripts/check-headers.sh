#!/usr/bin/env bash
# Every Go file in the repository opens with the copyright and SPDX licence header:
#
#   // Copyright (c) Opensam
#   // SPDX-License-Identifier: MPL-2.0
#
# followed by a blank line, so a package comment stays a package comment.
#   scripts/check-headers.sh         list the Go files without it and fail if there are any
#   scripts/check-headers.sh --fix   add it to those files (make headers)
#   scripts/check-headers.sh --selftest  prove the check catches a missing or altered header
set -euo pipefail
cd "$(dirname "$0")/.."

readonly line1='// Copyright (c) Opensam'
readonly line2='// SPDX-License-Identifier: MPL-2.0'

has_header() { # $1: file
  [ "$(sed -n 1p "$1")" = "$line1" ] && [ "$(sed -n 2p "$1")" = "$line2" ]
}

# Tracked and new (not ignored) Go files; the checkout's own .git and the scratch copies of other
# scripts are never listed.
go_files() {
  git ls-files --cached --others --exclude-standard -- '*.go'
}

missing() { # $1: directory
  (cd "$1" && go_files | while IFS= read -r f; do
    [ -f "$f" ] || continue # deleted in the work tree, not yet in the index
    has_header "$f" || printf '%s\n' "$f"
  done)
}

case "${1:-}" in
--fix)
  missing . | while IFS= read -r f; do
    tmp=$(mktemp)
    { printf '%s\n%s\n\n' "$line1" "$line2"; cat "$f"; } >"$tmp"
    cat "$tmp" >"$f" # keeps the file's mode
    rm -f "$tmp"
    echo "headers: added to $f"
  done
  ;;
--selftest)
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  git init -q "$scratch"
  printf '%s\n%s\n\n// Package ok has the header.\npackage ok\n' "$line1" "$line2" >"$scratch/ok.go"
  printf '// Package none has no header.\npackage none\n' >"$scratch/none.go"
  printf '// Copyright (c) Someone Else\n%s\n\npackage other\n' "$line2" >"$scratch/other.go"
  found=$(missing "$scratch" | sort | tr '\n' ' ')
  if [ "$found" != "none.go other.go " ]; then
    echo "check-headers self-test: expected 'none.go other.go', found '$found'" >&2
    exit 1
  fi
  echo "check-headers self-test: files without the header, or with another holder, are caught"
  ;;
"")
  bad=$(missing .)
  if [ -n "$bad" ]; then
    count=$(printf '%s\n' "$bad" | wc -l)
    printf '%s\n' "$bad" | sed -n '1,20p'
    [ "$count" -le 20 ] || echo "... and $((count - 20)) more"
    echo "headers: $count Go file(s) lack the copyright and SPDX header; run: make headers" >&2
    exit 1
  fi
  echo "headers: every Go file has the copyright and SPDX header"
  ;;
*)
  echo "usage: $0 [--fix|--selftest]" >&2
  exit 2
  ;;
esac
