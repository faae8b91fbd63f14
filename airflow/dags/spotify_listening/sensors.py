"""The daily DAG's sensor on what the polls wrote: their run manifests.

Each hourly poll of the extractor lands, per shard, a `_manifest.json` beside its parts (the
landing contract: landing-contract/src/main/java/dev/listening/landing/LandingPartition.java):

    <landing>/recently_played/date=<poll date>/run=poll-<yyyyMMddTHH00Z>/shard=<i>-of-<n>/_manifest.json

The day D is complete when the polls from D 01:00 through D+1 00:00 + lateness have each landed
one manifest per shard: the first polls the day's first hour, the last its late plays. The
end-to-end test of the local target proves these paths are the ones the extractor writes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from spotify_listening.compat import BaseSensorOperator

ENDPOINT = "recently_played"
MANIFEST = "_manifest.json"


def expected_manifests(day: str, lateness_hours: str | int, shards: str | int) -> list[str]:
    """The manifest objects (relative to the landing root) the day's polls land."""
    problems = []
    try:
        start = datetime.combine(date.fromisoformat(str(day)), datetime.min.time(), timezone.utc)
    except ValueError:
        problems.append(f"day {day!r} is not YYYY-MM-DD")
    try:
        lateness = int(str(lateness_hours).strip())
        if not 0 <= lateness < 24:
            raise ValueError
    except ValueError:
        problems.append(f"lateness hours {lateness_hours!r} must be a whole number from 0 to 23")
    try:
        n = int(str(shards).strip())
        if n < 1:
            raise ValueError
    except ValueError:
        problems.append(f"shard count {shards!r} must be a whole number of at least 1")
    if problems:
        raise ValueError("; ".join(problems))
    manifests = []
    for hour in range(1, 24 + lateness + 1):
        at = start + timedelta(hours=hour)
        run = f"poll-{at:%Y%m%dT%H}00Z"
        for i in range(n):
            manifests.append(
                f"{ENDPOINT}/date={at:%Y-%m-%d}/run={run}/shard={i}-of-{n}/{MANIFEST}"
            )
    return manifests


class LandedManifestsSensor(BaseSensorOperator):
    """True once every manifest of the day's polls exists under `landing` (gs:// or a folder).

    Runs in reschedule mode: between pokes it holds no worker slot."""

    template_fields = ("landing", "day", "lateness_hours", "shards")
    ui_color = "#e8f0fe"

    def __init__(self, *, landing, day, lateness_hours, shards, gcp_conn_id="google_cloud_default",
                 **kwargs):
        kwargs.setdefault("mode", "reschedule")
        super().__init__(**kwargs)
        self.landing = landing
        self.day = day
        self.lateness_hours = lateness_hours
        self.shards = shards
        self.gcp_conn_id = gcp_conn_id

    def poke(self, context) -> bool:
        expected = expected_manifests(self.day, self.lateness_hours, self.shards)
        landing = str(self.landing).rstrip("/")
        if landing.startswith("gs://"):
            missing = self._missing_in_gcs(landing, expected)
        else:
            root = Path(landing)
            missing = [m for m in expected if not (root / m).is_file()]
        if missing:
            self.log.info(
                "%d of %d poll manifests of %s landed under %s; waiting for %d, the first: %s",
                len(expected) - len(missing), len(expected), self.day, landing, len(missing),
                missing[0],
            )
            return False
        self.log.info("all %d poll manifests of %s are under %s", len(expected), self.day, landing)
        return True

    def _missing_in_gcs(self, landing: str, expected: list[str]) -> list[str]:
        from airflow.providers.google.cloud.hooks.gcs import GCSHook

        bucket, _, prefix = landing[len("gs://"):].partition("/")
        prefix = f"{prefix}/" if prefix else ""
        hook = GCSHook(gcp_conn_id=self.gcp_conn_id)
        # One listing per landing date (two dates), not one request per manifest.
        present = set()
        for day_prefix in sorted({m.rsplit("/run=", 1)[0] + "/" for m in expected}):
            present.update(
                hook.list(bucket, prefix=prefix + day_prefix, match_glob="**/" + MANIFEST)
            )
        return [m for m in expected if prefix + m not in present]
