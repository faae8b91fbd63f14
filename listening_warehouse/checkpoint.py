"""The warehouse checkpoint: GX Core suites over gold and the marts for one day.

    python great_expectations/run_checkpoint.py --target local|prod --date YYYY-MM-DD [...]

Exit codes: 0 every expectation passed, 1 at least one failed (or could not be evaluated),
2 bad arguments or missing inputs. The console gets a one-screen summary naming each failed
expectation and its table; --json-out writes the same as JSON.

How it runs: the committed GX file context (great_expectations/gx: suites as JSON, validation
definitions, the `daily_warehouse` checkpoint) is copied into a working folder; each suite's table
slice for the day (its meta names table, layer and date column) is exported there as Parquet from
the target (DuckDB locally, BigQuery in production); the checkpoint runs on those files with the
day's parameters (interval, expected row counts, the dimension ids the facts must name). The same
suites run on both targets, on GX's pandas engine: GX's SQL engine cannot read DuckDB results yet
(fivetran/great_expectations#11579), and one engine keeps one set of suites.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from . import layout
from .targets import BadInput, make_target

CHECKPOINT = "daily_warehouse"
DEFAULT_MAX_ROWS = 10_000_000


@dataclass(frozen=True)
class Batch:
    """One suite's slice of a table."""

    suite: str
    layer: str
    table: str
    date_column: str | None

    @property
    def label(self) -> str:
        return f"{self.layer}.{self.table}"


def batches(gx_project: Path = layout.GX_PROJECT) -> list[Batch]:
    """The checkpoint's validation definitions, in order, with their suites' tables."""
    checkpoint = json.loads((gx_project / "checkpoints" / f"{CHECKPOINT}.json").read_text())
    out = []
    for ref in checkpoint["validation_definitions"]:
        definition = json.loads(
            (gx_project / "validation_definitions" / f"{ref['name']}.json").read_text()
        )
        suite_name = definition["suite"]["name"]
        meta = json.loads((gx_project / "expectations" / f"{suite_name}.json").read_text())["meta"]
        out.append(Batch(suite_name, meta["layer"], meta["table"], meta.get("date_column")))
    return out


def _row_range(text: str) -> tuple[int, int]:
    try:
        low, high = (int(x) for x in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not MIN:MAX (two whole numbers)") from None
    if low < 0 or high < low:
        raise argparse.ArgumentTypeError(f"'{text}': need 0 <= MIN <= MAX")
    return low, high


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_checkpoint.py",
        description="Runs the GX checkpoint of gold and the marts for one day.",
        epilog="exit codes: 0 all expectations passed, 1 some failed, 2 bad arguments or inputs",
    )
    p.add_argument("--target", choices=["local", "prod"], required=True)
    p.add_argument("--date", type=_day, required=True, help="the run's day, YYYY-MM-DD")
    p.add_argument(
        "--run-dir",
        help=f"local: the run's output folder (default: ${layout.RUN_DIR_ENV} or "
        f"{layout.DEFAULT_RUN_DIR})",
    )
    p.add_argument("--gold", type=Path, help="local: gold Parquet folder (default: <run-dir>/gold)")
    p.add_argument(
        "--duckdb",
        type=Path,
        help=f"local: the dbt DuckDB file (default: <run-dir>/{layout.DUCKDB_FILE})",
    )
    p.add_argument(
        "--expected-rows",
        type=_row_range,
        metavar="MIN:MAX",
        help="rows gold fct_listens must have for the day (default: half the smallest to twice "
        "the largest of the 7 days before, from mart_data_health; 1 to 10,000,000 without them)",
    )
    p.add_argument(
        "--work-dir",
        type=Path,
        help="where the GX project copy and the batches go (default: <run-dir>/checkpoint "
        "locally, a temporary folder in prod); emptied first",
    )
    p.add_argument("--json-out", type=Path, help="also write the result as JSON here")
    return p


