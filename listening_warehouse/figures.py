"""The warehouse's figures for one local run: dbt build and checkpoint times, marts vs the truth.

    .venv/warehouse/bin/python -m listening_warehouse.figures [--run-dir data/local] [--date D]

Re-runs dbt build for the run's day (incremental: the run command's case) and with
--full-refresh, and the GX checkpoint, each as the command line the run command uses, and prints
their times; then compares the marts with numbers computed from the simulator's truth. The
re-runs write the same rows the run wrote (they are idempotent).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from . import layout
from .truth import Truth

BIN = layout.REPO / ".venv" / "warehouse" / "bin"


def _timed(cmd: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    result = subprocess.run(cmd, cwd=layout.REPO, env=env, capture_output=True, text=True)
    return time.monotonic() - start, result


def dbt_build(run: layout.LocalRun, day: date, *more: str) -> dict:
    target = run.root / "dbt-target"
    env = {
        **os.environ,
        layout.RUN_DIR_ENV: str(run.root.resolve()),
        "DBT_TARGET_PATH": str(target.resolve()),
        "DBT_LOG_PATH": str((run.root / "logs" / "dbt").resolve()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    wall, result = _timed(
        [str(BIN / "dbt"), "build", "--project-dir", "dbt_project", "--profiles-dir",
         "dbt_project", "--target", "local", "--vars", json.dumps({"run_date": day.isoformat()}),
         *more],
        env,
    )
    if result.returncode != 0:
        sys.exit(f"dbt build {' '.join(more)} failed:\n{result.stdout[-3000:]}")
    results = json.loads((target / "run_results.json").read_text())
    slowest = max(results["results"], key=lambda r: r["execution_time"])
    return {
        "wall": wall,
        "dbt": results["elapsed_time"],
        "nodes": len(results["results"]),
        "slowest": f"{slowest['unique_id'].split('.')[-1]} {slowest['execution_time']:.1f} s",
    }


def checkpoint(run: layout.LocalRun, day: date) -> dict:
    out = run.root / "checkpoint-figures.json"
    wall, result = _timed(
        [str(BIN / "python"), "great_expectations/run_checkpoint.py", "--target", "local",
         "--date", day.isoformat(), "--run-dir", str(run.root.resolve()), "--json-out", str(out)],
        dict(os.environ),
    )
    if result.returncode != 0:
        sys.exit(f"the checkpoint failed:\n{result.stdout}{result.stderr}")
    seconds = json.loads(out.read_text())["seconds"]
    out.unlink()
    return {"wall": wall, **seconds}


def compare(run: layout.LocalRun, day: date) -> list[tuple[str, str, str, bool]]:
    """(what, marts, truth, equal) rows."""
    t = Truth(run.truth, day)
    con = duckdb.connect(str(run.duckdb), read_only=True)
    m = layout.marts_schema(layout.LOCAL_SCHEMA)

    def q(sql, *p):
        return con.execute(sql.format(m=m), p).fetchall()

    rows = []
    daily = {
        (d, u, uri): (n, ms)
        for d, u, uri, n, ms in q(
            "select listen_date, user_key, track_uri, plays, ms_listened from {m}.fct_daily_listens "
            "where listen_date = ?", day)
    }
    expected = t.daily_listens()
    rows.append(("plays (day)", f"{sum(v[0] for v in daily.values()):,}", f"{len(t.plays):,}",
                 sum(v[0] for v in daily.values()) == len(t.plays)))
    rows.append((f"rows of fct_daily_listens (day, user, track)", f"{len(daily):,}",
                 f"{len(expected):,}", daily == expected))
    per_user = dict(q("select user_key, sum(plays) from {m}.fct_daily_listens where listen_date = ? "
                      "group by 1", day))
    rows.append(("plays per user", f"{len(per_user):,} users", f"{len(t.plays_per_user()):,} users",
                 per_user == dict(t.plays_per_user())))
    per_track = dict(q("select track_uri, sum(ms_listened) from {m}.fct_daily_listens "
                       "where listen_date = ? group by 1", day))
    truth_ms = dict(t.ms_per_track())
    rows.append(("milliseconds per track", f"{sum(per_track.values()):,} ms, {len(per_track):,} tracks",
                 f"{sum(truth_ms.values()):,} ms, {len(truth_ms):,} tracks", per_track == truth_ms))
    hours = [n for _, n in q("select hour_of_day, plays from {m}.mart_listening_by_hour "
                             "where listen_date = ? order by 1", day)]
    truth_hours = t.plays_per_hour()
    rows.append(("plays per hour (24 hours)", f"peak {max(hours):,}", f"peak {max(truth_hours):,}",
                 hours == truth_hours))
    sessions = sorted(q("select user_key, started_at, ended_at, track_count, ms_listened "
                        "from {m}.fct_listening_sessions where session_date = ?", day))
    truth_sessions = t.sessions()
    rows.append(("sessions (30 min of silence)", f"{len(sessions):,}", f"{len(truth_sessions):,}",
                 sessions == truth_sessions))
    n = layout.top_n()
    top = q("select track_rank, track_uri, plays, listeners from {m}.mart_top_tracks_daily "
            "where listen_date = ? order by 1", day)
    rows.append((f"top {n} tracks", f"#1 {top[0][2]:,} plays" if top else "-",
                 f"#1 {t.top_tracks(n)[0][2]:,} plays", top == t.top_tracks(n)))
    top_a = q("select artist_rank, artist_id, plays, listeners from {m}.mart_top_artists_daily "
              "where listen_date = ? order by 1", day)
    rows.append((f"top {n} artists", f"#1 {top_a[0][2]:,} plays" if top_a else "-",
                 f"#1 {t.top_artists(n)[0][2]:,} plays", top_a == t.top_artists(n)))
    (gaps,) = q("select gap_reports from {m}.mart_data_health where health_date = ?", day)[0]
    rows.append(("gaps reported (data health)", f"{gaps:,}", f"{len(t.gaps_of_day()):,}",
                 gaps == len(t.gaps_of_day())))
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="figures", description=__doc__.splitlines()[0])
    p.add_argument("--run-dir")
    p.add_argument("--date", type=date.fromisoformat)
    p.add_argument("--skip-timing", action="store_true", help="only compare the marts with the truth")
    args = p.parse_args(argv)
    run = layout.LocalRun.from_env(args.run_dir)
    summary = json.loads((run.root / "summary.json").read_text())
    day = args.date
    if day is None:
        con = duckdb.connect(str(run.duckdb), read_only=True)
        m = layout.marts_schema(layout.LOCAL_SCHEMA)
        day = con.execute(f"select max(health_date) from {m}.mart_data_health where plays > 0").fetchone()[0]
        con.close()
    plays = summary["reconciliation"]["fct_listens_rows"]
    print(f"warehouse figures for {run.root} ({day}, {plays:,} plays in gold fct_listens)")
    stages = summary.get("seconds_per_stage", {})
    for stage in ("dbt build (local target)", "GX checkpoint", "HTML report"):
        if stage in stages:
            print(f"  in the run: {stage:<28} {stages[stage]:>7.1f} s")
    if not args.skip_timing:
        inc = dbt_build(run, day)
        print(f"  dbt build, incremental (the day)     {inc['wall']:>7.1f} s wall, "
              f"{inc['dbt']:.1f} s in dbt, {inc['nodes']} nodes; slowest {inc['slowest']}")
        full = dbt_build(run, day, "--full-refresh")
        print(f"  dbt build, --full-refresh            {full['wall']:>7.1f} s wall, "
              f"{full['dbt']:.1f} s in dbt; slowest {full['slowest']}")
        cp = checkpoint(run, day)
        print(f"  GX checkpoint                        {cp['wall']:>7.1f} s wall, "
              f"{cp['total']:.1f} s in the runner: export {cp['export']:.1f} s, "
              f"importing GX {cp['import_gx']:.1f} s, validation {cp['validate']:.1f} s")
    print(f"  marts vs the simulator's truth: {'':<30} {'marts':>28}  {'truth':>28}")
    ok = True
    for what, marts, truth, equal in compare(run, day):
        ok &= equal
        print(f"    {what:<42} {marts:>28}  {truth:>28}  {'equal' if equal else 'DIFFERENT'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
