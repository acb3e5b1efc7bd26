#!/usr/bin/env bash
# Fails when docs/ differs from what tfplugindocs generates from templates/, examples/ and the
# provider schema. It generates into a scratch copy, so the work tree is left alone.
#   scripts/docs-check.sh            check this checkout
#   scripts/docs-check.sh --selftest prove the check fails when a template changes without make docs
set -euo pipefail
cd "$(dirname "$0")/.."

check() { # $1: source tree
  local scratch
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' RETURN
  tar -C "$1" --exclude=./.git --exclude=./bin -cf - . | tar -xf - -C "$scratch"
  (cd "$scratch" && go tool -modfile=tools/devtools/go.mod tfplugindocs generate --provider-name docusign --rendered-provider-name DocuSign >/dev/null)
  diff -ru "$1/docs" "$scratch/docs"
}

# tfplugindocs reads the provider schema from `terraform providers schema -json`, with the
# terraform first on PATH: TF_ACC_TERRAFORM_PATH's when set, as for the tests. Before 1.14 that
# schema leaves out list resources and actions (and before 1.10 ephemeral resources), so the
# generated docs would differ for that reason alone.
if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ]; then
  PATH="$(dirname "$TF_ACC_TERRAFORM_PATH"):$PATH"
fi
tf_version=$(terraform version -json 2>/dev/null | sed -nE 's/.*"terraform_version": *"([0-9.]+).*/\1/p')
if [ -z "$tf_version" ] || [ "$(printf '%s\n1.14.0\n' "$tf_version" | sort -V | head -1)" != "1.14.0" ]; then
  echo "docs-check: SKIPPED, it needs Terraform >= 1.14 to read the list resource and action schemas (found ${tf_version:-none}); scripts/install-clients.sh terraform builds one"
  exit 0
fi

if [ "${1:-}" = "--selftest" ]; then
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  tar --exclude=./.git --exclude=./bin -cf - . | tar -xf - -C "$tree"
  echo "An edited paragraph." >>"$tree/templates/guides/offboarding.md.tmpl"
  if check "$tree" >/dev/null; then
    echo "docs-check self-test: a template edit without 'make docs' was NOT caught" >&2
    exit 1
  fi
  echo "docs-check self-test: a template edit without 'make docs' is caught"
  exit 0
fi

if ! check "$(pwd)"; then
  echo "docs/ is out of date: run 'make docs' and commit the result (never edit docs/ by hand)." >&2
  exit 1
fi
echo "docs/ matches the generated docs"
