#!/usr/bin/env bash
# validate.sh MIRROR: `tofu init`, `tofu validate` and `tofu test` (tests/*.tftest.hcl) of infrastructure/ with the Google provider
# served from MIRROR, a filesystem mirror (the layout `terraform providers mirror` writes:
# MIRROR/<host>/hashicorp/google/<version>/<os>_<arch>/terraform-provider-google_v<version>, for
# host registry.opentofu.org, or registry.terraform.io with TOFU=terraform).
#
# Not part of ./test.sh: the provider reaches this machine from neither the Terraform registry
# nor the Go module proxy (which refuses every version of github.com/hashicorp/terraform-provider-google
# newer than v1.20.0). See the README's "Deploy on Google Cloud" for how it was run.
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
