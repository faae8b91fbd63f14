#!/usr/bin/env bash
# python-env.sh NAME: the virtual environment .venv/NAME, installed from the hash-locked
# requirements/NAME.txt, created once and reused while the lock and the Python are unchanged.
# Prints the environment's folder. (The same interface as the shared tools/python-env.sh that is
# on its way: replace calls to this script by that one when it lands.)
#
# Locks are made with uv (any recent version, e.g. `pip install uv` in a scratch venv):
#   uv pip compile --generate-hashes --python-version 3.11 requirements/NAME.in -o requirements/NAME.txt
set -euo pipefail
name=${1:?usage: python-env.sh NAME}
root=$(cd "$(dirname "$0")/../.." && pwd)
lock=$root/requirements/$name.txt
venv=$root/.venv/$name
python=${PYTHON:-python3}
[[ -f $lock ]] || { echo "python-env: no lock file $lock" >&2; exit 2; }
want="$(sha256sum "$lock" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"
if [[ -f $venv/.installed && $(cat "$venv/.installed") == "$want" ]]; then
  echo "$venv"
  exit 0
fi
echo "python-env: installing $venv from requirements/$name.txt" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes -r "$lock" >&2
echo "$want" >"$venv/.installed"
echo "$venv"
