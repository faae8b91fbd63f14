#!/usr/bin/env bash
# Makes sure headless Chromium is there for the report's test and screenshot: Debian's `chromium`
# package and fonts for the report's text (DejaVu; WenQuanYi Micro Hei for the CJK names the
# simulator's catalog has), installed with apt when missing (the test command runs as root on
# Debian 12; Debian's security archive serves one current chromium, so the version is Debian's,
# printed here, not a pin). Prints chromium's path on stdout.
set -euo pipefail
packages=(chromium fonts-dejavu-core fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "chromium.sh: installing ${missing[*]} from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
echo "chromium.sh: $(dpkg-query -W -f='chromium ${Version}' chromium)" >&2
command -v chromium
