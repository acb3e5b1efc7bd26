#!/usr/bin/env bash
# make demo: start the DocuSign emulator with the demo organization, build the provider, apply
# examples/demo through a dev_overrides CLI config (no registry, no terraform init), print the
# summary, then destroy and clean up -- also when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

command -v terraform >/dev/null || { echo "demo: terraform is not on PATH (any version >= 1.5)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/docusign-demo.XXXXXX")
emulator_pid=""
cleanup() {
  status=$?
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT INT TERM

echo "==> building the provider and the emulator"
mkdir -p "$work/plugins"
go build -o "$work/plugins/terraform-provider-docusign" .
go build -o "$work/docusign-emulator" ./internal/emulator/cmd/docusign-emulator

echo "==> starting the DocuSign emulator with testdata/emulator/demo-org.json"
"$work/docusign-emulator" --addr 127.0.0.1:0 --fixture testdata/emulator/demo-org.json \
  --ready-file "$work/ready.json" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/ready.json" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/ready.json" ] || { echo "demo: the emulator did not start" >&2; exit 1; }
ready=$(cat "$work/ready.json")
json_field() { sed -E "s/.*\"$1\" *: *\"([^\"]*)\".*/\1/" <<<"$ready"; }
oauth_base_url=$(json_field oauth_base_url)
admin_base_url=$(json_field admin_base_url)
monitor_base_url=$(json_field monitor_base_url)
echo "    emulator at $oauth_base_url"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "opensam/docusign" = "$work/plugins"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
cp -R examples/demo "$work/stack"
tf() { terraform -chdir="$work/stack" "$@"; }
vars=(-var "oauth_base_url=$oauth_base_url" -var "admin_base_url=$admin_base_url" -var "monitor_base_url=$monitor_base_url"
  -var "private_key_file=$root/testdata/keys/rsa2048.pkcs1.key")

echo "==> terraform apply examples/demo"
tf apply -auto-approve -input=false -no-color "${vars[@]}" >"$work/apply.log" 2>&1 || { cat "$work/apply.log" >&2; exit 1; }
grep -E '^Apply complete' "$work/apply.log" || true
# The capacity check warns rather than fails; show what it found.
grep -E 'exceed seats allowed|passed 90%' "$work/apply.log" | sed -E 's/^/    check capacity: /' || true
# An account the impersonated admin is no member of is reported with a warning naming it and the
# fix; show each distinct one once, unwrapped.
awk '
  /^Warning: .* Unknown for DocuSign Account / { grab = 1; blanks = 0; text = ""; next }
  grab && /^[[:space:]]*$/ {
    if (++blanks == 3) { grab = 0; if (!(text in seen)) { seen[text] = 1; print text } }
    next
  }
  grab && blanks == 2 { text = (text == "" ? $0 : text " " $0) }
 ' "$work/apply.log" | while IFS= read -r text; do
  fold -s -w 96 <<<"$text" | sed -E '1s/^/    warning: /; 2,$s/^/             /'
done || true
echo
tf output -raw summary
echo

echo "==> terraform destroy"
tf destroy -auto-approve -input=false -compact-warnings "${vars[@]}" >"$work/destroy.log" 2>&1 || { cat "$work/destroy.log" >&2; exit 1; }
grep -E '^Destroy complete' "$work/destroy.log" || true
echo "==> done"
