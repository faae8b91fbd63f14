"""Fixtures: one small pipeline run (the real run command's orchestrator, with dbt, the checkpoint
and the report), its truth, and copies of its warehouse to break or rebuild."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from listening_warehouse import layout
from listening_warehouse.truth import Truth

REPO = layout.REPO
DAY = date(2026, 11, 20)
VENV_BIN = REPO / ".venv" / "warehouse" / "bin"

# Small, but with heavy listeners enough for gaps, faults on (the orchestrator's default).
RUN_ARGS = ["--users", "24", "--plays-per-day", "3000", "--seed", "5", "--day", DAY.isoformat()]


def _spark_jvm_options() -> list[str]:
    script = REPO / "tools" / "spark-jvm-options.sh"
    return subprocess.run([str(script)], capture_output=True, text=True, check=True).stdout.split()


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    """The pipeline run these tests check: WAREHOUSE_TEST_RUN (test.sh hands over the one the
    Java end-to-end test made with RUN_ARGS), or a new one."""
    given = os.environ.get("WAREHOUSE_TEST_RUN")
    if given:
        given_run = Path(given)
        if not (given_run / "summary.json").is_file():
            pytest.fail(f"WAREHOUSE_TEST_RUN={given}: no pipeline run there (no summary.json)")
        return given_run.resolve()
    classes = REPO / "local-pipeline" / "target" / "classes"
    if not classes.is_dir():
        pytest.fail("the Java build is missing: run ./test.sh (or mvn package) first")
    out = tmp_path_factory.mktemp("run")
    cmd = [
        "java",
        *_spark_jvm_options(),
        "-Xmx2g",
        "-cp",
        f"{classes}:{REPO / 'local-pipeline' / 'target' / 'lib'}/*",
        "dev.listening.local.LocalPipeline",
        "--out",
        str(out),
        "--repo",
        str(REPO),
        "--extractor-jar",
        str(REPO / "extractor" / "target" / "extractor.jar"),
        *RUN_ARGS,
    ]
    with (out.parent / "pipeline.log").open("w") as log:
        code = subprocess.run(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT).returncode
    assert code == 0, f"the pipeline run failed: see {out.parent / 'pipeline.log'} and {out}/logs"
    return out


@pytest.fixture(scope="session")
def summary(run_dir) -> dict:
    return json.loads((run_dir / "summary.json").read_text())


@pytest.fixture(scope="session")
def truth(run_dir) -> Truth:
    return Truth(run_dir / layout.TRUTH_DIR, DAY)


@pytest.fixture(scope="session")
def marts(run_dir):
    """A query on the run's marts: marts("select ... from {m}.fct_daily_listens")."""
    con = duckdb.connect(str(run_dir / layout.DUCKDB_FILE), read_only=True)
    schema = layout.marts_schema(layout.LOCAL_SCHEMA)

    def query(sql: str, *params):
        return con.execute(sql.format(m=schema), params).fetchall()

    yield query
    con.close()


@pytest.fixture
def run_copy(run_dir, tmp_path) -> Path:
    """A copy of the run's gold, truth and warehouse, to rebuild or break."""
    copy = tmp_path / "run"
    copy.mkdir()
    for part in (layout.GOLD_DIR, layout.TRUTH_DIR):
        shutil.copytree(run_dir / part, copy / part)
    shutil.copy2(run_dir / layout.DUCKDB_FILE, copy / layout.DUCKDB_FILE)
    return copy


def dbt(*args: str, run_dir: Path, env: dict | None = None, check: bool = True):
    """The real dbt CLI on the project, as the run command and the DAGs call it."""
    environment = {
        **os.environ,
        "LISTENING_RUN_DIR": str(run_dir),
        "DBT_TARGET_PATH": str(run_dir / "dbt-target"),
        "DBT_LOG_PATH": str(run_dir / "dbt-logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(env or {}),
    }
    result = subprocess.run(
        [str(VENV_BIN / "dbt"), *args, "--project-dir", "dbt_project", "--profiles-dir", "dbt_project"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} exited {result.returncode}:\n{result.stdout[-4000:]}")
    return result


def mart_rows(duckdb_file: Path) -> dict:
    """Every mart's rows, sorted: to compare two builds."""
    con = duckdb.connect(str(duckdb_file), read_only=True)
    schema = layout.marts_schema(layout.LOCAL_SCHEMA)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ? "
                "order by 1",
                [schema],
            ).fetchall()
        ]
        return {t: con.execute(f"select * from {schema}.{t} order by all").fetchall() for t in tables}
    finally:
        con.close()


PYTHON = str(VENV_BIN / "python")
__all__ = ["DAY", "PYTHON", "REPO", "dbt", "mart_rows", "sys"]
