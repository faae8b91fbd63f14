#!/usr/bin/env bash
# validate.sh MIRROR: `tofu init`, `tofu validate` and `tofu test` (tests/*.tftest.hcl: a mocked
# apply) of infrastructure/, with the Google provider served from MIRROR, a filesystem mirror in
# the layout `tofu providers mirror MIRROR` (or `terraform providers mirror`) writes on a machine
# that reaches the provider registry: MIRROR/<registry host>/hashicorp/google/7.45.0/linux_amd64/.
#
# Not part of ./test.sh: here the provider comes from neither the provider registry nor the Go
# module proxy (which refuses every version of github.com/hashicorp/terraform-provider-google
# newer than v1.20.0, a 2018 release). The README's "Deploy on Google Cloud" says how it was run.
# Runs on a copy of the configuration, so no .terraform/ or lock file lands in the work tree.
set -euo pipefail
mirror=$(cd "${1:?usage: validate.sh PROVIDER_MIRROR_DIR}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
tofu=$("$root/infrastructure/tests/tofu.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/airflow/dags"
cp -r "$root/infrastructure" "$work/"
cp -r "$root/airflow/dags/spotify_listening" "$work/airflow/dags/"
find "$work/infrastructure/tests" -type f ! -name '*.tftest.hcl' -delete
cat >"$work/cli.tfrc" <<CONF
provider_installation {
  filesystem_mirror {
    path = "$mirror"
  }
}
CONF
export TF_CLI_CONFIG_FILE=$work/cli.tfrc TF_IN_AUTOMATION=1
start=$SECONDS
"$tofu" -chdir="$work/infrastructure" init -backend=false -input=false -no-color
"$tofu" -chdir="$work/infrastructure" validate -no-color
# Every expression, for_each, validation and precondition, evaluated against a mocked provider.
"$tofu" -chdir="$work/infrastructure" test -no-color
echo "validate.sh: init + validate + test in $((SECONDS - start)) s"
