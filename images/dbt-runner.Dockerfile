# The dbt runner's Cloud Run image: dbt build and the GX checkpoint for one day on BigQuery
# (python -m listening_warehouse.runner --target prod; the DAG's container args are
# `build|checkpoint --date D`), run as a non-root user. Its own image keeps dbt's and GX's
# dependencies out of Airflow's environment. No secret: BigQuery is reached with the job's
# service account (Application Default Credentials); the project and datasets come from the
# job's environment (names.json dbt_runner_env, set by Terraform).
#
#   docker build -f images/dbt-runner.Dockerfile -t REPO/dbt-runner:0.1.0 .
#
# The same hashed lock as .venv/warehouse (requirements/warehouse.txt), the same Python (3.11).
ARG BASE_IMAGE=python:3.11.7-slim-bookworm
FROM ${BASE_IMAGE}
WORKDIR /app
COPY requirements/warehouse.txt /app/requirements/warehouse.txt
RUN python -m venv /app/.venv \
 && /app/.venv/bin/pip install --no-cache-dir --disable-pip-version-check --require-hashes \
      --no-deps -r /app/requirements/warehouse.txt
COPY dbt_project /app/dbt_project
COPY great_expectations /app/great_expectations
COPY listening_warehouse /app/listening_warehouse
USER 65532:65532
# dbt writes its target/ and logs/ under /tmp (the runner says where); HOME for libraries that
# cache there.
ENV PYTHONPATH=/app \
    HOME=/tmp \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    GX_ANALYTICS_ENABLED=false
ENTRYPOINT ["/app/.venv/bin/python", "-m", "listening_warehouse.runner", "--target", "prod"]
