"""The HTML report, rendered by headless Chromium: every chart is drawn and shows the numbers the
simulator's truth gives."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from listening_warehouse import layout, report
from tests.conftest import REPO

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("no chromium: ./test.sh installs Debian's package (tools/chromium.sh)")
    return path


class Drawn(HTMLParser):
    """What the browser drew: per chart, its bars and their labels; the health panel's rows."""

    def __init__(self):
        super().__init__()
        self.charts: dict[str, dict] = {}
        self.health: list[list[str]] = []
        self.scripts_with_src: list[str] = []
        self._chart = None
        self._chart_depth = 0
        self._depth = 0
        self._in_bartext = False
        self._in_health = False
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._depth += 1
        classes = (a.get("class") or "").split()
        if tag in ("script", "link") and (a.get("src") or a.get("href")):
            self.scripts_with_src.append(a.get("src") or a.get("href"))
        if tag == "div" and "chart" in classes:
            self._chart, self._chart_depth = a["id"], self._depth
            self.charts[self._chart] = {"bars": 0, "labels": []}
        elif self._chart and tag == "g" and "point" in classes:
            self.charts[self._chart]["bars"] += 1
        elif self._chart and tag == "text" and "bartext" in classes:
            self._in_bartext = True
            self.charts[self._chart]["labels"].append("")
        if tag == "section" and a.get("id") == "data-health":
            self._in_health = True
        if self._in_health and tag == "tr":
            self.health.append([])
        if self._in_health and tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if self._chart and tag == "div" and self._depth == self._chart_depth:
            self._chart = None
        if tag == "text":
            self._in_bartext = False
        if self._in_health and tag in ("th", "td") and self._cell is not None:
            self.health[-1].append(self._cell.strip())
            self._cell = None
        if tag == "section":
            self._in_health = False
        self._depth -= 1

    def handle_data(self, data):
        if self._in_bartext:
            self.charts[self._chart]["labels"][-1] += data
        if self._cell is not None:
            self._cell += data


@pytest.fixture(scope="module")
def drawn(run_dir, tmp_path_factory) -> Drawn:
    html = run_dir / layout.REPORT_FILE
    profile = tmp_path_factory.mktemp("chromium-profile")
    dom = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1400,1640",
         "--virtual-time-budget=10000", "--dump-dom", html.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = Drawn()
    parsed.feed(dom.stdout)
    return parsed


def labels(values) -> list[str]:
    return [f"{v:,}" for v in values]


def test_the_report_is_one_file_that_loads_nothing_from_elsewhere(drawn, run_dir):
    assert drawn.scripts_with_src == []
    assert (run_dir / layout.REPORT_FILE).stat().st_size > 1_000_000, "plotly.js is inside"


def test_listens_per_day_and_per_hour_show_the_truth(drawn, truth):
    assert drawn.charts["listens-per-day"] == {"bars": 1, "labels": labels([len(truth.plays)])}
    assert drawn.charts["plays-per-hour"] == {"bars": 24, "labels": labels(truth.plays_per_hour())}


def test_top_tracks_and_artists_show_the_truth(drawn, truth):
    n = layout.top_n()
    # Horizontal bars are drawn bottom-up: rank n first, rank 1 on top.
    tracks = [plays for _, _, plays, _ in reversed(truth.top_tracks(n))]
    assert drawn.charts["top-tracks"] == {"bars": n, "labels": labels(tracks)}
    artists = [plays for _, _, plays, _ in reversed(truth.top_artists(n))]
    assert drawn.charts["top-artists"] == {"bars": n, "labels": labels(artists)}


def test_sessions_show_the_truth(drawn, truth):
    counts = Counter()
    for session in truth.sessions():
        tracks = session[3]
        bucket = next((label for label, most in report.SESSION_BUCKETS if tracks <= most),
                      report.SESSION_OVERFLOW)
        counts[bucket] += 1
    buckets = [label for label, _ in report.SESSION_BUCKETS] + [report.SESSION_OVERFLOW]
    assert drawn.charts["sessions-by-tracks"] == {
        "bars": len(buckets),
        "labels": labels([counts[b] for b in buckets]),
    }


def test_new_releases_show_gold_per_market_and_type(drawn, run_dir):
    rows = duckdb.sql(
        f"select market, album_type from read_parquet('{run_dir}/gold/fct_new_releases/**/*.parquet')"
    ).fetchall()
    count = Counter(rows)
    markets = sorted({m for m, _ in rows})
    expected = [count[(m, kind)] for kind in ("album", "single", "compilation") for m in markets]
    chart = drawn.charts["new-releases"]
    assert chart["bars"] == 3 * len(markets)
    assert chart["labels"] == labels(expected)


def test_the_health_panel_shows_gaps_quarantine_requests_and_the_reconciliation(drawn, truth, summary):
    rows = {r[0]: r[1:] for r in drawn.health}
    gaps = truth.gaps_of_day()
    assert rows["Gaps reported by the extractor"][0] == f"{len(gaps):,}"
    assert rows["Gaps reported by the extractor"][1].startswith(f"{len({g[0] for g in gaps}):,} users")
    assert rows["Records quarantined by bronze"][0] == "0"
    assert rows["API requests spent"][0] == f"{summary['extraction']['requests']:,}"
    assert rows["Reconciliation with the simulator's truth"][0] == "exact"
    assert rows["Plays in the warehouse"][0] == f"{len(truth.plays):,}"
    assert rows["dbt build"][0] == "passed" and rows["GX checkpoint"][0] == "passed"


def test_the_screenshot_command_draws_the_report(run_dir, tmp_path):
    png = tmp_path / "report.png"
    result = subprocess.run(
        [str(REPO / "tools" / "report-screenshot.sh"), str(run_dir / layout.REPORT_FILE), str(png)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "CHROMIUM": chromium()},
    )
    assert result.returncode == 0, result.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
