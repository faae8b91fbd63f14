#!/usr/bin/env bash
# The test command: every test of every module (the formatter check included), the Python tests
# of the warehouse (dbt, GX, the report), the DAGs under Airflow, the extractor's image, then the
# infrastructure checks (tofu fmt, checkov, the
# Terraform tests). Needs JDK 17, Maven, Go and Python 3.11; it installs the pinned Python tools
# (.venv/<name>, reused while the lock has not changed) and Debian's chromium when missing.
# Testcontainers tests skip (visibly) when no Docker engine runs. Arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
tools/python-env.sh warehouse >/dev/null
CHROMIUM=$(tools/chromium.sh)
export CHROMIUM
mvn -B -ntp -Dstyle.color=never verify "$@"
# The Python tests check the marts of the run the Java end-to-end test just made (the size and
# seed their own fixture would use), instead of running the pipeline once more.
WAREHOUSE_TEST_RUN=local-pipeline/target/local-pipeline-test-run .venv/warehouse/bin/python -m pytest
# The DAGs under real Airflow 3 (load, ruff AIR3, payloads, alerts, and the local target end to
# end: simulator, extractor, Spark, dbt, GX), then the same files' import on Airflow 2.11.
tools/python-env.sh airflow >/dev/null
.venv/airflow/bin/python -m pytest airflow/tests
tools/python-env.sh airflow2 >/dev/null
.venv/airflow2/bin/python airflow/tests/import_airflow2.py
# The extractor's Cloud Run image, built daemonless and inspected.
images/build.sh extractor
infrastructure/tests/run.sh
