#!/usr/bin/env bash
# tofu.sh: prints the path of the pinned OpenTofu CLI, building it first if this machine has none.
#
# Neither Terraform's nor OpenTofu's release downloads are reachable here, but OpenTofu is a Go
# module on the Go module proxy. `go install tofu@version` refuses it (its go.mod has a replace
# directive), so the module's source is downloaded into the module cache and built there.
# The binary is kept in $(go env GOPATH)/bin/tofu-<version>: one build per machine, about 5 to 7
# minutes on 2 cores. TOFU=/path/to/tofu-or-terraform skips all this.
# (Terraform's own module cannot be built that way: its go.mod replaces modules by folders that
# the module download leaves out.)
set -euo pipefail
version=v1.12.6
if [[ -n ${TOFU:-} ]]; then
  echo "$TOFU"
  exit 0
fi
bin="$(go env GOPATH)/bin/tofu-$version"
if [[ -x $bin ]]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "tofu.sh: needs Go (to build OpenTofu $version)" >&2; exit 2; }
echo "tofu.sh: building OpenTofu $version from the Go module proxy (one-off, a few minutes)" >&2
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
