#!/usr/bin/env bash
# Makes sure headless Chromium is there for the report's test: Debian's `chromium` package,
# installed with apt when missing (the test command runs as root on Debian 12). Prints its path.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  echo "chromium: installing Debian's chromium package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # DejaVu: a font for the report's text (the image may have none).
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
command -v chromium
