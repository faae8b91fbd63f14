"""The DAG files as Airflow loads them: no import errors, Airflow 3 hygiene (ruff AIR3), the task
graph the issue specifies, and every name they read from the contract."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTRACT, DAGS, REPO, load_dags

DAILY_ORDER = [
    "wait_for_polls",
    "bronze",
    "bronze_next_day",
    "enrichment_list",
    "lookups",
    "bronze_lookups",
    "gold",
    "dbt_build",
    "checkpoint",
]


@pytest.mark.parametrize("target", ["gcp", "local"])
def test_both_dags_load_with_explicit_interval_timetables(target):
    from airflow.timetables.interval import CronDataIntervalTimetable

    dags = load_dags(target)
    assert set(dags) == {"spotify_listening_poll", "spotify_listening_daily"}
    poll, daily = dags["spotify_listening_poll"], dags["spotify_listening_daily"]
    for dag, cron in ((poll, "0 * * * *"), (daily, "0 0 * * *")):
        assert isinstance(dag.timetable, CronDataIntervalTimetable), dag.dag_id
        assert dag.timetable._expression == cron
        assert str(dag.timetable._timezone) in ("UTC", "Timezone('UTC')")
        assert dag.catchup is False
        assert dag.max_active_runs == 1, f"{dag.dag_id} runs must never overlap"
        assert dag.doc_md and dag.dag_id in dag.doc_md
        for task in dag.tasks:
            assert task.on_failure_callback, f"{task.task_id} has no failure callback"


def test_a_missing_target_is_an_import_error_naming_the_variable(monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    load_dags("gcp")
    monkeypatch.delenv("AIRFLOW_VAR_SPOTIFY_TARGET")
    bag = DagBag(dag_folder=str(DAGS))
    assert len(bag.import_errors) == 2
    for error in bag.import_errors.values():
        assert "AIRFLOW_VAR_SPOTIFY_TARGET must be one of gcp, local" in error


def test_ruff_finds_no_airflow3_problem_in_the_dag_folder():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "--no-cache", "--select", "AIR3", str(DAGS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed!" in result.stdout


def _upstream(dag):
    return {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks}


@pytest.mark.parametrize("target", ["gcp", "local"])
def test_the_daily_dag_runs_the_steps_in_order(target):
    dag = load_dags(target)["spotify_listening_daily"]
    # A chain: each step waits for the one before, nothing else.
    expected = {t: ([DAILY_ORDER[i - 1]] if i else []) for i, t in enumerate(DAILY_ORDER)}
    assert _upstream(dag) == expected
    kinds = {t.task_id: type(t).__name__ for t in dag.tasks}
    assert kinds["wait_for_polls"] == "LandedManifestsSensor"
    assert dag.get_task("wait_for_polls").mode == "reschedule"
    spark = ["bronze", "bronze_next_day", "enrichment_list", "bronze_lookups", "gold"]
    run = ["lookups", "dbt_build", "checkpoint"]
    if target == "gcp":
        assert {kinds[t] for t in spark} == {"DataprocCreateBatchOperator"}
        assert {kinds[t] for t in run} == {"CloudRunExecuteJobOperator"}
    else:
        assert {kinds[t] for t in spark + run} == {"BashOperator"}


@pytest.mark.parametrize("target", ["gcp", "local"])
def test_the_poll_dag_polls_and_guards_the_catalog_snapshots(target):
    dag = load_dags(target)["spotify_listening_poll"]
    assert _upstream(dag) == {
        "recently_played": [],
        "new_releases_due": [],
        "new_releases": ["new_releases_due"],
        "playlist_items_due": [],
        "playlist_items": ["playlist_items_due"],
    }
    operator = "CloudRunExecuteJobOperator" if target == "gcp" else "BashOperator"
    for task_id in ("recently_played", "new_releases", "playlist_items"):
        assert type(dag.get_task(task_id)).__name__ == operator
    assert type(dag.get_task("new_releases_due")).__name__ == "ShortCircuitOperator"


def test_catalog_snapshots_are_due_at_noon_when_configured():
    from spotify_listening.targets import due

    assert due("12", 12, "SE,DE")
    assert not due("13", 12, "SE,DE")
    assert not due("12", 12, "  ")


def test_the_sensor_expects_every_poll_of_the_day_and_the_lateness_window():
    from spotify_listening.sensors import expected_manifests

    m = expected_manifests("2026-11-20", "2", "2")
    assert len(m) == 26 * 2
    assert m[0] == "recently_played/date=2026-11-20/run=poll-20261120T0100Z/shard=0-of-2/_manifest.json"
    assert m[1].endswith("run=poll-20261120T0100Z/shard=1-of-2/_manifest.json")
    assert m[-1] == (
        "recently_played/date=2026-11-21/run=poll-20261121T0200Z/shard=1-of-2/_manifest.json"
    )
    assert "run=poll-20261121T0000Z" in m[46]
    with pytest.raises(ValueError, match="lateness hours 'x'.*shard count '0'"):
        expected_manifests("2026-11-20", "x", "0")


# --- The contract: no name read from outside names.json ----------------------------------------

PACKAGE = DAGS / "spotify_listening"


def _dag_python_files():
    return sorted(DAGS.glob("*.py")) + sorted(PACKAGE.glob("*.py"))


def test_no_dag_file_reads_a_variable_or_the_environment_except_through_names():
    """Every Variable read is a template made by names.var() or a Variable.get of a names
    constant; the environment is read in names.py only (the target)."""
    offences = []
    for path in _dag_python_files():
        source = path.read_text()
        tree = ast.parse(source)
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            where = f"{path.relative_to(REPO)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if "var.value" in node.value or "var.json" in node.value:
                    if not (path.name == "names.py" and node.value == "{{ var.value.%s }}"):
                        offences.append(f"{where}: a literal Variable template {node.value!r}")
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
                if path.name != "names.py":
                    offences.append(f"{where}: reads the environment")
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("get", "variable") and (
                    (isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "Variable")
                    or name == "variable"
                ):
                    arg = node.args[0] if node.args else None
                    if path.name == "compat.py" and getattr(arg, "id", None) == "name":
                        continue  # the compat wrapper itself
                    if not (
                        isinstance(arg, ast.Attribute) and getattr(arg.value, "id", "") == "names"
                    ):
                        offences.append(f"{where}: reads a Variable not named by a names constant")
    assert offences == []


def test_every_names_constant_is_in_the_contract():
    from spotify_listening import names

    contract = (
        set(CONTRACT["airflow_variables"])
        | set(CONTRACT["set_by_hand"])
        | set(CONTRACT["local_target"]["variables"])
    )
    constants = {
        v for k, v in vars(names).items()
        if k.isupper() and isinstance(v, str) and v.startswith("spotify_")
    }
    assert constants - {names.FAILURE_LOG_MARKER} == contract
    with pytest.raises(KeyError, match="not a Variable of the contract"):
        names.var("spotify_not_in_the_contract")


def test_the_dbt_runner_reads_the_environment_terraform_sets_on_its_job():
    sys.path.insert(0, str(REPO))
    from listening_warehouse import runner

    assert set(runner.PROD_ENV) | set(runner.PROD_ENV_OPTIONAL) == set(CONTRACT["dbt_runner_env"])
