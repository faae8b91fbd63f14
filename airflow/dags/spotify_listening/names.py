"""The names the DAGs read from their environment, as constants (loaded from names.json).

names.json is the one place these names are defined: Terraform reads it too and sets every
Airflow Variable it lists on the Composer environment. Use the constants, never the strings:

    from spotify_listening import names
    landing = names.var(names.LANDING_URI)        # "{{ var.value.spotify_landing_uri }}"
    Variable.get(names.GOLD_DATASET)               # inside a task only

This module is also the only place the DAG package reads its environment (`target()`); a test
fails when another file of the package reads a Variable or an environment variable directly.
"""

import json
import os
from pathlib import Path

_CONTRACT = json.loads(Path(__file__).with_name("names.json").read_text(encoding="utf-8"))

#: Variable name -> description; Terraform sets each as AIRFLOW_VAR_<NAME>.
AIRFLOW_VARIABLES: dict = _CONTRACT["airflow_variables"]
#: Optional Variables an operator adds by hand (never in Terraform state).
SET_BY_HAND: dict = _CONTRACT["set_by_hand"]
#: Variables only the local target reads (never set on Composer).
LOCAL_TARGET: dict = _CONTRACT["local_target"]["variables"]
#: The failure callback's log line must contain this; the log-based alert counts it.
FAILURE_LOG_MARKER: str = _CONTRACT["failure_log"]["marker"]
#: Environment of the dbt runner's Cloud Run job (Terraform sets it on the job).
DBT_RUNNER_ENV: dict = _CONTRACT["dbt_runner_env"]

TARGET = "spotify_target"
PROJECT = "spotify_project"
REGION = "spotify_region"
LANDING_BUCKET = "spotify_landing_bucket"
LANDING_URI = "spotify_landing_uri"
BRONZE_URI = "spotify_bronze_uri"
LOOKUP_LIST_URI = "spotify_lookup_list_uri"
JOBS_JAR_URI = "spotify_jobs_jar_uri"
DATAPROC_RUNTIME_VERSION = "spotify_dataproc_runtime_version"
DATAPROC_SERVICE_ACCOUNT = "spotify_dataproc_service_account"
DATAPROC_SUBNETWORK_URI = "spotify_dataproc_subnetwork_uri"
DATAPROC_STAGING_BUCKET = "spotify_dataproc_staging_bucket"
BQ_TEMP_BUCKET = "spotify_bq_temp_bucket"
GOLD_DATASET = "spotify_gold_dataset"
MARTS_DATASET = "spotify_marts_dataset"
EXTRACTOR_JOB = "spotify_extractor_job"
EXTRACTOR_TASK_COUNT = "spotify_extractor_task_count"
DBT_JOB = "spotify_dbt_job"
PLAYLIST_IDS = "spotify_playlist_ids"
NEW_RELEASES_MARKETS = "spotify_new_releases_markets"
LATENESS_HOURS = "spotify_lateness_hours"
FAILURE_WEBHOOK_URL = "spotify_failure_webhook_url"
LOCAL_SIMULATOR_URL = "spotify_local_simulator_url"
LOCAL_RUN_DIR = "spotify_local_run_dir"
LOCAL_EXTRACTOR_COMMAND = "spotify_local_extractor_command"
LOCAL_SPARK_COMMAND = "spotify_local_spark_command"
LOCAL_WAREHOUSE_COMMAND = "spotify_local_warehouse_command"

#: The targets a step can be bound to.
TARGETS = ("gcp", "local")


def var(name: str) -> str:
    """The template that reads Variable `name` when a task runs (never at parse time)."""
    if name not in AIRFLOW_VARIABLES and name not in LOCAL_TARGET and name not in SET_BY_HAND:
        raise KeyError(f"{name!r} is not a Variable of the contract (names.json)")
    return "{{ var.value.%s }}" % name


def target() -> str:
    """The target the steps are bound to: read when the DAG files are parsed, because it decides
    which operators the tasks are. Composer gets it from Terraform as AIRFLOW_VAR_SPOTIFY_TARGET;
    a local Airflow from tools/airflow-local.sh."""
    env = "AIRFLOW_VAR_" + TARGET.upper()
    value = os.environ.get(env, "").strip()
    if value not in TARGETS:
        raise ValueError(
            f"{env} must be one of {', '.join(TARGETS)} (got {value!r}): Terraform sets gcp on "
            "Composer; tools/airflow-local.sh sets local"
        )
    return value
