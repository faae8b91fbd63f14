#!/usr/bin/env bash
# Prints the path of fake-gcs-server (github.com/fsouza/fake-gcs-server), the Cloud Storage
# emulator the gs:// tests run as a process on loopback, building it first if this checkout does
# not have it yet.
#
# No release download or Docker image is reachable here, but the Go module proxy is: the pinned
# version is built with `go install` into .tools/fake-gcs-server-<version>/ (git-ignored), once
# per checkout (about 2.5 minutes on 2 cores with a cold Go module cache), and reused after that
# (a few milliseconds). $FAKE_GCS_SERVER, if set, is used as is.
#
# Progress goes to stderr; stdout is the binary's path only. Exit non-zero with the reason when it
# cannot be built (no Go, no module proxy).
set -euo pipefail
version=v1.56.1
if [[ -n ${FAKE_GCS_SERVER:-} ]]; then
  echo "$FAKE_GCS_SERVER"
  exit 0
fi
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/.tools/fake-gcs-server-$version
bin=$dir/fake-gcs-server
if [[ -x $bin ]]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "fake-gcs-server.sh: needs Go to build fake-gcs-server $version" >&2; exit 2; }
mkdir -p "$root/.tools"
# One build at a time: run.sh, test.sh or two Maven runs may ask together.
exec 9>"$root/.tools/.fake-gcs-server.lock"
flock 9
if [[ ! -x $bin ]]; then
  echo "fake-gcs-server.sh: building fake-gcs-server $version from the Go module proxy (once per checkout, minutes)" >&2
  start=$SECONDS
  tmp=$(mktemp -d "$root/.tools/.fake-gcs-server-build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  GOBIN=$tmp go install -trimpath "github.com/fsouza/fake-gcs-server@$version"
  mkdir -p "$dir"
  mv "$tmp/fake-gcs-server" "$bin"
  echo "fake-gcs-server.sh: built $bin in $((SECONDS - start)) s" >&2
fi
echo "$bin"
