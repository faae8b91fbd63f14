"""What the gcp target sends, for a given data interval: the rendered Dataproc batch requests and
Cloud Run overrides equal the expected payloads in expected/ (dates, ids, URIs, args), and are
requests the Google client libraries accept. A retried task renders a new batch id, shown both by
rendering a try 2 and by letting Airflow retry the gold task for real.

Rendering uses the functions of `airflow tasks render` on a run of the given logical date: the
daily run of 2026-11-21T00:00Z has the data interval [2026-11-20, 2026-11-21); the poll run of
2026-11-20T12:00Z has [11:00, 12:00) and takes the catalog snapshots.
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import EXPECTED, LOCAL_VARIABLES, load_dags, render, set_variables, sync

DAILY_RUN = "2026-11-21T00:00:00+00:00"
POLL_RUN = "2026-11-20T12:00:00+00:00"

SPARK = ["bronze", "bronze_next_day", "enrichment_list", "bronze_lookups", "gold"]
CLOUD_RUN_DAILY = ["lookups", "dbt_build", "checkpoint"]
CLOUD_RUN_POLL = ["recently_played", "new_releases", "playlist_items"]


@pytest.fixture(scope="module")
def gcp_dags(airflow_db):
    dags = load_dags("gcp")
    sync(dags)
    return dags


def _expected(name: str) -> dict:
    path = EXPECTED / f"{name}.json"
    if os.environ.get("UPDATE_EXPECTED_PAYLOADS") == "1":  # to refresh after a reviewed change
        return None
    return json.loads(path.read_text())


def _check(name: str, actual: dict) -> None:
    expected = _expected(name)
    if expected is None:
        (EXPECTED / f"{name}.json").write_text(json.dumps(actual, indent=2) + "\n")
        pytest.skip(f"wrote expected/{name}.json")
    assert actual == expected, f"expected/{name}.json"


@pytest.mark.parametrize("task_id", SPARK)
def test_dataproc_batch_requests_equal_the_expected_payloads(gcp_dags, task_id):
    from google.cloud.dataproc_v1 import Batch, CreateBatchRequest

    fields = render(gcp_dags["spotify_listening_daily"], task_id, DAILY_RUN)
    request = {
        "parent": f"projects/{fields['project_id']}/locations/{fields['region']}",
        "batch_id": fields["batch_id"],
        "batch": fields["batch"],
    }
    # The client library's message types refuse unknown fields and wrong types.
    CreateBatchRequest(parent=request["parent"], batch_id=request["batch_id"], batch=Batch(request["batch"]))
    _check(f"dataproc_{task_id}", request)


@pytest.mark.parametrize(
    "dag_id,task_id,run",
    [("spotify_listening_daily", t, DAILY_RUN) for t in CLOUD_RUN_DAILY]
    + [("spotify_listening_poll", t, POLL_RUN) for t in CLOUD_RUN_POLL],
)
def test_cloud_run_overrides_equal_the_expected_payloads(gcp_dags, dag_id, task_id, run):
    from google.cloud.run_v2 import RunJobRequest

    fields = render(gcp_dags[dag_id], task_id, run)
    request = {
        "name": f"projects/{fields['project_id']}/locations/{fields['region']}/jobs/{fields['job_name']}",
        "overrides": fields["overrides"],
    }
    RunJobRequest(name=request["name"], overrides=RunJobRequest.Overrides(request["overrides"]))
    _check(f"cloud_run_{task_id}", request)


def test_every_batch_id_is_valid_and_names_its_step_day_run_and_try(gcp_dags):
    import re

    ids = {t: render(gcp_dags["spotify_listening_daily"], t, DAILY_RUN)["batch_id"] for t in SPARK}
    for task_id, batch_id in ids.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]{2,61}[a-z0-9]", batch_id), batch_id
        assert batch_id.startswith(task_id.replace("_", "-") + "-20261120-")
        assert batch_id.endswith("-try1")
    assert len(set(ids.values())) == len(SPARK)
    # Another run of the same day (a manual re-run next to the scheduled one) gets other ids.
    from spotify_listening.targets import run_hash

    assert run_hash("scheduled__2026-11-21T00:00:00+00:00") != run_hash(
        "manual__2026-11-21T00:00:00+00:00"
    )


def test_a_retry_renders_a_new_batch_id(gcp_dags):
    dag = gcp_dags["spotify_listening_daily"]
    first = render(dag, "gold", DAILY_RUN, try_number=1)["batch_id"]
    second = render(dag, "gold", DAILY_RUN, try_number=2)["batch_id"]
    assert first != second
    assert first.rsplit("-", 1)[0] == second.rsplit("-", 1)[0], "same run and step"
    assert (first[-5:], second[-5:]) == ("-try1", "-try2")


def test_airflow_retrying_the_gold_task_submits_a_new_batch_id(gcp_dags):
    """The real thing: dag.test runs gold (the steps before it marked successful); each try
    renders its batch, then fails on the missing Google credentials (no connection, no metadata
    server) before any request; Airflow retries. The callbacks record what each try rendered."""
    from airflow.utils.state import DagRunState

    dag = gcp_dags["spotify_listening_daily"]
    gold = dag.get_task("gold")
    seen = []

    def record(context):
        seen.append((context["ti"].try_number, context["task"].batch_id))

    gold.retries = 1
    gold.retry_delay = __import__("datetime").timedelta(0)
    gold.on_retry_callback = [record]
    gold.on_failure_callback = [record]
    run = dag.test(
        logical_date=__import__("datetime").datetime.fromisoformat(DAILY_RUN),
        mark_success_pattern="^(wait_for_polls|bronze|bronze_next_day|enrichment_list|lookups|bronze_lookups)$",
    )
    assert run.state == DagRunState.FAILED
    assert [t for t, _ in seen] == [1, 2]
    (_, id1), (_, id2) = seen
    assert id1 != id2 and id1.endswith("-try1") and id2.endswith("-try2")
    assert id1.startswith("gold-20261120-")


def test_the_local_target_runs_the_same_commands_as_processes(airflow_db):
    dags = load_dags("local")
    sync(dags)
    fields = render(dags["spotify_listening_daily"], "gold", DAILY_RUN)
    assert fields["bash_command"] == (
        "java -cp 'jobs.jar:lib/*' dev.listening.jobs.JobsMain gold --bronze '/data/run/bronze'"
        " --play-date '2026-11-20' --lateness '2h' --gold '/data/run/gold'"
    )
    poll = render(dags["spotify_listening_poll"], "recently_played", POLL_RUN)
    assert poll["bash_command"] == (
        "java -jar extractor.jar recently-played --run-id 'poll-20261120T1200Z'"
        " --landing-date '2026-11-20'"
    )
    assert poll["env"] == {
        "LANDING_URI": "/data/run/landing",
        "SPOTIFY_API_BASE_URL": "http://127.0.0.1:8090/v1",
        "SPOTIFY_ACCOUNTS_BASE_URL": "http://127.0.0.1:8090",
    }
    build = render(dags["spotify_listening_daily"], "dbt_build", DAILY_RUN)
    assert build["bash_command"].endswith("--target local build --date '2026-11-20'")
    assert build["env"] == {"LISTENING_RUN_DIR": "/data/run"}


@pytest.mark.parametrize("target", ["gcp", "local"])
def test_every_task_renders_with_only_the_contracts_variables(airflow_db, target):
    """Only the contract's Variables exist (conftest sets exactly those): a template that read any
    other name would fail to render here."""
    dags = load_dags(target)
    sync(dags)
    if target == "gcp":
        # The gcp target must not need the local target's Variables either.
        assert not any(k.startswith("AIRFLOW_VAR_SPOTIFY_LOCAL_") for k in os.environ)
    rendered = 0
    for dag in dags.values():
        run = DAILY_RUN if dag.dag_id == "spotify_listening_daily" else POLL_RUN
        for task in dag.tasks:
            render(dag, task.task_id, run)
            rendered += 1
    assert rendered == 14
    set_variables(LOCAL_VARIABLES)
