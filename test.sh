#!/usr/bin/env bash
# The test command: every test of every module, the formatter check included, then the
# infrastructure checks (infrastructure/tests/run.sh: tofu fmt, checkov, the Terraform tests).
# Needs JDK 17, Maven, Go and Python 3.11; Testcontainers tests skip (visibly) when no Docker
# engine runs. Arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp -Dstyle.color=never verify "$@"
infrastructure/tests/run.sh
