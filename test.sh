#!/usr/bin/env bash
# The test command: every test of every module (the formatter check included), then the Python
# tests of the warehouse (dbt, GX, the report). Needs JDK 17, Maven and Python 3.11; it installs
# the pinned Python tools (.venv/warehouse, reused when the lock has not changed) and Debian's
# chromium when missing. Testcontainers tests skip (visibly) when no Docker engine runs.
set -euo pipefail
cd "$(dirname "$0")"
tools/python-env.sh warehouse
CHROMIUM=$(tools/chromium.sh)
export CHROMIUM
mvn -B -ntp verify "$@"
# The Python tests check the marts of the run the Java end-to-end test just made (the size and
# seed their own fixture would use), instead of running the pipeline once more.
WAREHOUSE_TEST_RUN=local-pipeline/target/local-pipeline-test-run .venv/warehouse/bin/python -m pytest
