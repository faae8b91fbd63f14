"""The marts of a real pipeline run (dbt build --target local, as the run command runs it) against
numbers computed from the simulator's ground truth alone (listening_warehouse/truth.py)."""

from __future__ import annotations

from collections import Counter

import duckdb

from listening_warehouse import layout
from tests.conftest import DAY


def test_the_run_built_every_model_and_passed_every_dbt_test_and_the_checkpoint(summary):
    dbt = summary["warehouse"]["dbt"]
    assert dbt["status"] == "passed", dbt
    assert dbt["results"]["model"] == {"success": 19}
    assert set(dbt["results"]["test"]) == {"pass"} and dbt["results"]["test"]["pass"] >= 100
    assert dbt["results"]["unit_test"] == {"pass": 3}
    assert summary["warehouse"]["checkpoint"]["status"] == "passed"
    assert summary["status"] == "ok"


def test_plays_per_day_user_and_track_equal_the_truth(marts, truth):
    actual = {
        (d, user, uri): (plays, ms)
        for d, user, uri, plays, ms in marts(
            "select listen_date, user_key, track_uri, plays, ms_listened from {m}.fct_daily_listens"
        )
    }
    expected = truth.daily_listens()
    assert len(expected) > 1000, "a day with enough listening to compare"
    assert actual == expected


def test_plays_per_user_and_milliseconds_per_track_equal_the_truth(marts, truth):
    per_user = dict(
        marts("select user_key, sum(plays) from {m}.fct_daily_listens group by user_key")
    )
    assert per_user == dict(truth.plays_per_user())
    per_track = dict(
        marts("select track_uri, sum(ms_listened) from {m}.fct_daily_listens group by track_uri")
    )
    assert per_track == dict(truth.ms_per_track())
    assert any(uri.startswith("spotify:local:") for uri in per_track), "local files counted too"


def test_plays_per_hour_equal_the_truth(marts, truth):
    rows = marts(
        "select hour_of_day, plays, iso_weekday, weekday_name from {m}.mart_listening_by_hour "
        "where listen_date = ? order by hour_of_day",
        DAY,
    )
    assert [r[0] for r in rows] == list(range(24))
    assert [r[1] for r in rows] == truth.plays_per_hour()
    assert {(r[2], r[3]) for r in rows} == {(DAY.isoweekday(), DAY.strftime("%A"))}


def test_sessions_split_at_thirty_minutes_of_silence_equal_the_truth(marts, truth):
    actual = sorted(
        marts(
            "select user_key, started_at, ended_at, track_count, ms_listened "
            "from {m}.fct_listening_sessions"
        )
    )
    expected = truth.sessions()
    assert len(expected) > 50
    assert len(actual) == len(expected)
    assert actual == expected
    lengths = marts("select count(*) from {m}.fct_listening_sessions where length_ms != "
                    "date_diff('millisecond', started_at, ended_at)")
    assert lengths == [(0,)]


def test_top_tracks_and_artists_of_the_day_and_week_equal_the_truth(marts, truth):
    n = layout.top_n()
    tracks = marts(
        "select track_rank, track_uri, plays, listeners from {m}.mart_top_tracks_daily "
        "where listen_date = ? order by track_rank",
        DAY,
    )
    assert tracks == truth.top_tracks(n)
    artists = marts(
        "select artist_rank, artist_id, plays, listeners from {m}.mart_top_artists_daily "
        "where listen_date = ? order by artist_rank",
        DAY,
    )
    assert artists == truth.top_artists(n)
    # The simulated week has this one day: the week's tops are the day's.
    monday = DAY.fromordinal(DAY.toordinal() - DAY.weekday())
    weekly = marts(
        "select track_rank, track_uri, plays, listeners from {m}.mart_top_tracks_weekly "
        "where week_start = ? order by track_rank",
        monday,
    )
    assert weekly == truth.top_tracks(n)
    weekly_artists = marts(
        "select artist_rank, artist_id, plays, listeners from {m}.mart_top_artists_weekly "
        "where week_start = ? order by artist_rank",
        monday,
    )
    assert weekly_artists == truth.top_artists(n)


