#!/usr/bin/env bash
# tofu.sh: prints the path of a Terraform-compatible CLI for the checks, installing one if this
# machine has none. In order:
#   1. $TOFU, if set;
#   2. the pinned OpenTofu below, if it was built on this machine before;
#   3. `tofu` or `terraform` on PATH, at version 1.6 or later (fmt has not changed since);
#   4. otherwise the pinned OpenTofu is built, once per machine.
# Neither Terraform's nor OpenTofu's release downloads are reachable here, but OpenTofu is a Go
# module on the Go module proxy. `go install tofu@version` refuses it (its go.mod has a replace
# directive), so the module's source is downloaded into the module cache and built there, into
# $(go env GOPATH)/bin/tofu-<version>: 7 to 13 minutes on 2 busy cores. (Terraform's own module
# cannot be built that way: its go.mod replaces modules by folders the module download leaves out.)
set -euo pipefail
version=v1.12.6
if [[ -n ${TOFU:-} ]]; then
  echo "$TOFU"
  exit 0
fi
bin="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin/tofu-$version"
if [[ -x $bin ]]; then
  echo "$bin"
  exit 0
fi
for cli in tofu terraform; do
  path=$(command -v "$cli" || true)
  [[ -n $path ]] || continue
  found=$(TF_CLI_CONFIG_FILE=/dev/null "$path" version 2>/dev/null | sed -n '1s/^[A-Za-z]* v\([0-9][0-9]*\)\.\([0-9][0-9]*\)\..*/\1 \2/p')
  if [[ -n $found ]] && read -r major minor <<<"$found" && ((major > 1 || (major == 1 && minor >= 6))); then
    echo "$path"
    exit 0
  fi
done
command -v go >/dev/null || { echo "tofu.sh: needs Go (to build OpenTofu $version)" >&2; exit 2; }
echo "tofu.sh: building OpenTofu $version from the Go module proxy (once per machine, minutes)" >&2
src=$(go mod download -json "github.com/opentofu/opentofu@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[[ -d $src ]] || { echo "tofu.sh: could not download github.com/opentofu/opentofu@$version" >&2; exit 1; }
mkdir -p "$(dirname "$bin")"
start=$SECONDS
(cd "$src" && go build -trimpath \
  -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
  -o "$bin.tmp" ./cmd/tofu)
mv "$bin.tmp" "$bin"
echo "tofu.sh: built $bin in $((SECONDS - start)) s" >&2
echo "$bin"
