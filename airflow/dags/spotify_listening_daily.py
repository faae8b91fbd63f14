"""
### spotify_listening_daily

One run per UTC day D (data interval `[D 00:00, D+1 00:00)`), started at midnight. Its sensor holds
it until the polls of the day and of its lateness window (through `D+1 00:00` + the Variable
`spotify_lateness_hours`) have all landed their manifests; then, in order:

bronze of D, bronze of D+1's polls (late plays of D), the enrichment list, the look-ups, bronze of
the look-ups, gold for D, `dbt build` for D, the GX checkpoint of D.

Every task reads and writes only D (and D+1's landing for late plays): a backfill of a past day,
or a clear-and-rerun of one task, gives the same rows. Spark jobs run as Dataproc Serverless
batches (`gcp`) or in local mode (`local`); the extractor and the warehouse runner as Cloud Run
job executions or local processes.

Steps: `spotify_listening/steps.py`; operators per target: `spotify_listening/targets.py`.
"""

from datetime import datetime, timedelta, timezone

from airflow.timetables.interval import CronDataIntervalTimetable

from spotify_listening import alerts, names, steps, targets
from spotify_listening.compat import DAG, chain

default_args = {
    "owner": "listening",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "on_failure_callback": alerts.on_failure,
}

with DAG(
    dag_id="spotify_listening_daily",
    doc_md=__doc__,
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    user_defined_filters=targets.FILTERS,
    tags=["spotify-listening"],
) as dag:
    chain(*targets.tasks(steps.DAILY, names.target()))
