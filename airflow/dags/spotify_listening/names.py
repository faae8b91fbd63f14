"""The names the DAGs read from their environment, as constants (loaded from names.json).

names.json is the one place these names are defined: Terraform reads it too and sets every
Airflow Variable it lists on the Composer environment. Use the constants, never the strings:

    from spotify_listening import names
    landing = "{{ var.value.%s }}" % names.LANDING_BUCKET        # in a templated field
    Variable.get(names.GOLD_DATASET)                               # inside a task only
"""

import json
from pathlib import Path

_CONTRACT = json.loads(Path(__file__).with_name("names.json").read_text(encoding="utf-8"))

#: Variable name -> description; Terraform sets each as AIRFLOW_VAR_<NAME>.
AIRFLOW_VARIABLES: dict[str, str] = _CONTRACT["airflow_variables"]
#: Optional Variables an operator adds by hand (never in Terraform state).
SET_BY_HAND: dict[str, str] = _CONTRACT["set_by_hand"]
#: The failure callback's log line must contain this; the log-based alert counts it.
FAILURE_LOG_MARKER: str = _CONTRACT["failure_log"]["marker"]

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
DBT_JOB = "spotify_dbt_job"
PLAYLIST_IDS = "spotify_playlist_ids"
NEW_RELEASES_MARKETS = "spotify_new_releases_markets"
FAILURE_WEBHOOK_URL = "spotify_failure_webhook_url"
