"""What the marts must say, computed from the simulator's ground truth alone (for the tests
and the figures command).

The truth files are the simulator's: every play of the day (plays.ndjson: user, played_at, track,
its length and artists), the plays the hourly polls could retrieve (retrievable.ndjson), the
gaps the polls had to run into (gaps.ndjson) and the tracks of the markets' new releases
(new_release_tracks.ndjson). Nothing here reads the pipeline's output: gold,
dbt's marts and these numbers meet only in the tests.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

SESSION_GAP = timedelta(minutes=30)


def instant(text: str) -> datetime:
    """ISO-8601 UTC with a Z, as a plain UTC datetime (what DuckDB returns for gold's TIMESTAMPs)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def _ndjson(path: Path):
    with path.open() as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True)
class Play:
    user_key: str
    played_at: datetime
    track_id: str | None
    track_uri: str
    duration_ms: int
    artist_ids: tuple[str, ...]


class Truth:
    def __init__(self, truth_dir: Path, day: date):
        self.day = day
        self.truth_dir = truth_dir
        retrievable = {(r["user_key"], instant(r["played_at"])) for r in _ndjson(truth_dir / "retrievable.ndjson")}
        self.all_plays = [
            Play(
                p["user_key"],
                instant(p["played_at"]),
                p["track_id"],
                p["track_uri"],
                p["duration_ms"],
                tuple(p["artist_ids"]),
            )
            for p in _ndjson(truth_dir / "plays.ndjson")
        ]
        # What the warehouse can know: the retrievable plays of the day.
        self.plays = [
            p
            for p in self.all_plays
            if (p.user_key, p.played_at) in retrievable and p.played_at.date() == day
        ]
        self.gaps = [
            (g["user_key"], instant(g["window_from"]), instant(g["window_to"]))
            for g in _ndjson(truth_dir / "gaps.ndjson")
        ]

    def daily_listens(self) -> dict:
        """(date, user, track_uri) -> (plays, ms listened)."""
        out = defaultdict(lambda: [0, 0])
        for p in self.plays:
            row = out[(p.played_at.date(), p.user_key, p.track_uri)]
            row[0] += 1
            row[1] += p.duration_ms
        return {k: tuple(v) for k, v in out.items()}

    def plays_per_user(self) -> Counter:
        return Counter(p.user_key for p in self.plays)

    def ms_per_track(self) -> Counter:
        out = Counter()
        for p in self.plays:
            out[p.track_uri] += p.duration_ms
        return out

    def plays_per_hour(self) -> list[int]:
        hours = Counter(p.played_at.hour for p in self.plays)
        return [hours.get(h, 0) for h in range(24)]

    def sessions(self) -> list[tuple]:
        """(user, started_at, ended_at, plays, ms listened), split at 30 minutes of silence."""
        by_user = defaultdict(list)
        for p in self.plays:
            by_user[p.user_key].append(p)
        out = []
        for user, plays in by_user.items():
            plays.sort(key=lambda p: p.played_at)
            current = [plays[0]]
            for previous, p in zip(plays, plays[1:]):
                if p.played_at - previous.played_at > SESSION_GAP:
                    out.append(_session(user, current))
                    current = []
                current.append(p)
            out.append(_session(user, current))
        return sorted(out)

    def top_tracks(self, n: int) -> list[tuple]:
        """(rank, track_uri, plays, listeners): most plays, then listeners, then uri."""
        plays, listeners = Counter(), defaultdict(set)
        for p in self.plays:
            plays[p.track_uri] += 1
            listeners[p.track_uri].add(p.user_key)
        return _rank(plays, listeners, n)

    def top_artists(self, n: int) -> list[tuple]:
        """(rank, artist_id, plays, listeners): every credited artist of a play counts it."""
        plays, listeners = Counter(), defaultdict(set)
        for p in self.plays:
            for artist in set(p.artist_ids):
                plays[artist] += 1
                listeners[artist].add(p.user_key)
        return _rank(plays, listeners, n)

    def new_release_tracks(self) -> dict:
        """(market) -> (tracks, milliseconds) of its new releases' track lists (empty when the
        run read no new releases: a development-mode app)."""
        path = self.truth_dir / "new_release_tracks.ndjson"
        per_market: dict = defaultdict(lambda: [0, 0])
        if path.is_file():
            for t in _ndjson(path):
                per_market[t["market"]][0] += 1
                per_market[t["market"]][1] += t["duration_ms"]
        return {m: tuple(v) for m, v in per_market.items()}

    def gaps_of_day(self) -> list[tuple]:
        return [g for g in self.gaps if g[1].date() == self.day]


def _session(user, plays) -> tuple:
    return (
        user,
        plays[0].played_at,
        plays[-1].played_at,
        len(plays),
        sum(p.duration_ms for p in plays),
    )


def _rank(plays: Counter, listeners: dict, n: int) -> list[tuple]:
    order = sorted(plays, key=lambda k: (-plays[k], -len(listeners[k]), k))
    return [(i + 1, k, plays[k], len(listeners[k])) for i, k in enumerate(order[:n])]
