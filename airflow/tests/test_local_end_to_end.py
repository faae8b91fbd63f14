"""The local target end to end, every task for real: the simulator, the extractor jar, Spark in
local mode, dbt on DuckDB and the GX checkpoint, orchestrated by Airflow.

1. A simulated day (24 users, 3,000 plays, faults on) is served by the simulator jar.
2. The poll DAG runs for each hour from D 01:00 through D+1 02:00 (26 runs, the lateness window
   of 2 hours included), the simulator's clock set to each run's poll time: `dag.test()`, what
   `airflow dags test` runs (poll_hours.py).
3. `airflow dags test spotify_listening_daily <D+1>` runs the daily DAG for D: the sensor finds
   the 26 manifests, then bronze, enrichment list, look-ups, bronze of look-ups, gold, dbt build,
   the checkpoint.
4. Gold equals the simulator's truth: fct_listens of D holds exactly the plays the 26 polls could
   retrieve (the truth's retrievability for those poll times), each with its track, and the
   dimensions hold every id the facts name (what local-pipeline's Reconciliation checks).
5. No file of the run (task logs, Airflow's database, landing to marts) holds a credential
   (`./run.sh secret-scan`, the scan every local run ends with).

Needs the jars (mvn package) and .venv/warehouse; takes several minutes (it prints its stages).
The run stays in airflow/tests/.end-to-end-run/ for inspection.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import REPO

DAY = date(2026, 11, 20)
POLLS = 26
RUN_DIR = REPO / "airflow" / "tests" / ".end-to-end-run"

pytestmark = pytest.mark.end_to_end


def _get(url: str, body: dict | None = None) -> bytes:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET")
    with urllib.request.urlopen(request, timeout=60) as r:
        return r.read()


@pytest.fixture(scope="module")
def simulator():
    jar = REPO / "simulator" / "target" / "simulator.jar"
    assert jar.is_file(), f"{jar} is missing: run mvn -DskipTests package"
    if RUN_DIR.exists():
        shutil.rmtree(RUN_DIR)
    RUN_DIR.mkdir(parents=True)
    log = open(RUN_DIR / "simulator.log", "w")
    process = subprocess.Popen(
        ["java", "-Xmx1g", "-jar", str(jar), "--port", "0", "--day", DAY.isoformat(),
         "--users", "24", "--plays-per-day", "3000", "--seed", "5", "--faults", "default",
         # The day runs in seconds: the rate limit is scaled up with it (as ./run.sh does).
         "--rate-limit", "6000/30s"],
        stdout=subprocess.PIPE, stderr=log, text=True,
    )
    url = None
    deadline = time.monotonic() + 120
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        m = re.match(r"Accounts base URL:\s+(http://127\.0\.0\.1:\d+)", line)
        url = m.group(1) if m else None
    assert url, f"the simulator did not start: see {RUN_DIR / 'simulator.log'}"
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _airflow_local(args, sim_url, extra_env, log_name):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "GCE_"))},
        "LISTENING_RUN_DIR": str(RUN_DIR),
        "SIMULATOR_URL": sim_url,
        **extra_env,
    }
    with open(RUN_DIR / log_name, "w") as log:
        return subprocess.run(
            [str(REPO / "tools" / "airflow-local.sh"), *args],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO, check=False,
        ).returncode


def test_the_dags_run_a_simulated_day_and_gold_equals_the_truth(simulator):
    users = json.loads(_get(simulator + "/_sim/users"))["users"]
    playlists = ",".join(
        f"{u['key']}:{p}" for u in users if not u["token_expired"] for p in u["playlist_ids"]
    )
    catalog = {"SPOTIFY_PLAYLIST_IDS": playlists, "SPOTIFY_NEW_RELEASES_MARKETS": "SE,DE"}
    day_start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=timezone.utc)
    first_poll = day_start + timedelta(hours=1)
    timings = {}

    started = time.monotonic()
    code = _airflow_local(
        [str(REPO / ".venv" / "airflow" / "bin" / "python"), "airflow/tests/poll_hours.py",
         "--first", first_poll.isoformat(), "--hours", str(POLLS)],
        simulator, catalog, "polls.log",
    )
    timings["poll DAG, 26 runs"] = time.monotonic() - started
    assert code == 0, f"a poll run failed: see {RUN_DIR / 'polls.log'}"

    started = time.monotonic()
    code = _airflow_local(
        ["airflow", "dags", "test", "spotify_listening_daily",
         (day_start + timedelta(days=1)).isoformat()],
        simulator, catalog, "daily.log",
    )
    timings["daily DAG"] = time.monotonic() - started
    daily_log = (RUN_DIR / "daily.log").read_text()
    assert code == 0, f"the daily run failed: see {RUN_DIR / 'daily.log'}"
    for task in ("wait_for_polls", "bronze", "bronze_next_day", "enrichment_list", "lookups",
                 "bronze_lookups", "gold", "dbt_build", "checkpoint"):
        assert f"[DAG TEST] end task task_id={task}" in daily_log, f"{task} did not run"
    assert "state=success" in daily_log
    assert "checkpoint daily_warehouse (local, 2026-11-20): PASSED" in daily_log

    started = time.monotonic()
    _reconcile(simulator, [first_poll + timedelta(hours=h) for h in range(POLLS)])
    timings["reconciliation"] = time.monotonic() - started

    # Every file the DAGs' run left (task logs, Airflow's database, landing to marts, the
    # simulator's log): no client secret, refresh token or token-shaped string.
    started = time.monotonic()
    scan = subprocess.run(
        [str(REPO / "run.sh"), "secret-scan", "--dir", str(RUN_DIR), "--simulator", simulator],
        env={**os.environ, "LISTENING_PREBUILT": "1"}, cwd=REPO, capture_output=True, text=True,
        check=False,
    )
    timings["secret scan"] = time.monotonic() - started
    assert scan.returncode == 0, f"secret scan: {scan.stderr[-3000:]}"
    assert "no credential in" in scan.stdout
    print("\nlocal end to end: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    (RUN_DIR / "timings.json").write_text(json.dumps(timings, indent=2))


def _reconcile(simulator: str, polls: list[datetime]) -> None:
    import pyarrow.dataset as ds

    truth = json.loads(
        _get(
            simulator + "/_sim/truth/retrievability",
            {"polls": [p.strftime("%Y-%m-%dT%H:%M:%SZ") for p in polls], "start_from": None},
        )
    )
    retrievable = {(k["user_key"], _instant(k["played_at"])) for k in truth["retrievable"]}
    plays = {}
    for line in _get(simulator + "/_sim/truth/plays").decode().splitlines():
        if line.strip():
            p = json.loads(line)
            plays[(p["user_key"], _instant(p["played_at"]))] = (p["track_id"], p["track_uri"])
    expected = {
        (user, at, *plays[(user, at)])
        for user, at in retrievable
        if at.date() == DAY and (user, at) in plays
    }
    gold = RUN_DIR / "gold"
    facts = ds.dataset(gold / "fct_listens", format="parquet", partitioning="hive").to_table(
        columns=["user_key", "played_at", "track_id", "track_uri", "album_id", "artist_ids",
                 "play_date"]
    ).to_pylist()
    facts = [f for f in facts if str(f["play_date"]) == DAY.isoformat()]
    actual = {
        (f["user_key"], f["played_at"].replace(tzinfo=None), f["track_id"], f["track_uri"])
        for f in facts
    }
    assert len(actual) == len(facts), "duplicate plays in fct_listens"
    assert len(expected) > 1000, "too few plays to prove anything"
    missing, unexpected = expected - actual, actual - expected
    assert not missing and not unexpected, (
        f"fct_listens of {DAY} differs from the retrievable truth: {len(missing)} missing "
        f"(e.g. {sorted(missing)[:2]}), {len(unexpected)} not in the truth "
        f"(e.g. {sorted(unexpected)[:2]})"
    )

    def ids(table, column):
        return set(ds.dataset(gold / table, format="parquet").to_table(columns=[column])
                   .column(column).to_pylist())

    tracks, albums, artists = (ids("dim_tracks", "track_id"), ids("dim_albums", "album_id"),
                               ids("dim_artists", "artist_id"))
    assert {f["track_id"] for f in facts if f["track_id"]} <= tracks
    assert {f["album_id"] for f in facts if f["album_id"]} <= albums
    assert {a for f in facts for a in (f["artist_ids"] or [])} <= artists


def _instant(text: str) -> datetime:
    """The truth's UTC instant as a naive UTC datetime (gold's timestamps are plain UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc).replace(
        tzinfo=None
    )
