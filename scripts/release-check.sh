#!/usr/bin/env bash
# Checks .goreleaser.yml with the pinned goreleaser (tools/devtools/go.mod) and builds a snapshot
# release the way a tag's release would, less the GPG signature and the upload, then verifies
# what the Terraform Registry needs from a release:
#   - one zip per OS and architecture that .goreleaser.yml builds, holding the provider binary
#     named terraform-provider-docusign_v<version> (.exe on Windows);
#   - <project>_<version>_SHA256SUMS listing every zip and the manifest, with sums that match;
#   - the registry manifest, terraform-registry-manifest.json, under the name the registry reads,
#     <project>_<version>_manifest.json (the release uploads it; here it is copied into dist/).
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser() { go tool -modfile=tools/devtools/go.mod goreleaser "$@"; }
fail() { echo "release-check: $*" >&2; exit 1; }

goreleaser check
# The signature needs the release key (GPG_FINGERPRINT), which only the release job has.
goreleaser release --snapshot --clean --skip=sign

project=$(sed -nE 's/.*"project_name": *"([^"]+)".*/\1/p' dist/metadata.json)
version=$(sed -nE 's/.*"version": *"([^"]+)".*/\1/p' dist/metadata.json)
[ -n "$project" ] && [ -n "$version" ] || fail "dist/metadata.json names no project or version"

# The platforms .goreleaser.yml asks for: every goos x goarch less its ignore pairs.
list() { sed -nE "s/^ *$1: *\[(.*)\]/\1/p" .goreleaser.yml | head -1 | tr -d ' "' | tr ',' ' '; }
ignored=$(awk '/^ *ignore:/ {on=1; next} on && /goos:/ {os=$NF} on && /goarch:/ {gsub(/"/, "", $NF); print os "_" $NF} on && /^ *[a-z_]+:$/ && !/ignore/ {on=0}' .goreleaser.yml)
platforms=()
for os in $(list goos); do
  for arch in $(list goarch); do
    grep -qx "${os}_$arch" <<<"$ignored" || platforms+=("${os}_$arch")
  done
done
[ "${#platforms[@]}" -gt 0 ] || fail "found no goos/goarch in .goreleaser.yml"

sums="dist/${project}_${version}_SHA256SUMS"
[ -s "$sums" ] || fail "$sums is missing"
check_sum() { # $1: file, $2: the name SHA256SUMS lists it under
  local want got
  want=$(awk -v n="$2" '$2 == n {print $1}' "$sums")
  got=$(sha256sum "$1" | cut -d' ' -f1)
  [ -n "$want" ] || fail "$sums does not list $2"
  [ "$want" = "$got" ] || fail "$sums gives $2 the sum $want, the file has $got"
}

for p in "${platforms[@]}"; do
  zip="dist/${project}_${version}_$p.zip"
  [ -s "$zip" ] || fail "$zip is missing"
  binary="${project}_v$version"
  [ "${p%%_*}" = windows ] && binary="$binary.exe"
  unzip -l "$zip" | awk '{print $4}' | grep -qx "$binary" || fail "$zip does not hold $binary"
  check_sum "$zip" "$(basename "$zip")"
done

manifest="dist/${project}_${version}_manifest.json"
cp terraform-registry-manifest.json "$manifest"
check_sum "$manifest" "$(basename "$manifest")"
grep -q '"protocol_versions": *\["6.0"\]' "$manifest" || fail "$manifest does not declare protocol 6.0, the one the provider serves"

listed=$(wc -l <"$sums")
[ "$listed" -eq $(( ${#platforms[@]} + 1 )) ] || fail "$sums lists $listed files, expected ${#platforms[@]} zips and the manifest"
echo "release-check: ${#platforms[@]} zips (${platforms[*]}), $(basename "$sums") and $(basename "$manifest") in dist/"
