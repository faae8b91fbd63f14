#!/usr/bin/env bash
# The infrastructure checks of the test command (./test.sh runs this after mvn verify):
#   1. fmt -check -recursive        (tofu or terraform 1.6+; tofu.sh builds OpenTofu if none)
#   2. checkov on infrastructure/   (pinned, hash-locked: requirements/checkov.txt)
#   3. pytest infrastructure/tests  (python-hcl2 cross-checks: requirements/infra.txt)
# `validate.sh` (tofu validate + tofu test) needs the Google provider, which this machine cannot
# download: it is a separate command (see the README).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS

# No CLI configuration is needed to format; an empty one keeps a missing ~/.terraformrc quiet.
cli_config=$(mktemp)
trap 'rm -f "$cli_config"' EXIT
export TF_CLI_CONFIG_FILE=$cli_config

tofu=$(infrastructure/tests/tofu.sh)
echo "== $("$tofu" version | head -1): fmt -check -recursive infrastructure"
if ! "$tofu" fmt -check -recursive -diff infrastructure; then
  echo "infrastructure: not formatted; run: $tofu fmt -recursive infrastructure" >&2
  exit 1
fi

tools/python-env.sh checkov
checkov=.venv/checkov
echo "== checkov $("$checkov/bin/checkov" --version) on infrastructure/"
# --skip-download: no policy download from the vendor's platform (and no network here).
"$checkov/bin/checkov" --directory infrastructure --framework terraform \
  --quiet --compact --skip-download

tools/python-env.sh infra
infra=$PWD/.venv/infra
echo "== pytest infrastructure/tests"
(cd infrastructure/tests && "$infra/bin/python" -m pytest -q -p no:cacheprovider)

echo "infrastructure checks passed in $((SECONDS - start)) s"
