"""Runs the poll DAG for consecutive hours of a simulated day, each with the simulator's clock at
the poll's time: `dag.test()`, the function `airflow dags test` runs, called once per hour in one
process (26 CLI starts would cost about 20 s each of Python start-up and DAG parsing on 2 cores).

    tools/airflow-local.sh python airflow/tests/poll_hours.py --first 2026-11-20T01:00:00Z --hours 26

Needs the environment tools/airflow-local.sh sets (the local target, the simulator's URL).
Exit 0 when every run succeeded; prints one line per run.
"""

import argparse
import json
import os
import sys
import time
import urllib.request
from datetime import datetime, timedelta


def set_clock(simulator: str, at: datetime) -> None:
    body = json.dumps({"now": at.strftime("%Y-%m-%dT%H:%M:%SZ")}).encode()
    request = urllib.request.Request(simulator + "/_sim/clock", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=10) as r:
        r.read()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--first", required=True, help="the first poll's time (its interval's end)")
    p.add_argument("--hours", type=int, required=True)
    args = p.parse_args()
    first = datetime.fromisoformat(args.first.replace("Z", "+00:00"))
    simulator = os.environ["AIRFLOW_VAR_SPOTIFY_LOCAL_SIMULATOR_URL"]

    # What Airflow's processes do: the DAG folder is importable (the DAG package lives there).
    sys.path.insert(0, os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.state import DagRunState

    bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        print(f"import errors: {bag.import_errors}", file=sys.stderr)
        return 1
    dag = bag.get_dag("spotify_listening_poll")
    failed = []
    for h in range(args.hours):
        at = first + timedelta(hours=h)
        set_clock(simulator, at)
        started = time.monotonic()
        # The manual run of logical date `at` has the data interval [at - 1 h, at): the run the
        # scheduler starts at `at`.
        run = dag.test(logical_date=at)
        state = run.state if run is not None else None
        print(f"poll {at:%Y-%m-%dT%H:%MZ}: {state} in {time.monotonic() - started:.1f} s", flush=True)
        if state != DagRunState.SUCCESS:
            failed.append(at.isoformat())
    if failed:
        print(f"failed poll runs: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
