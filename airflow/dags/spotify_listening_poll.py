"""
### spotify_listening_poll

Hourly: every user's recently played tracks, as an execution of the extractor's Cloud Run job
(`gcp`) or the extractor jar against the simulator (`local`). Spotify keeps only a user's last 50
plays, so a once-a-day pull would lose most of a heavy listener's day: each hourly run polls at
the end of its data interval, lands on that date under the run id `poll-<yyyyMMddTHH00Z>`, and
the extractor's watermarks make every poll incremental. Runs never overlap
(`max_active_runs=1`) and are never caught up: a poll reads the API's present, so a missed hour
cannot be fetched later (the next poll picks up from the watermark; lost plays show as gaps).

The `12:00` run also takes the day's catalog snapshots, new releases and playlist items, each
only when its Variable is set (`spotify_new_releases_markets`, `spotify_playlist_ids`).

Steps: `spotify_listening/steps.py`; operators per target: `spotify_listening/targets.py`.
"""

from datetime import datetime, timedelta, timezone

from airflow.timetables.interval import CronDataIntervalTimetable

from spotify_listening import alerts, names, steps, targets
from spotify_listening.compat import DAG

default_args = {
    "owner": "listening",
    "retries": 2,
    "retry_delay": timedelta(minutes=3),
    "execution_timeout": timedelta(minutes=50),
    "on_failure_callback": alerts.on_failure,
}

with DAG(
    dag_id="spotify_listening_poll",
    doc_md=__doc__,
    schedule=CronDataIntervalTimetable("0 * * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    user_defined_filters=targets.FILTERS,
    tags=["spotify-listening"],
) as dag:
    targets.tasks(steps.POLL, names.target())
