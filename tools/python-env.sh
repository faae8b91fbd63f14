#!/usr/bin/env bash
# One Python environment per name, made the same way for every tool of the repository:
#
#   tools/python-env.sh <name>          create or update .venv/<name> from requirements/<name>.txt
#   tools/python-env.sh --lock <name>   re-lock requirements/<name>.txt from requirements/<name>.in
#
# requirements/<name>.txt is a lock: exact versions with their SHA-256 hashes, made by uv from the
# hand-written requirements/<name>.in. The environment is (re)built only when the lock, the uv
# lock or the Python interpreter changed since the last build (a stamp file in the environment
# says which); otherwise this takes a few milliseconds. uv itself comes from PyPI, pinned and
# hashed in requirements/uv.txt, installed with pip into .venv/_uv.
#
# Prints nothing but errors when nothing changed; progress goes to stderr. Exit 0 when the
# environment is ready, non-zero (with the reason) when it cannot be made.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}

usage() {
  echo "usage: tools/python-env.sh [--lock] <name>   (names: $(cd "$root/requirements" && ls *.in | sed 's/\.in$//' | grep -v '^uv$' | tr '\n' ' '))" >&2
  exit 2
}

lock_mode=false
if [[ ${1:-} == --lock ]]; then
  lock_mode=true
  shift
fi
[[ $# -eq 1 && -n $1 ]] || usage
name=$1
[[ -f $root/requirements/$name.in ]] || { echo "error: no requirements/$name.in" >&2; usage; }

command -v "$python" >/dev/null || {
  echo "error: $python not found: install Python 3.11 (or set PYTHON to an interpreter)" >&2
  exit 1
}

mkdir -p "$root/.venv"
# One build at a time per machine checkout: run.sh and test.sh may start together.
exec 9>"$root/.venv/.lock"
flock 9

# uv, from PyPI through pip, hash-checked.
uv_venv=$root/.venv/_uv
uv_stamp="$(sha256sum "$root/requirements/uv.txt" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version)' | head -1)"
if [[ ! -x $uv_venv/bin/uv || "$(cat "$uv_venv/.stamp" 2>/dev/null)" != "$uv_stamp" ]]; then
  echo "python-env: installing uv into .venv/_uv" >&2
  rm -rf "$uv_venv"
  "$python" -m venv "$uv_venv"
  "$uv_venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps \
    -r "$root/requirements/uv.txt"
  echo "$uv_stamp" >"$uv_venv/.stamp"
fi
uv=$uv_venv/bin/uv

if $lock_mode; then
  # Linux x86_64 and the machine's Python: the platform of this machine, CI, Composer workers
  # and Cloud Run.
  # Extra compile options, if any, sit in the .in file as "# uv-compile: <options>" lines.
  read -r -a extra <<<"$(sed -n 's/^# uv-compile: //p' "$root/requirements/$name.in" | tr '\n' ' ')"
  (cd "$root/requirements" && "$uv" pip compile "$name.in" --quiet --generate-hashes "${extra[@]}" \
    --python-version "$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
    --python-platform x86_64-manylinux_2_28 -o "$name.txt")
  echo "python-env: wrote requirements/$name.txt" >&2
  exit 0
fi

lock=$root/requirements/$name.txt
[[ -f $lock ]] || { echo "error: no requirements/$name.txt: run tools/python-env.sh --lock $name" >&2; exit 1; }
venv=$root/.venv/$name
stamp="$(sha256sum "$lock" | cut -d' ' -f1) $uv_stamp"
if [[ -x $venv/bin/python && "$(cat "$venv/.stamp" 2>/dev/null)" == "$stamp" ]]; then
  exit 0
fi
echo "python-env: building .venv/$name from requirements/$name.txt" >&2
start=$(date +%s)
rm -rf "$venv"
"$uv" venv --quiet --python "$(command -v "$python")" "$venv"
# sync: exactly the lock, nothing more; every file checked against its hash.
"$uv" pip sync --quiet --require-hashes --python "$venv/bin/python" "$lock"
echo "$stamp" >"$venv/.stamp"
echo "python-env: .venv/$name ready in $(( $(date +%s) - start )) s" >&2
