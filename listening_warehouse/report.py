"""The listening report: one self-contained HTML file built from the marts of a local run.

    .venv/warehouse/bin/python report/build_report.py [--run-dir data/local] [--date D]

Writes <run-dir>/report.html: listens per day and per hour, top tracks and artists, sessions, new
releases per market (when the app sees them), and a data-health panel (gaps, quarantine, look-up
coverage from mart_data_health; requests spent and the reconciliation with the simulator's truth
from the run's facts). The charts are plotly.js, bundled into the file: it opens offline.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from datetime import date
from pathlib import Path

from . import layout
from .targets import BadInput, LocalTarget

PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}
# Sessions by tracks played: (label, most tracks) per bar, then the rest.
SESSION_BUCKETS = [("1", 1), ("2-5", 5), ("6-10", 10), ("11-20", 20), ("21-50", 50)]
SESSION_OVERFLOW = "51+"
COLORS = {"main": "#1db954", "second": "#1e3264", "third": "#e8115b", "muted": "#8d8d8d"}


def _layout(title: str, **more) -> dict:
    base = {
        "title": {"text": title, "x": 0.01, "font": {"size": 16}},
        "margin": {"l": 50, "r": 20, "t": 50, "b": 50},
        "height": 340,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "DejaVu Sans, Arial, sans-serif", "size": 12},
        "showlegend": False,
    }
    base.update(more)
    return base


def _bar(x, y, color=COLORS["main"], horizontal=False, name=None) -> dict:
    trace = {
        "type": "bar",
        "x": list(y) if horizontal else list(x),
        "y": list(x) if horizontal else list(y),
        "orientation": "h" if horizontal else "v",
        "marker": {"color": color},
        "text": [f"{v:,}" for v in y],
        "textposition": "outside",
        "cliponaxis": False,
        "hoverinfo": "x+y",
    }
    if name:
        trace["name"] = name
    return trace


def charts(target: LocalTarget, day: date) -> list[dict]:
    """Each chart: id, plotly data and layout, and the numbers it shows (for the report's test)."""
    d = f"date '{day.isoformat()}'"
    out = []

    per_day = target.rows(
        "select health_date, plays from {marts.mart_data_health} order by health_date"
    )
    out.append(
        {
            "id": "listens-per-day",
            "data": [_bar([r[0].isoformat() for r in per_day], [r[1] for r in per_day])],
            "layout": _layout(
                "Listens per day", xaxis={"type": "category"}, yaxis={"title": "plays"}
            ),
        }
    )

    hours = target.rows(
        "select hour_of_day, plays from {marts.mart_listening_by_hour} "
        f"where listen_date = {d} order by hour_of_day"
    )
    out.append(
        {
            "id": "plays-per-hour",
            "data": [_bar([r[0] for r in hours], [r[1] for r in hours], COLORS["second"])],
            "layout": _layout(
                f"Plays per hour of day (UTC), {day.strftime('%A')} {day.isoformat()}",
                xaxis={"title": "hour", "dtick": 1},
                yaxis={"title": "plays"},
            ),
        }
    )

    tracks = target.rows(
        "select track_rank, track_name, coalesce(primary_artist_name, 'local file'), plays "
        f"from {{marts.mart_top_tracks_daily}} where listen_date = {d} order by track_rank desc"
    )
    out.append(
        {
            "id": "top-tracks",
            "data": [
                _bar(
                    [f"{r[0]}. {_cut(r[1])} - {_cut(r[2], 22)}" for r in tracks],
                    [r[3] for r in tracks],
                    horizontal=True,
                )
            ],
            "layout": _layout(
                "Top tracks of the day",
                height=420,
                margin={"l": 330, "r": 40, "t": 50, "b": 40},
                xaxis={"title": "plays"},
                yaxis={"type": "category", "automargin": True},
            ),
        }
    )

    artists = target.rows(
        "select artist_rank, artist_name, plays from {marts.mart_top_artists_daily} "
        f"where listen_date = {d} order by artist_rank desc"
    )
    out.append(
        {
            "id": "top-artists",
            "data": [
                _bar(
                    [f"{r[0]}. {_cut(r[1])}" for r in artists],
                    [r[2] for r in artists],
                    COLORS["third"],
                    horizontal=True,
                )
            ],
            "layout": _layout(
                "Top artists of the day",
                height=420,
                margin={"l": 230, "r": 40, "t": 50, "b": 40},
                xaxis={"title": "plays"},
                yaxis={"type": "category", "automargin": True},
            ),
        }
    )

    buckets = SESSION_BUCKETS
    case = " ".join(f"when track_count <= {hi} then '{label}'" for label, hi in buckets)
    counted = dict(
        target.rows(
            f"select case {case} else '{SESSION_OVERFLOW}' end, count(*) "
            f"from {{marts.fct_listening_sessions}} where session_date = {d} group by 1"
        )
    )
    labels = [label for label, _ in buckets] + [SESSION_OVERFLOW]
    sessions_total = sum(counted.values())
    out.append(
        {
            "id": "sessions-by-tracks",
            "data": [_bar(labels, [counted.get(b, 0) for b in labels], COLORS["second"])],
            "layout": _layout(
                f"{sessions_total:,} listening sessions, by tracks played"
                " (a session ends after 30 min of silence)",
                xaxis={"title": "tracks in the session", "type": "category"},
                yaxis={"title": "sessions"},
            ),
        }
    )

    releases = target.rows(
        "select market, albums, singles, compilations from {marts.mart_new_releases_by_market} "
        f"where snapshot_date = {d} order by market"
    )
    if releases:
        markets = [r[0] for r in releases]
        data = []
        for i, (kind, color) in enumerate(
            [("albums", COLORS["main"]), ("singles", COLORS["second"]), ("compilations", COLORS["third"])]
        ):
            data.append(_bar(markets, [r[i + 1] for r in releases], color, name=kind))
        out.append(
            {
                "id": "new-releases",
                "data": data,
                "layout": _layout(
                    "New releases per market, by album type",
                    barmode="group",
                    showlegend=True,
                    xaxis={"type": "category"},
                    yaxis={"title": "releases"},
                ),
            }
        )
    return out


def _cut(text, n: int = 34) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def health(target: LocalTarget, day: date, facts: dict) -> list[tuple[str, str, str]]:
    """The data-health panel's rows: (what, value, note)."""
    cols = [
        "plays", "listeners", "gap_reports", "users_with_gaps", "lost_window_ms",
        "quarantined_records", "track_ids", "track_ids_not_looked_up", "album_ids",
        "album_ids_not_looked_up", "artist_ids", "artist_ids_not_looked_up",
    ]
    found = target.rows(
        f"select {', '.join(cols)} from {{marts.mart_data_health}} "
        f"where health_date = date '{day.isoformat()}'"
    )
    h = dict(zip(cols, found[0])) if found else dict.fromkeys(cols, 0)
    extraction = facts.get("extraction", {})
    recon = facts.get("reconciliation", {})
    truth = facts.get("truth", {})
    rows = [
        ("Plays in the warehouse", f"{h['plays']:,}", f"{h['listeners']:,} listeners"),
        (
            "Gaps reported by the extractor",
            f"{h['gap_reports']:,}",
            f"{h['users_with_gaps']:,} users; {h['lost_window_ms'] / 60000:,.0f} min of plays "
            "unreadable past Spotify's 50-play horizon",
        ),
        ("Records quarantined by bronze", f"{h['quarantined_records']:,}", "landing date"),
        (
            "Ids played but not looked up yet",
            f"{h['track_ids_not_looked_up']:,} / {h['album_ids_not_looked_up']:,} / "
            f"{h['artist_ids_not_looked_up']:,}",
            f"of {h['track_ids']:,} tracks / {h['album_ids']:,} albums / {h['artist_ids']:,} artists",
        ),
    ]
    if extraction:
        rows.append(
            (
                "API requests spent",
                f"{extraction.get('requests', 0):,}",
                f"{extraction.get('retries', 0):,} retries, {extraction.get('token_requests', 0):,}"
                " token requests",
            )
        )
    if recon:
        ok = recon.get("rows_missing") == 0 and recon.get("rows_unexpected") == 0
        rows.append(
            (
                "Reconciliation with the simulator's truth",
                "exact" if ok else "DIFFERS",
                f"{recon.get('fct_listens_rows', 0):,} gold rows for "
                f"{recon.get('expected_rows', 0):,} retrievable plays; "
                f"{recon.get('rows_missing', 0)} missing, {recon.get('rows_unexpected', 0)} unexpected",
            )
        )
    if truth:
        rows.append(
            (
                "Plays the polls could not see",
                f"{truth.get('lost_in_gaps', 0) + truth.get('unauthorized', 0):,}",
                f"{truth.get('lost_in_gaps', 0):,} lost in gaps, {truth.get('unauthorized', 0):,} "
                "of users whose consent expired",
            )
        )
    warehouse = facts.get("warehouse", {})
    dbt = warehouse.get("dbt")
    if dbt:
        counts = dbt.get("results", {})
        note = ", ".join(
            f"{kind}: " + " ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
            for kind, by_status in sorted(counts.items())
        )
        rows.append(("dbt build", dbt.get("status", "?"), note))
    checkpoint = warehouse.get("checkpoint")
    if checkpoint:
        failed = checkpoint.get("failed", [])
        note = f"{checkpoint.get('expectations', 0)} expectations on gold and the marts"
        if failed:
            note += "; failed: " + "; ".join(failed)
        rows.append(("GX checkpoint", checkpoint.get("status", "?"), note))
    return rows


def render(day: date, chart_list: list[dict], health_rows, out: Path) -> None:
    import plotly.offline

    cards = []
    scripts = []
    for c in chart_list:
        cards.append(f'<section class="card"><div class="chart" id="{c["id"]}"></div></section>')
        scripts.append(
            f"Plotly.newPlot({json.dumps(c['id'])}, {json.dumps(c['data'], default=str)}, "
            f"{json.dumps(c['layout'])}, {json.dumps(PLOTLY_CONFIG)});"
        )
    if not any(c["id"] == "new-releases" for c in chart_list):
        cards.append(
            '<section class="card note" id="new-releases-none"><h2>New releases per market</h2>'
            "<p>None landed for this day: development-mode apps cannot read new releases.</p>"
            "</section>"
        )
    health_html = "".join(
        f"<tr><th>{html.escape(a)}</th><td class=\"v\">{html.escape(b)}</td>"
        f"<td>{html.escape(c)}</td></tr>"
        for a, b, c in health_rows
    )
    out.write_text(
        TEMPLATE.format(
            day=day.isoformat(),
            weekday=day.strftime("%A"),
            plotly=plotly.offline.get_plotlyjs(),
            cards="\n".join(cards),
            health=health_html,
            scripts="\n".join(scripts),
        ),
        encoding="utf-8",
    )


TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Listening report {day}</title>
<style>
  body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; background: #f4f4f4; color: #191414; }}
  header {{ background: #191414; color: white; padding: 18px 28px; }}
  header h1 {{ margin: 0; font-size: 22px; }}
  header p {{ margin: 4px 0 0; color: #b3b3b3; font-size: 13px; }}
  main {{ display: grid; grid-template-columns: 1fr 1fr; gap: 16px; padding: 16px 28px 28px; }}
  .card {{ background: white; border-radius: 8px; padding: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }}
  .card.wide {{ grid-column: 1 / span 2; }}
  .note {{ padding: 16px; }} .note h2, .health h2 {{ font-size: 16px; margin: 4px 0 8px; }}
  .health {{ padding: 12px 16px; }}
  .health table {{ border-collapse: collapse; width: 100%; font-size: 13px; }}
  .health th {{ text-align: left; font-weight: normal; color: #535353; padding: 5px 8px 5px 0; }}
  .health td {{ padding: 5px 8px; border-top: 1px solid #eee; }}
  .health td.v {{ font-weight: bold; white-space: nowrap; }}
</style>
<script>{plotly}</script>
</head>
<body>
<header>
  <h1>Listening report &middot; {weekday} {day}</h1>
  <p>Built from the warehouse marts (dbt) of the local pipeline run; times are UTC.</p>
</header>
<main>
<section class="card wide health" id="data-health">
  <h2>Data health</h2>
  <table>{health}</table>
</section>
{cards}
</main>
<script>
{scripts}
</script>
</body>
</html>
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build_report.py", description=__doc__.splitlines()[0])
    p.add_argument("--run-dir", help=f"the local run's folder (default: {layout.DEFAULT_RUN_DIR})")
    p.add_argument("--date", type=date.fromisoformat, help="the day to show (default: the latest)")
    p.add_argument("--out", type=Path, help=f"default: <run-dir>/{layout.REPORT_FILE}")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run = layout.LocalRun.from_env(args.run_dir)
    try:
        target = LocalTarget(run.gold, run.duckdb)
        day = args.date or target.rows("select max(health_date) from {marts.mart_data_health}")[0][0]
        if day is None:
            raise BadInput(f"mart_data_health in {run.duckdb} is empty: nothing to report")
        facts = json.loads(run.run_facts.read_text()) if run.run_facts.is_file() else {}
        out = args.out or run.report
        render(day, charts(target, day), health(target, day, facts), out)
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"report: {out.resolve()}")
    return 0
