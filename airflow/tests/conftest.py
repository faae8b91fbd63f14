"""Fixtures of the DAG tests: a throwaway Airflow home with its SQLite metadata database, the DAG
folder importable as Airflow's own processes make it, and the Variables of the contract as
AIRFLOW_VAR_* (how Terraform sets them on Composer).

No Google Cloud call can leave this machine: google-auth is told it is not on GCE (no metadata
server probe) and there is no `google_cloud_default` connection, so a gcp operator that runs
fails on its missing credentials before any request.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow" / "dags"
EXPECTED = Path(__file__).with_name("expected")

_home = Path(tempfile.mkdtemp(prefix="airflow-dag-tests-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "NO_GCE_CHECK": "true",
        "GCE_METADATA_HOST": "127.0.0.1:9",
        "GCE_METADATA_IP": "127.0.0.1:9",
    }
)
sys.path.insert(0, str(DAGS))

import pytest  # noqa: E402

CONTRACT = json.loads((DAGS / "spotify_listening" / "names.json").read_text())

#: The values the expected payloads were rendered with: what `terraform output airflow_variables`
#: gives for project my-proj in europe-west1 (see infrastructure/main.tf, local.dag_variables).
GCP_VARIABLES = {
    "spotify_target": "gcp",
    "spotify_project": "my-proj",
    "spotify_region": "europe-west1",
    "spotify_landing_bucket": "my-proj-listening-landing",
    "spotify_landing_uri": "gs://my-proj-listening-landing",
    "spotify_bronze_uri": "gs://my-proj-listening-lake/bronze",
    "spotify_lookup_list_uri": "gs://my-proj-listening-lake/lookup-list",
    "spotify_jobs_jar_uri": "gs://my-proj-listening-artifacts/jars/spark-jobs.jar",
    "spotify_dataproc_runtime_version": "2.3",
    "spotify_dataproc_service_account": "listening-spark@my-proj.iam.gserviceaccount.com",
    "spotify_dataproc_subnetwork_uri": (
        "projects/my-proj/regions/europe-west1/subnetworks/listening-dataproc"
    ),
    "spotify_dataproc_staging_bucket": "my-proj-listening-tmp",
    "spotify_bq_temp_bucket": "my-proj-listening-tmp",
    "spotify_gold_dataset": "listening_gold",
    "spotify_marts_dataset": "listening_marts",
    "spotify_extractor_job": "listening-extractor",
    "spotify_extractor_task_count": "2",
    "spotify_dbt_job": "listening-dbt",
    "spotify_playlist_ids": "u00001:37i9dQZF1DXcBWIGoYBM5M",
    "spotify_new_releases_markets": "SE,DE",
    "spotify_lateness_hours": "2",
}
assert set(GCP_VARIABLES) == set(CONTRACT["airflow_variables"])

LOCAL_VARIABLES = {
    **GCP_VARIABLES,
    "spotify_target": "local",
    "spotify_landing_uri": "/data/run/landing",
    "spotify_bronze_uri": "/data/run/bronze",
    "spotify_lookup_list_uri": "/data/run/lookup-list",
    "spotify_extractor_task_count": "1",
    "spotify_local_simulator_url": "http://127.0.0.1:8090",
    "spotify_local_run_dir": "/data/run",
    "spotify_local_extractor_command": "java -jar extractor.jar",
    "spotify_local_spark_command": "java -cp 'jobs.jar:lib/*' dev.listening.jobs.JobsMain",
    "spotify_local_warehouse_command": "python -m listening_warehouse.runner --target local",
}
assert set(LOCAL_VARIABLES) == set(CONTRACT["airflow_variables"]) | set(
    CONTRACT["local_target"]["variables"]
)


def set_variables(values: dict) -> None:
    """Exactly these Variables exist (as AIRFLOW_VAR_*), no other."""
    for key in [k for k in os.environ if k.startswith("AIRFLOW_VAR_")]:
        del os.environ[key]
    for name, value in values.items():
        os.environ["AIRFLOW_VAR_" + name.upper()] = value


def load_dags(target: str) -> dict:
    """Both DAGs parsed from the DAG folder as Airflow parses them, for one target."""
    from airflow.dag_processing.dagbag import DagBag

    set_variables(GCP_VARIABLES if target == "gcp" else LOCAL_VARIABLES)
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}, bag.import_errors
    return bag.dags


@pytest.fixture(scope="session")
def airflow_db():
    """The metadata database, migrated once per test session."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("airflow")), "db", "migrate"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return _home


def sync(dags: dict) -> None:
    """Writes the DAGs to the metadata database, as the DAG processor does."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    DagBundlesManager().sync_bundles_to_db()
    bag = DagBag(dag_folder=str(DAGS), collect_dags=False)
    for dag in dags.values():
        bag.bag_dag(dag)
    sync_bag_to_db(bag, "dags-folder", None)


def render(dag, task_id: str, logical_date: str, try_number: int = 1) -> dict:
    """The task's templated fields as `airflow tasks render` shows them (its own functions),
    for the run of `logical_date` and the given try."""
    from airflow.cli.commands.task_command import _get_template_context, _get_ti
    from airflow.serialization.serialized_objects import DagSerialization

    scheduler_dag = DagSerialization.from_dict(DagSerialization.to_dict(dag))
    ti, _ = _get_ti(
        scheduler_dag.get_task(task_id=task_id),
        -1,
        logical_date_or_run_id=logical_date,
        create_if_necessary="memory",
    )
    ti.try_number = try_number
    # A copy: rendering writes the rendered values onto the task it renders.
    task = copy.deepcopy(dag.get_task(task_id))
    context = _get_template_context(ti, task)
    task.render_template_fields(context)
    return {field: getattr(context["task"], field) for field in task.template_fields}
