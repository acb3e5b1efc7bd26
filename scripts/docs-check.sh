#!/usr/bin/env bash
# Fails when docs/ differs from what tfplugindocs generates from templates/, examples/ and the
# provider schema. It generates into a scratch copy, so the work tree is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar --exclude=./.git --exclude=./bin -cf - . | tar -xf - -C "$scratch"
(cd "$scratch" && go tool tfplugindocs generate --provider-name docusign --rendered-provider-name DocuSign >/dev/null)
if ! diff -ru docs "$scratch/docs"; then
  echo "docs/ is out of date: run 'make docs' and commit the result (never edit docs/ by hand)." >&2
  exit 1
fi
echo "docs/ matches the generated docs"