def expected_rows(target, day: date) -> tuple[int, int, str]:
    """The range of rows the day's fct_listens should have, from the week before."""
    try:
        counts = [
            r[0]
            for r in target.rows(
                "select plays from {marts.mart_data_health} where health_date between "
                f"date '{(day - timedelta(days=7)).isoformat()}' and "
                f"date '{(day - timedelta(days=1)).isoformat()}' and plays > 0"
            )
        ]
    except Exception:  # no mart yet: the first run
        counts = []
    if not counts:
        return 1, DEFAULT_MAX_ROWS, "no earlier day to compare with"
    return (
        max(1, min(counts) // 2),
        max(counts) * 2,
        f"from {len(counts)} earlier day(s): {min(counts)} to {max(counts)} plays",
    )


def _ids(path: Path, column: str) -> list:
    import pyarrow.parquet as pq

    return [v for v in pq.read_table(path, columns=[column]).column(column).to_pylist() if v]


def run(args: argparse.Namespace, out=None) -> int:
    started = time.monotonic()
    run_dir = layout.LocalRun.from_env(args.run_dir)
    target = make_target(args.target, run_dir, args.gold, args.duckdb)
    work = args.work_dir or (
        run_dir.checkpoint if args.target == "local" else Path(tempfile.mkdtemp(prefix="gx-"))
    )
    work = work.resolve()
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(layout.GX_PROJECT, work / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    (work / "batches").mkdir()

    day = args.date
    rows = {}
    for batch in batches():
        rows[batch.suite] = target.export(
            batch.layer, batch.table, batch.date_column, day, work / "batches" / f"{batch.suite}.parquet"
        )
    exported = time.monotonic()

    if args.expected_rows:
        low, high = args.expected_rows
        why = "from --expected-rows"
    else:
        low, high, why = expected_rows(target, day)
    start = datetime.combine(day, datetime.min.time())
    parameters = {
        "run_date": day,
        "interval_start": start,
        "interval_end": start + timedelta(days=1),
        "now": datetime.now(timezone.utc).replace(tzinfo=None),
        "listens_min_rows": low,
        "listens_max_rows": high,
        "listens_rows": rows["gold_fct_listens"],
        "top_n": layout.top_n(),
        "dim_tracks_ids": _ids(work / "batches" / "gold_dim_tracks.parquet", "track_id"),
        "dim_albums_ids": _ids(work / "batches" / "gold_dim_albums.parquet", "album_id"),
        "dim_artists_ids": _ids(work / "batches" / "gold_dim_artists.parquet", "artist_id"),
    }

    import great_expectations as gx  # seconds: GX imports most of pandas, scipy, sqlalchemy

    imported = time.monotonic()
    here = Path.cwd()
    os.chdir(work)  # the datasource reads `batches/` relative to the working directory
    try:
        context = gx.get_context(mode="file", project_root_dir=work)
        result = context.checkpoints.get(CHECKPOINT).run(expectation_parameters=parameters)
    finally:
        os.chdir(here)
    summary = summarize(result, work / "gx", rows)
    summary.update(
        target=args.target,
        date=day.isoformat(),
        expected_listens=[low, high],
        expected_listens_why=why,
        work_dir=str(work),
        seconds={
            "export": round(exported - started, 2),
            "import_gx": round(imported - exported, 2),
            "validate": round(time.monotonic() - imported, 2),
            "total": round(time.monotonic() - started, 2),
        },
    )
    print_summary(summary, out)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if summary["success"] else 1


def summarize(result, gx_dir: Path, rows: dict) -> dict:
    """The checkpoint result in a few lines per table: counts and each failed expectation."""
    tables = []
    failed = []
    evaluated = 0
    for validation in result.run_results.values():
        suite_file = gx_dir / "expectations" / f"{validation.suite_name}.json"
        suite = json.loads(suite_file.read_text())
        written = {e["id"]: e["kwargs"] for e in suite["expectations"]}
        label = f"{suite['meta']['layer']}.{suite['meta']['table']}"
        stats = validation.statistics
        evaluated += stats["evaluated_expectations"]
        tables.append(
            {
                "table": label,
                "rows": rows.get(validation.suite_name),
                "expectations": stats["evaluated_expectations"],
                "failed": stats["unsuccessful_expectations"],
            }
        )
        for r in validation.results:
            if r.success:
                continue
            config = r.expectation_config
            failed.append(
                {
                    "table": label,
                    "expectation": config.type,
                    "on": _on(written.get(config.id, config.kwargs)),
                    "detail": _detail(r),
                }
            )
    return {
        "checkpoint": CHECKPOINT,
        "success": bool(result.success),
        "expectations": evaluated,
        "failed": failed,
        "tables": tables,
    }


def _on(kwargs: dict) -> str:
    """What an expectation is about, from its kwargs as written in the suite."""
    parts = []
    if "column" in kwargs:
        parts.append(kwargs["column"])
    if "column_list" in kwargs:
        parts.append("(" + ", ".join(kwargs["column_list"]) + ")")
    if "column_A" in kwargs:
        parts.append(f"{kwargs['column_A']} >= {kwargs['column_B']}")
    for key in ("min_value", "max_value", "value", "value_set"):
        value = kwargs.get(key)
        if isinstance(value, dict) and "$PARAMETER" in value:
            value = "$" + value["$PARAMETER"]
        if value is not None:
            parts.append(f"{key}={value}")
    return " ".join(parts)


def _detail(r) -> str:
    info = r.exception_info or {}
    raised = [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
    if info.get("raised_exception") or raised:
        message = info.get("exception_message") or raised[0].get("exception_message")
        return f"could not be evaluated: {message}"
    res = r.result or {}
    if "unexpected_count" in res and res.get("unexpected_count"):
        sample = res.get("partial_unexpected_list") or []
        text = f"{res['unexpected_count']} unexpected row(s)"
        if "unexpected_percent" in res and res["unexpected_percent"] is not None:
            text += f" ({res['unexpected_percent']:.3g}%)"
        if sample:
            text += ", e.g. " + ", ".join(_short(v) for v in sample[:3])
        return text
    if "observed_value" in res:
        return f"observed {_short(res['observed_value'])}"
    return "failed"


def _short(value) -> str:
    text = "null" if value is None or value != value else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def print_summary(s: dict, out=None) -> None:
    out = out or sys.stdout
    status = "PASSED" if s["success"] else "FAILED"
    n_failed = len(s["failed"])
    print(
        f"checkpoint {s['checkpoint']} ({s['target']}, {s['date']}): {status} - "
        f"{s['expectations'] - n_failed} of {s['expectations']} expectations met on "
        f"{len(s['tables'])} tables",
        file=out,
    )
    by_table = {}
    for f in s["failed"]:
        by_table.setdefault(f["table"], []).append(f)
    for t in s["tables"]:
        mark = "ok" if not t["failed"] else f"{t['failed']} FAILED"
        print(f"  {t['table']:<30} {t['rows']:>9} rows  {t['expectations']:>3} checks  {mark}", file=out)
        for f in by_table.get(t["table"], []):
            print(f"    x {f['expectation']} {f['on']}: {f['detail']}", file=out)
    low, high = s["expected_listens"]
    print(
        f"  fct_listens rows expected {low}..{high} ({s['expected_listens_why']}); "
        f"{s['seconds']['total']:.1f} s (export {s['seconds']['export']:.1f} s, "
        f"importing GX {s['seconds']['import_gx']:.1f} s); "
        f"batches in {s['work_dir']}",
        file=out,
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