def test_data_health_counts_the_extractors_gaps_as_the_truth_has_them(marts, truth, run_dir):
    (row,) = marts(
        "select plays, listeners, gap_reports, users_with_gaps, lost_window_ms, "
        "quarantined_records from {m}.mart_data_health where health_date = ?",
        DAY,
    )
    plays, listeners, gap_reports, users_with_gaps, lost_window_ms, quarantined = row
    assert plays == len(truth.plays)
    assert listeners == len({p.user_key for p in truth.plays})
    gaps = truth.gaps_of_day()
    assert gaps, "the test day has heavy listeners who overrun the 50-play horizon"
    assert gap_reports == len(gaps)
    assert users_with_gaps == len({g[0] for g in gaps})
    assert lost_window_ms == sum((to - frm).total_seconds() * 1000 for _, frm, to in gaps)
    # The extractor's reports, carried through bronze and gold by Spark: the truth's gaps,
    # window for window.
    carried = duckdb.sql(
        "select user_key, watermark, oldest_in_page from read_parquet("
        f"'{run_dir / layout.GOLD_DIR}/fct_poll_gaps/**/*.parquet')"
    ).fetchall()
    assert sorted(carried) == sorted(truth.gaps)
    # Quarantine: what bronze put aside for the day, counted straight from its Parquet.
    bronze = run_dir / "bronze" / "quarantine" / f"date={DAY}"
    expected = (
        duckdb.sql(f"select count(*) from read_parquet('{bronze}/**/*.parquet')").fetchone()[0]
        if bronze.exists()
        else 0
    )
    assert quarantined == expected


def test_data_health_look_up_coverage_matches_gold(marts, run_dir):
    gold = run_dir / layout.GOLD_DIR
    con = duckdb.connect()
    played = (
        f"select distinct track_id from read_parquet('{gold}/fct_listens/**/*.parquet') "
        "where track_id is not null"
    )
    not_looked_up = con.execute(
        f"select count(*) from ({played}) p left join read_parquet('{gold}/dim_tracks/*.parquet') d "
        "using (track_id) where d.looked_up_at is null"
    ).fetchone()[0]
    total = con.execute(f"select count(*) from ({played})").fetchone()[0]
    assert marts(
        "select track_ids, track_ids_not_looked_up from {m}.mart_data_health where health_date = ?",
        DAY,
    ) == [(total, not_looked_up)]


def test_new_releases_per_market_count_what_gold_holds(marts, run_dir):
    gold = run_dir / layout.GOLD_DIR / "fct_new_releases"
    rows = duckdb.sql(
        f"select market, album_type from read_parquet('{gold}/**/*.parquet')"
    ).fetchall()
    expected = Counter(rows)
    actual = marts(
        "select market, albums, singles, compilations, releases from "
        "{m}.mart_new_releases_by_market where snapshot_date = ?",
        DAY,
    )
    assert actual, "the simulator app is in extended mode: new releases exist"
    for market, albums, singles, compilations, releases in actual:
        assert (albums, singles, compilations) == (
            expected[(market, "album")],
            expected[(market, "single")],
            expected[(market, "compilation")],
        )
        assert releases == albums + singles + compilations
    assert {m for m, _ in rows} == {r[0] for r in actual}


def test_new_releases_per_market_count_their_tracks_as_the_truth_does(marts, truth):
    expected = truth.new_release_tracks()
    assert expected, "the simulator app is in extended mode: new releases have tracks"
    actual = {
        market: (tracks, ms)
        for market, tracks, ms in marts(
            "select market, tracks, duration_ms from {m}.mart_new_releases_by_market "
            "where snapshot_date = ?",
            DAY,
        )
    }
    assert actual == expected
