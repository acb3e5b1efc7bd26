#!/usr/bin/env bash
# Builds the Terraform and OpenTofu CLIs that the acceptance tests run, from the Go module proxy,
# and caches each binary so that a second run finds it at once.
#
#   scripts/install-clients.sh terraform [VERSION]   # default 1.14.3
#   scripts/install-clients.sh tofu [VERSION]        # default 1.10.10
#
# Prints the binary's path on its last line. The cache is $CLIENTS_CACHE (default
# ~/.cache/terraform-provider-docusign/clients/<name>-<version>/).
#
# Why a build and not `go install`: Terraform's go.mod replaces nine remote-state backends (azure,
# consul, cos, gcs, kubernetes, oci, oss, pg, s3) with folders that the module zip does not carry, so
# `go install github.com/hashicorp/terraform@v1.14.3` fails. The tests use the local backend only, so
# the build drops those nine from internal/backend/init/init.go in a writable copy of the module.
# OpenTofu's module builds as it is.
set -euo pipefail

name=${1:?usage: install-clients.sh terraform|tofu [VERSION]}
case "$name" in
  terraform) version=${2:-1.14.3}; module=github.com/hashicorp/terraform; cmd=. ;;
  tofu)      version=${2:-1.10.10}; module=github.com/opentofu/opentofu; cmd=./cmd/tofu ;;

  *) echo "install-clients: unknown client $name (terraform or tofu)" >&2; exit 2 ;;
esac

cache=${CLIENTS_CACHE:-$HOME/.cache/terraform-provider-docusign/clients}
bin="$cache/$name-$version/$name"
if [ -x "$bin" ] && "$bin" version 2>/dev/null | head -1 | grep -qx "[A-Za-z]* v$version"; then
  echo "$bin"
  exit 0
fi

echo "install-clients: building $name $version from the Go module proxy (several minutes)" >&2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
src=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$module@v$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "install-clients: go mod download gave no folder for $module@v$version" >&2; exit 1; }
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"

if [ "$name" = terraform ]; then
  init=internal/backend/init/init.go
  for backend in azure consul cos gcs kubernetes oci oss pg s3; do
    alias=$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\) \"github.com/hashicorp/terraform/internal/backend/remote-state/$backend\"\$|\1|p" "$init")
    [ -n "$alias" ] || { echo "install-clients: $init has no import of the $backend backend; update this script" >&2; exit 1; }
    sed -i "\|\"github.com/hashicorp/terraform/internal/backend/remote-state/$backend\"|d; /$alias\.New/d" "$init"
  done
fi

mkdir -p "$(dirname "$bin")"
# Release builds set version.dev=no; without it the binary calls itself X.Y.Z-dev.
# Low priority: on a shared 2-core machine the build should not starve whatever else runs.
CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w -X $module/version.dev=no" -o "$bin.tmp" "$cmd"
mv "$bin.tmp" "$bin"
"$bin" version >&2
echo "$bin"
