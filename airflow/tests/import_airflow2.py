"""The DAG files import on Airflow 2.11 too (Composer 3's Airflow 2 target), for both targets.

    tools/python-env.sh airflow2 && .venv/airflow2/bin/python airflow/tests/import_airflow2.py

Parses the DAG folder with Airflow 2's DagBag (as its scheduler does) and checks that both DAGs
load with no import error, with the same tasks, dependencies and timetable as on Airflow 3.
Exit 0 when they do. A separate command (not in ./test.sh): a second Airflow environment costs
about a minute to install in a fresh clone; its time is in the README.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

DAGS = Path(__file__).resolve().parents[1] / "dags"
EXPECTED = {
    "spotify_listening_daily": {
        "wait_for_polls": [],
        "bronze": ["wait_for_polls"],
        "bronze_next_day": ["bronze"],
        "enrichment_list": ["bronze_next_day"],
        "lookups": ["enrichment_list"],
        "bronze_lookups": ["lookups"],
        "gold": ["bronze_lookups"],
        "dbt_build": ["gold"],
        "checkpoint": ["dbt_build"],
    },
    "spotify_listening_poll": {
        "recently_played": [],
        "new_releases_due": [],
        "new_releases": ["new_releases_due"],
        "playlist_items_due": [],
        "playlist_items": ["playlist_items_due"],
    },
}


def main() -> int:
    started = time.monotonic()
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="airflow2-import-"))
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS)
    sys.path.insert(0, str(DAGS))
    import airflow
    from airflow.models.dagbag import DagBag
    from airflow.timetables.interval import CronDataIntervalTimetable

    # bag.dags, not get_dag(): Airflow 2's get_dag asks the metadata database, which a parse
    # check has no need to create.
    problems = []
    for target in ("gcp", "local"):
        os.environ["AIRFLOW_VAR_SPOTIFY_TARGET"] = target
        bag = DagBag(dag_folder=str(DAGS), include_examples=False)
        if bag.import_errors:
            problems.append(f"{target}: import errors {bag.import_errors}")
            continue
        for dag_id, graph in EXPECTED.items():
            dag = bag.dags.get(dag_id)
            if dag is None:
                problems.append(f"{target}: {dag_id} not loaded")
                continue
            found = {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks}
            if found != graph:
                problems.append(f"{target}: {dag_id} has {found}")
            if not isinstance(dag.timetable, CronDataIntervalTimetable):
                problems.append(f"{target}: {dag_id} timetable {type(dag.timetable).__name__}")
        print(f"Airflow {airflow.__version__}, target {target}: "
              f"{', '.join(f'{d} ({len(bag.dags.get(d).tasks)} tasks)' for d in EXPECTED)}")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"the DAG files import on Airflow {airflow.__version__} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
