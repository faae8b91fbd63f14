"""Every step of both DAGs, declared once: its name, what it runs, its arguments.

A step says *what* runs (an extractor command, a Spark job, a warehouse command, or the sensor on
the polls' manifests) with arguments templated on the run's data interval; `targets.py` binds it
to operators (`gcp`: the Google provider's; `local`: processes against the simulator). The order
of `POLL` and `DAILY` is the order the tasks run in: the DAG files chain them as listed.

Dates come from the data interval only (never "today", never "latest"), so a backfill of a past
day or a clear-and-rerun of one task reads and writes exactly what the first run did.
"""

from dataclasses import dataclass, field

from spotify_listening import names

# --- The data interval, as templates ------------------------------------------------------------
#: The daily run's day D: its data interval is [D 00:00, D+1 00:00) UTC.
DAY = "{{ data_interval_start | ds }}"
#: D+1: polls after midnight land plays of D on this landing date.
NEXT_DAY = "{{ data_interval_end | ds }}"
#: A poll run polls at the end of its hour, lands on that date, under a run id of that hour.
POLL_DATE = "{{ data_interval_end | ds }}"
POLL_RUN_ID = 'poll-{{ data_interval_end.strftime("%Y%m%dT%H00Z") }}'

#: The Spark jobs' one main class (spark-jobs/src/main/java/dev/listening/jobs/JobsMain.java).
JOBS_MAIN_CLASS = "dev.listening.jobs.JobsMain"
#: Where the gold job writes: each target puts its own options here (BigQuery or Parquet).
GOLD_SINK = "<gold sink options of the target>"
#: The hour (UTC) whose poll run also takes the day's catalog snapshots (new releases,
#: playlist items): once a day is what those snapshots are for, and landing them on the day
#: they describe lets the daily run's bronze and gold read them with the plays.
CATALOG_SNAPSHOT_HOUR = 12


@dataclass(frozen=True)
class Step:
    """One task: `runs` is extractor | spark | warehouse | manifests; `args` are templated."""

    task_id: str
    runs: str
    args: tuple = ()
    doc: str = ""
    #: extractor: the users are sharded over the Cloud Run job's tasks (its task count).
    sharded: bool = False
    #: Runs only in the poll run of this hour (UTC) ...
    at_hour: int | None = None
    #: ... and only when this Variable is not empty (a ShortCircuit task guards it).
    when_configured: str | None = None
    #: manifests: what the sensor expects (templated).
    expects: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.runs not in ("extractor", "spark", "warehouse", "manifests"):
            raise ValueError(f"step {self.task_id}: unknown runs={self.runs!r}")


POLL = (
    Step(
        "recently_played",
        "extractor",
        ("recently-played", "--run-id", POLL_RUN_ID, "--landing-date", POLL_DATE),
        doc="Every user's recently played tracks since their watermark (a 50-play horizon: hourly).",
        sharded=True,
    ),
    Step(
        "new_releases",
        "extractor",
        (
            "new-releases",
            "--run-id",
            "new-releases-" + POLL_DATE,
            "--landing-date",
            POLL_DATE,
            "--markets",
            names.var(names.NEW_RELEASES_MARKETS),
        ),
        doc="The day's new releases per market (extended-mode apps).",
        at_hour=CATALOG_SNAPSHOT_HOUR,
        when_configured=names.NEW_RELEASES_MARKETS,
    ),
    Step(
        "playlist_items",
        "extractor",
        (
            "playlist-items",
            "--run-id",
            "playlists-" + POLL_DATE,
            "--landing-date",
            POLL_DATE,
            "--playlist",
            names.var(names.PLAYLIST_IDS),
        ),
        doc="The day's snapshot of the configured playlists, each read with its owner's token.",
        at_hour=CATALOG_SNAPSHOT_HOUR,
        when_configured=names.PLAYLIST_IDS,
    ),
)

def _bronze(landing_date: str, endpoints: str | None = None) -> tuple:
    """The bronze job's arguments for one landing date (endpoints: all that landed if None)."""
    args = (
        "bronze",
        "--landing",
        names.var(names.LANDING_URI),
        "--bronze",
        names.var(names.BRONZE_URI),
        "--landing-date",
        landing_date,
    )
    return args + (("--endpoints", endpoints) if endpoints else ())


DAILY = (
    Step(
        "wait_for_polls",
        "manifests",
        doc=(
            "Waits until every hourly poll of the day and of its lateness window (D 01:00 through"
            " D+1 00:00 + lateness) has landed its manifest, one per shard."
        ),
        expects={
            "landing": names.var(names.LANDING_URI),
            "day": DAY,
            "lateness_hours": names.var(names.LATENESS_HOURS),
            "shards": names.var(names.EXTRACTOR_TASK_COUNT),
        },
    ),
    Step(
        "bronze",
        "spark",
        _bronze(DAY),
        doc="Landing date D, every endpoint landed, to bronze Parquet.",
    ),
    Step(
        "bronze_next_day",
        "spark",
        _bronze(NEXT_DAY, "recently_played"),
        doc="The polls after midnight (landing date D+1): late plays of D.",
    ),
    Step(
        "enrichment_list",
        "spark",
        (
            "enrichment-list",
            "--bronze",
            names.var(names.BRONZE_URI),
            "--out",
            names.var(names.LOOKUP_LIST_URI),
            "--landing-date",
            DAY,
        ),
        doc="The catalog ids D's facts name that have no fresh look-up.",
    ),
    Step(
        "lookups",
        "extractor",
        (
            "lookups",
            "--run-id",
            "lookups-" + DAY,
            "--landing-date",
            DAY,
            "--ids",
            names.var(names.LOOKUP_LIST_URI) + "/date=" + DAY,
        ),
        doc="Tracks, albums and artists of the enrichment list.",
    ),
    Step(
        "bronze_lookups",
        "spark",
        # "lookups": what the look-ups command lands (landing contract's Endpoint.LOOKUPS).
        _bronze(DAY, "lookups"),
        doc="The look-ups just landed, to bronze.",
    ),
    Step(
        "gold",
        "spark",
        (
            "gold",
            "--bronze",
            names.var(names.BRONZE_URI),
            "--play-date",
            DAY,
            "--lateness",
            names.var(names.LATENESS_HOURS) + "h",
            GOLD_SINK,
        ),
        doc="Gold for play date D, with its quality gates.",
    ),
    Step(
        "dbt_build",
        "warehouse",
        ("build", "--date", DAY),
        doc="dbt build for D: staging, the marts' partitions of D, every data and unit test.",
    ),
    Step(
        "checkpoint",
        "warehouse",
        ("checkpoint", "--date", DAY),
        doc="The GX checkpoint of gold and the marts for D.",
    ),
)
