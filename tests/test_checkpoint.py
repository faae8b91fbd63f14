"""The GX checkpoint passes on good pipeline output and fails, naming what broke, on broken copies.

The runner runs in this process for the broken copies (GX takes seconds to import; the code path
is the command line's, main() with its arguments) and as the command line for the exit codes.
"""

from __future__ import annotations

import io
import json
import subprocess
from contextlib import redirect_stdout

import duckdb
import pytest

from listening_warehouse import checkpoint, layout
from tests.conftest import DAY, PYTHON, REPO

FACTS = f"{layout.GOLD_DIR}/fct_listens/play_date={DAY}"


def run_checkpoint(run_dir, *more):
    out = io.StringIO()
    with redirect_stdout(out):
        code = checkpoint.main(
            ["--target", "local", "--date", DAY.isoformat(), "--run-dir", str(run_dir),
             "--json-out", str(run_dir / "result.json"), *more]
        )
    return code, out.getvalue(), json.loads((run_dir / "result.json").read_text())


def break_listens(run_dir, change: str):
    """Rewrites the day's gold fct_listens with one change (SQL on table t)."""
    partition = run_dir / FACTS
    con = duckdb.connect()
    con.execute(f"create table t as select * from read_parquet('{partition}/*.parquet')")
    con.execute(change)
    for f in partition.iterdir():
        f.unlink()
    con.execute(f"copy t to '{partition}/part-0.parquet' (format parquet)")


def test_the_command_passes_on_good_output_and_says_so_on_one_screen(run_dir, tmp_path):
    result = subprocess.run(
        [PYTHON, "great_expectations/run_checkpoint.py", "--target", "local", "--date",
         DAY.isoformat(), "--run-dir", str(run_dir), "--work-dir", str(tmp_path / "work"),
         "--expected-rows", "1500:3000"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("checkpoint daily_warehouse (local, 2026-11-20): PASSED")
    assert len(lines) <= 24, "one screen"
    for table in ("gold.fct_listens", "gold.dim_tracks", "marts.fct_daily_listens",
                  "marts.mart_data_health"):
        assert any(line.strip().startswith(table) and line.endswith("ok") for line in lines), table


BREAKS = {
    "a duplicated key": (
        "insert into t select * from t limit 1",
        "expect_compound_columns_to_be_unique", "(user_key, played_at)",
    ),
    "a null key": (
        "update t set user_key = null where rowid = 7",
        "expect_column_values_to_not_be_null", "user_key",
    ),
    "a play outside the day": (
        f"update t set played_at = timestamp '{DAY} 00:00:00' + interval 1 day where rowid = 7",
        "expect_column_values_to_be_between", "played_at",
    ),
    "a negative duration": (
        "update t set duration_ms = -1 where rowid = 7",
        "expect_column_values_to_be_between", "duration_ms",
    ),
    "a track missing from dim_tracks": (
        "update t set track_id = 'NoSuchTrack000000000000' where rowid = 7",
        "expect_column_values_to_be_in_set", "track_id",
    ),
    "a fetch in the future": (
        "update t set first_fetched_at = timestamp '2999-01-01' where rowid = 7",
        "expect_column_values_to_be_between", "first_fetched_at",
    ),
}


@pytest.mark.parametrize("broken", BREAKS)
def test_a_broken_copy_fails_and_the_summary_names_what_broke(run_copy, broken):
    change, expectation, column = BREAKS[broken]
    break_listens(run_copy, change)

    code, screen, result = run_checkpoint(run_copy)

    assert code == 1
    assert result["success"] is False
    on_listens = [f for f in result["failed"] if f["table"] == "gold.fct_listens"]
    assert [f["expectation"] for f in on_listens] == [expectation], (
        f"only {broken} is wrong in gold.fct_listens:\n{screen}"
    )
    assert on_listens[0]["on"].startswith(column)
    assert f"x {expectation} {column}" in screen
    assert "checkpoint daily_warehouse (local, 2026-11-20): FAILED" in screen


def test_a_broken_mart_fails_too(run_copy):
    con = duckdb.connect(str(run_copy / layout.DUCKDB_FILE))
    schema = layout.marts_schema(layout.LOCAL_SCHEMA)
    con.execute(f"insert into {schema}.fct_daily_listens select * from {schema}.fct_daily_listens limit 1")
    con.close()

    code, screen, result = run_checkpoint(run_copy)

    assert code == 1
    assert {(f["table"], f["expectation"]) for f in result["failed"]} >= {
        ("marts.fct_daily_listens", "expect_column_values_to_be_unique"),
        ("marts.fct_daily_listens", "expect_compound_columns_to_be_unique"),
    }, screen


def test_too_few_rows_for_the_day_fail(run_copy):
    code, screen, result = run_checkpoint(run_copy, "--expected-rows", "100000:200000")
    assert code == 1
    assert [f["expectation"] for f in result["failed"]] == ["expect_table_row_count_to_be_between"]


def test_bad_arguments_and_missing_inputs_exit_2_with_what_to_do(tmp_path):
    def cli(*args):
        return subprocess.run(
            [PYTHON, "great_expectations/run_checkpoint.py", *args],
            cwd=REPO, capture_output=True, text=True,
        )

    bad_date = cli("--target", "local", "--date", "20-11-2026")
    assert bad_date.returncode == 2 and "is not a date (YYYY-MM-DD)" in bad_date.stderr
    bad_target = cli("--target", "staging", "--date", "2026-11-20")
    assert bad_target.returncode == 2 and "invalid choice" in bad_target.stderr
    no_run = cli("--target", "local", "--date", "2026-11-20", "--run-dir", str(tmp_path))
    assert no_run.returncode == 2
    assert f"no gold fct_listens under {tmp_path}/gold" in no_run.stderr
    assert "run dbt build --target local first" in no_run.stderr
    prod = subprocess.run(
        [PYTHON, "great_expectations/run_checkpoint.py", "--target", "prod", "--date", "2026-11-20"],
        cwd=REPO, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
    )
    assert prod.returncode == 2
    assert "set GOOGLE_CLOUD_PROJECT, BQ_GOLD_DATASET, BQ_WAREHOUSE_DATASET" in prod.stderr
