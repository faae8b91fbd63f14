"""dbt's incremental marts rebuild only the run's days, identically; the prod target parses."""

from __future__ import annotations

import json
from datetime import timedelta

import duckdb

from listening_warehouse import layout
from tests.conftest import DAY, dbt, mart_rows

RUN_DAY = json.dumps({"run_date": DAY.isoformat()})
MARTS = layout.marts_schema(layout.LOCAL_SCHEMA)


def _sql(duckdb_file, sql):
    con = duckdb.connect(str(duckdb_file))
    try:
        con.execute(sql)
    finally:
        con.close()


def test_a_rerun_of_the_day_replaces_that_day_only_and_a_full_refresh_gives_the_same_rows(
    run_dir, run_copy
):
    built = mart_rows(run_dir / layout.DUCKDB_FILE)
    warehouse = run_copy / layout.DUCKDB_FILE
    stale_day, other_day = DAY, DAY - timedelta(days=5)
    # A row the day's rebuild must drop, and one of another day it must leave alone.
    _sql(
        warehouse,
        f"insert into {MARTS}.fct_daily_listens select 'stale', date '{stale_day}', 'u-stale',"
        " 'spotify:track:stale', null, 'Stale', null, null, 1, 1000, null, null;"
        f"insert into {MARTS}.fct_daily_listens select 'other', date '{other_day}', 'u-other',"
        " 'spotify:track:other', null, 'Other', null, null, 1, 1000, null, null;"
        f"insert into {MARTS}.fct_listening_sessions select 'stale-session', 'u-stale',"
        f" date '{stale_day}', timestamp '{stale_day} 01:00:00', timestamp '{stale_day} 01:00:00',"
        " 0, 1, 1, 1000",
    )

    dbt("build", "--target", "local", "--vars", RUN_DAY, run_dir=run_copy)

    rebuilt = mart_rows(warehouse)
    other = [r for r in rebuilt["fct_daily_listens"] if r[0] == "other"]
    assert len(other) == 1, "a day outside the run is left as it was"
    rebuilt["fct_daily_listens"] = [r for r in rebuilt["fct_daily_listens"] if r[0] != "other"]
    assert rebuilt == built, "the run's day is replaced by the same rows; nothing appended"

    dbt("build", "--target", "local", "--full-refresh", run_dir=run_copy)
    assert mart_rows(warehouse) == built, "a full rebuild gives the incremental rows"


def test_a_run_of_the_next_day_writes_that_day_and_keeps_this_one(run_dir, run_copy):
    built = mart_rows(run_dir / layout.DUCKDB_FILE)
    next_day = DAY + timedelta(days=1)

    dbt(
        "build", "--target", "local", "--vars", json.dumps({"run_date": next_day.isoformat()}),
        run_dir=run_copy,
    )

    after = mart_rows(run_copy / layout.DUCKDB_FILE)
    health = after.pop("mart_data_health")
    assert health[: len(built["mart_data_health"])] == built["mart_data_health"]
    (new_day,) = health[len(built["mart_data_health"]):]
    assert new_day[0] == next_day and new_day[1] == 0, "a day without plays shows as such"
    built.pop("mart_data_health")
    assert after == built, "sessions of the day before were rebuilt to the same rows"


def test_an_incremental_run_without_its_day_or_with_a_bad_day_stops_with_what_to_pass(run_copy):
    result = dbt("build", "--target", "local", "--select", "fct_daily_listens", run_dir=run_copy, check=False)
    assert result.returncode != 0
    assert "--vars '{\"run_date\": \"YYYY-MM-DD\"}'" in result.stdout

    result = dbt(
        "build", "--target", "local", "--vars", '{"run_date": "20-11-2026"}', run_dir=run_copy,
        check=False,
    )
    assert result.returncode != 0
    assert "run_date '20-11-2026' is not a date" in result.stdout


def test_the_prod_target_parses_with_bigquery_partitions_clusters_and_datasets(tmp_path):
    env = {
        "GOOGLE_CLOUD_PROJECT": "listening-proof",
        "BQ_WAREHOUSE_DATASET": "listening",
        "BQ_GOLD_DATASET": "listening_gold",
    }
    dbt("parse", "--target", "prod", "--vars", RUN_DAY, run_dir=tmp_path, env=env)
    manifest = json.loads((tmp_path / "dbt-target" / "manifest.json").read_text())
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}

    daily = nodes["fct_daily_listens"]
    assert daily["relation_name"] == "`listening-proof`.`listening_marts`.`fct_daily_listens`"
    config = daily["config"]
    assert config["materialized"] == "incremental"
    assert config["incremental_strategy"] == "insert_overwrite"
    assert config["partition_by"] == {"field": "listen_date", "data_type": "date", "granularity": "day"}
    assert config["partitions"] == [f"date '{DAY}'"]
    assert config["cluster_by"] == ["user_key", "track_uri"]
    assert config["contract"]["enforced"] is True
    sessions = nodes["fct_listening_sessions"]["config"]
    assert sessions["partitions"] == [f"date '{DAY - timedelta(days=1)}'", f"date '{DAY}'"]
    weekly = nodes["mart_top_tracks_weekly"]["config"]
    assert weekly["partition_by"]["field"] == "week_start"
    assert weekly["partitions"] == [f"date '{DAY - timedelta(days=DAY.weekday())}'"]
    for name, node in nodes.items():
        if name.startswith("stg_"):
            assert node["relation_name"].startswith("`listening-proof`.`listening_staging`.")
            assert node["config"]["materialized"] == "view"
        else:
            assert node["config"]["contract"]["enforced"], name
            assert "partition_by" in node["config"] and node["config"]["partition_by"], name

    sources = {s["name"]: s for s in manifest["sources"].values()}
    assert sources["fct_listens"]["relation_name"] == "`listening-proof`.`listening_gold`.`fct_listens`"
    assert sources["fct_listens"]["loaded_at_field"] == "first_fetched_at"
    assert sources["fct_listens"]["freshness"]["error_after"] == {"count": 50, "period": "hour"}
    assert set(sources) >= {"fct_poll_gaps", "fct_quarantined_records", "dim_tracks"}


def test_the_local_target_names_what_the_python_tools_read(run_dir):
    manifest = json.loads((run_dir / "dbt-target" / "manifest.json").read_text())
    relations = {
        n["name"]: n["relation_name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model"
    }
    assert relations["mart_data_health"] == f'"warehouse"."{MARTS}"."mart_data_health"'
    assert manifest["metadata"]["adapter_type"] == "duckdb"
    assert (run_dir / layout.DUCKDB_FILE).is_file()
