package dev.listening.jobs.bronze;

import static dev.listening.jobs.Fixtures.*;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.TestSpark;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Landing lines with every tricky shape from SPOTIFY_API_NOTES.md, through the bronze transforms.
 */
class BronzeTransformsTest {
  private static final String ARTIST_A = artist("ar1", "Sigur Rós");
  private static final String ARTIST_B = artist("ar2", "坂本龍一");
  private static final String ALBUM_DAY =
      album("al1", "Ágætis byrjun", "1999-06-12", "day", ARTIST_A);
  private static final String ALBUM_MONTH =
      album("al2", "Month, \"quoted\"", "1981-12", "month", ARTIST_B);
  private static final String ALBUM_YEAR =
      album("al3", "Year 🎵", "1981", "year", ARTIST_A, ARTIST_B);

  private static BronzeTransforms.Split plays(String... lines) {
    return BronzeTransforms.plays(
        BronzeTransforms.parsePlays(TestSpark.lines("2026-11-20", lines)));
  }

  private static Map<String, Row> byTrackName(Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("track_name"), r -> r));
  }

  @Test
  void playsKeepEveryShapeNormalised() {
    BronzeTransforms.Split split =
        plays(
            recentlyPlayed(
                "u1",
                "2026-11-20T13:00:00Z",
                "r1",
                play(
                    track("t1", "Svefn-g-englar", ALBUM_DAY, ARTIST_A),
                    "2026-11-20T12:43:33.750Z",
                    "spotify:playlist:p1"),
                play(
                    track("t2", "Comma, \"quote\" & emoji 🎧", ALBUM_MONTH, ARTIST_B, ARTIST_A),
                    "2026-11-20T12:40:00Z",
                    null),
                play(
                    track("t3", "Русский трек", ALBUM_YEAR, ARTIST_B),
                    "2026-11-20T12:30:00.001Z",
                    "spotify:playlist:p1"),
                play(localTrack("My Demo"), "2026-11-20T12:20:00.000Z", null)));

    assertThat(split.quarantine().count()).isZero();
    Map<String, Row> rows = byTrackName(split.records());
    assertThat(rows).hasSize(4);

    Row first = rows.get("Svefn-g-englar");
    assertThat(first.<String>getAs("user_key")).isEqualTo("u1");
    assertThat(first.<Timestamp>getAs("played_at").toInstant())
        .as("UTC instant, milliseconds kept")
        .isEqualTo(Instant.parse("2026-11-20T12:43:33.750Z"));
    assertThat(first.<Timestamp>getAs("fetched_at").toInstant())
        .isEqualTo(Instant.parse("2026-11-20T13:00:00Z"));
    assertThat(first.<Date>getAs("track_album_release_date")).hasToString("1999-06-12");
    assertThat(first.<String>getAs("context_uri")).isEqualTo("spotify:playlist:p1");
    assertThat(first.<Integer>getAs("track_popularity")).isEqualTo(71);
    assertThat(first.<Integer>getAs("track_market_count")).isEqualTo(3);
    assertThat(first.<String>getAs("run_id")).isEqualTo("r1");
    assertThat(first.<String>getAs("landing_file")).endsWith(".ndjson.gz");
    assertThat(first.<Date>getAs("date")).hasToString("2026-11-20");

    Row month = rows.get("Comma, \"quote\" & emoji 🎧");
    assertThat(month.<Date>getAs("track_album_release_date")).hasToString("1981-12-01");
    assertThat(month.<String>getAs("track_album_release_date_precision")).isEqualTo("month");
    assertThat(month.<String>getAs("track_album_release_date_raw")).isEqualTo("1981-12");
    assertThat(month.<String>getAs("track_album_name")).isEqualTo("Month, \"quoted\"");
    assertThat(month.<String>getAs("context_type")).as("null context").isNull();
    List<Row> artists = month.getList(month.fieldIndex("artists"));
    assertThat(artists)
        .extracting(a -> a.<String>getAs("artist_name") + "@" + a.<Integer>getAs("position"))
        .as("artists keep their billing order")
        .containsExactly("坂本龍一@1", "Sigur Rós@2");

    Row year = rows.get("Русский трек");
    assertThat(year.<Date>getAs("track_album_release_date")).hasToString("1981-01-01");
    assertThat(year.<String>getAs("track_album_release_date_raw"))
        .as("the raw year is not lost")
        .isEqualTo("1981");

    Row local = rows.get("My Demo");
    assertThat(local.<Boolean>getAs("track_is_local")).isTrue();
    assertThat(local.<String>getAs("track_id")).isNull();
    assertThat(local.<String>getAs("track_album_id")).isNull();
    assertThat(local.<String>getAs("track_uri"))
        .isEqualTo("spotify:local:Some+Artist:Some+Album:My+Demo:174");
    assertThat(local.<Date>getAs("track_album_release_date")).isNull();
  }

  @Test
  void developmentModeObjectsWithoutRemovedFieldsAreFine() {
    BronzeTransforms.Split split =
        plays(
            recentlyPlayed(
                "u1",
                "2026-11-20T13:00:00Z",
                "r1",
                play(devTrack("t1", "Dev", ALBUM_DAY, ARTIST_A), "2026-11-20T12:00:00Z", null)));
    Row r = split.records().first();
    assertThat(split.quarantine().count()).isZero();
    assertThat(r.<Integer>getAs("track_popularity")).isNull();
    assertThat(r.<Integer>getAs("track_market_count")).as("null, not -1").isNull();
    assertThat(r.<String>getAs("track_id")).isEqualTo("t1");
  }

  @Test
  void emptyPagesWithNullCursorsYieldNoRowsAndNoQuarantine() {
    BronzeTransforms.Split split = plays(recentlyPlayed("u1", "2026-11-20T13:00:00Z", "r1"));
    assertThat(split.records().count()).isZero();
    assertThat(split.quarantine().count()).isZero();
  }

  @Test
  void brokenLinesAndRecordsGoToQuarantineWithTheReasonAndTheRawLine() {
    String good = play(track("t1", "Fine", ALBUM_DAY, ARTIST_A), "2026-11-20T12:00:00Z", null);
    String badTime = play(track("t2", "Bad time", ALBUM_DAY, ARTIST_A), "yesterday at noon", null);
    String noId =
        play(
            track("t3", "No id", ALBUM_DAY, ARTIST_A).replace("\"id\":\"t3\"", "\"id\":null"),
            "2026-11-20T11:00:00Z",
            null);
    String truncated = recentlyPlayed("u1", "2026-11-20T13:00:00Z", "r1", good).substring(0, 80);
    String wrongEndpoint =
        envelope("tracks", "", "u1", "2026-11-20T13:00:00Z", "r1", 200, page(List.of(good)));
    String serverError =
        envelope("recently_played", "", "u1", "2026-11-20T13:00:00Z", "r1", 502, "null");
    String noFetchedAt = recentlyPlayed("u1", "not-a-time", "r1", good);
    String mixed = recentlyPlayed("u2", "2026-11-20T13:00:00Z", "r1", good, badTime, noId);
    String wrongType =
        recentlyPlayed(
            "u3",
            "2026-11-20T13:00:00Z",
            "r1",
            good.replace("\"duration_ms\":201000", "\"duration_ms\":\"long\""));

    BronzeTransforms.Split split =
        plays(truncated, wrongEndpoint, serverError, noFetchedAt, mixed, wrongType);

    assertThat(split.records().collectAsList())
        .as("the good play of the mixed page, and the wrong-typed page's good play")
        .extracting(r -> r.<String>getAs("user_key"))
        .containsExactlyInAnyOrder("u2");
    Map<String, Row> reasons =
        split.quarantine().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.<String>getAs("reason"), r -> r));
    assertThat(reasons.keySet())
        .containsExactlyInAnyOrder(
            BronzeTransforms.NOT_AN_ENVELOPE,
            "breaks the declared schema: field 'track.duration_ms' is not a BIGINT",
            "envelope of endpoint 'tracks' in a file under recently_played/",
            "an HTTP 502 page: only 200 pages hold records",
            "fetched_at 'not-a-time' is not an ISO-8601 timestamp",
            "played_at 'yesterday at noon' is not an ISO-8601 UTC timestamp",
            "catalog track (is_local false) without id");
    Row item = reasons.get("played_at 'yesterday at noon' is not an ISO-8601 UTC timestamp");
    assertThat(item.<Integer>getAs("item_index")).isEqualTo(1);
    assertThat(item.<String>getAs("raw_line")).isEqualTo(mixed);
    assertThat(reasons.get(BronzeTransforms.NOT_AN_ENVELOPE).<String>getAs("raw_line"))
        .isEqualTo(truncated);
    assertThat(split.quarantine().select(col("endpoint")).distinct().collectAsList()).hasSize(1);
  }

  @Test
  void overlappingPollsStayDuplicatedInBronzeWithTheirLineage() {
    String p = play(track("t1", "Twice", ALBUM_DAY, ARTIST_A), "2026-11-20T12:59:00Z", null);
    BronzeTransforms.Split split =
        plays(
            recentlyPlayed("u1", "2026-11-20T13:00:00Z", "poll-13", p),
            recentlyPlayed("u1", "2026-11-20T14:00:00Z", "poll-14", p));
    assertThat(
            split
                .records()
                .select("run_id")
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactlyInAnyOrder("poll-13", "poll-14");
  }

  @Test
  void releaseDatesBecomeDatesOnlyWhenTheTextMatchesItsPrecision() {
    List<Row> r =
        TestSpark.get()
            .sql(
                "select * from values ('1981','year'), ('1981-12','month'), ('1981-12-15','day'),"
                    + " ('1981','day'), ('1981-13','month'), ('2001-07', null) as t(raw, precision)")
            .select(BronzeTransforms.releaseDate(col("raw"), col("precision")).as("d"))
            .collectAsList();
    assertThat(r)
        .extracting(x -> String.valueOf(x.get(0)))
        .containsExactly("1981-01-01", "1981-12-01", "1981-12-15", "null", "null", "2001-07-01");
  }

  @Test
  void lookUpsRecordEveryIdAskedForFoundOrNot() {
    String t1 = track("t1", "One", ALBUM_DAY, ARTIST_A);
    String batch =
        envelope(
            "tracks",
            "\"ids\":\"t1,zzz\"",
            null,
            "2026-11-20T15:00:00Z",
            "lk",
            200,
            "{\"tracks\":[" + t1 + ",null]}");
    String single =
        envelope(
            "tracks",
            "\"id\":\"t2\"",
            null,
            "2026-11-20T15:00:00Z",
            "lk",
            200,
            track("t2", "Two", ALBUM_YEAR, ARTIST_B));
    String missing =
        envelope(
            "tracks",
            "\"id\":\"gone\"",
            null,
            "2026-11-20T15:00:00Z",
            "lk",
            404,
            "{\"error\":{\"status\":404,\"message\":\"Resource not found\"}}");
    String malformed =
        envelope(
            "tracks",
            "\"id\":\"abc\"",
            null,
            "2026-11-20T15:00:00Z",
            "lk",
            400,
            "{\"error\":{\"status\":400,\"message\":\"Invalid base62 id\"}}");

    BronzeTransforms.Split split =
        BronzeTransforms.trackLookups(
            BronzeTransforms.parseTrackLookups(
                TestSpark.lines("2026-11-20", batch, single, missing, malformed)));

    Map<String, Row> rows =
        split.records().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getAs("requested_id"), r -> r));
    assertThat(rows.keySet()).containsExactlyInAnyOrder("t1", "zzz", "t2", "gone", "abc");
    assertThat(rows.get("abc").<Boolean>getAs("found"))
        .as("a malformed id was answered: looked up, never to be asked for again")
        .isFalse();
    assertThat(rows.get("abc").<Integer>getAs("http_status")).isEqualTo(400);
    assertThat(rows.get("t1").<Boolean>getAs("found")).isTrue();
    assertThat(rows.get("t1").<String>getAs("track_name")).isEqualTo("One");
    assertThat(rows.get("t2").<Boolean>getAs("found")).isTrue();
    assertThat(rows.get("zzz").<Boolean>getAs("found")).isFalse();
    assertThat(rows.get("gone").<Boolean>getAs("found")).isFalse();
    assertThat(rows.get("gone").<Integer>getAs("http_status")).isEqualTo(404);
    assertThat(split.quarantine().count()).isZero();
  }

  @Test
  void albumAndArtistLookUpsKeepTheirOwnFields() {
    String albumJson =
        "{\"id\":\"al9\",\"name\":\"Full\",\"album_type\":\"single\",\"release_date\":\"2024\",\"release_date_precision\":\"year\","
            + "\"total_tracks\":1,\"uri\":\"spotify:album:al9\",\"label\":\"Label, Inc.\",\"popularity\":40,\"genres\":[],"
            + "\"artists\":["
            + ARTIST_A
            + "],\"external_ids\":{\"upc\":\"123\"}}";
    Row album =
        BronzeTransforms.albumLookups(
                BronzeTransforms.parseAlbumLookups(
                    TestSpark.lines(
                        "2026-11-20",
                        envelope(
                            "albums",
                            "\"ids\":\"al9\"",
                            null,
                            "2026-11-20T15:00:00Z",
                            "lk",
                            200,
                            "{\"albums\":[" + albumJson + "]}"))))
            .records()
            .first();
    assertThat(album.<String>getAs("album_label")).isEqualTo("Label, Inc.");
    assertThat(album.<Date>getAs("album_release_date")).hasToString("2024-01-01");

    String artistJson =
        "{\"id\":\"ar1\",\"name\":\"Sigur Rós\",\"uri\":\"spotify:artist:ar1\",\"genres\":[\"post-rock\"],\"popularity\":60,\"followers\":{\"href\":null,\"total\":123456}}";
    Row a =
        BronzeTransforms.artistLookups(
                BronzeTransforms.parseArtistLookups(
                    TestSpark.lines(
                        "2026-11-20",
                        envelope(
                            "artists",
                            "\"id\":\"ar1\"",
                            null,
                            "2026-11-20T15:00:00Z",
                            "lk",
                            200,
                            artistJson))))
            .records()
            .first();
    assertThat(a.<Long>getAs("artist_followers")).isEqualTo(123456L);
    assertThat(a.getList(a.fieldIndex("artist_genres"))).containsExactly("post-rock");
  }

  @Test
  void aWrongTypedTrackOfAnAlbumPageIsQuarantinedAloneAndTheOthersKeepTheirPlaces() {
    String broken =
        simplifiedTrack("t2", "Two", 2000, ARTIST_A)
            .replace("\"duration_ms\":2000", "\"duration_ms\":\"long\"");
    assertThat(broken).contains("\"long\"");
    BronzeTransforms.Split pages =
        BronzeTransforms.albumTracks(
            BronzeTransforms.parseAlbumTracks(
                TestSpark.lines(
                    "2026-11-20",
                    albumTracks(
                        "al9",
                        "2026-11-20T15:00:00Z",
                        "lk",
                        0,
                        3,
                        simplifiedTrack("t1", "One", 1000, ARTIST_A),
                        broken,
                        simplifiedTrack("t3", "Three", 3000, ARTIST_B)))));

    assertThat(pages.records().collectAsList())
        .extracting(r -> r.<String>getAs("track_id") + "@" + r.getAs("position"))
        .containsExactlyInAnyOrder("t1@1", "t3@3");
    List<Row> bad = pages.quarantine().collectAsList();
    assertThat(bad).hasSize(1);
    assertThat(bad.get(0).<String>getAs("reason")).contains("duration_ms");
    assertThat(bad.get(0).<Integer>getAs("item_index")).isEqualTo(1);
    assertThat(bad.get(0).<Long>getAs("records")).isEqualTo(1L);
  }

  @Test
  void albumTrackPagesAndTheFirstPageInAlbumLookUpsKeepEachTracksPlaceOnTheAlbum() {
    BronzeTransforms.Split pages =
        BronzeTransforms.albumTracks(
            BronzeTransforms.parseAlbumTracks(
                TestSpark.lines(
                    "2026-11-20",
                    albumTracks(
                        "box",
                        "2026-11-20T15:00:00Z",
                        "lk",
                        50,
                        52,
                        simplifiedTrack("t51", "Fifty-one", 200_000, ARTIST_A),
                        simplifiedTrack("t52", "Fifty-two", 210_000, ARTIST_B, ARTIST_A)),
                    envelope(
                        "album_tracks",
                        "\"offset\":\"0\",\"id\":\"gone\"",
                        null,
                        "2026-11-20T15:00:01Z",
                        "lk",
                        404,
                        "{\"error\":{\"status\":404,\"message\":\"Resource not found\"}}"),
                    envelope(
                        "album_tracks",
                        "\"offset\":\"0\"",
                        null,
                        "2026-11-20T15:00:02Z",
                        "lk",
                        200,
                        trackPage(0, 1, simplifiedTrack("t1", "One", 1000, ARTIST_A))))));

    Map<Object, Row> rows =
        pages.records().collectAsList().stream()
            .collect(
                Collectors.toMap(r -> r.getAs("album_id") + "@" + r.getAs("position"), r -> r));
    assertThat(rows).containsOnlyKeys("box@51", "box@52", "gone@null");
    Row t52 = rows.get("box@52");
    assertThat(t52.<String>getAs("track_id")).isEqualTo("t52");
    assertThat(t52.<Integer>getAs("album_tracks_total")).isEqualTo(52);
    assertThat(t52.<Boolean>getAs("found")).isTrue();
    assertThat(t52.<Integer>getAs("track_market_count")).isEqualTo(1);
    assertThat(t52.getList(t52.fieldIndex("artists")))
        .extracting(a -> ((Row) a).<String>getAs("artist_id"))
        .as("billing order")
        .containsExactly("ar2", "ar1");
    assertThat(rows.get("gone@null").<Boolean>getAs("found"))
        .as("an unknown album is an answer, kept so it is not asked for again")
        .isFalse();
    assertThat(pages.quarantine().collectAsList())
        .extracting(r -> r.<String>getAs("reason"))
        .containsExactly("request names no album (params.id)");

    Row album =
        BronzeTransforms.albumLookups(
                BronzeTransforms.parseAlbumLookups(
                    TestSpark.lines(
                        "2026-11-20",
                        envelope(
                            "albums",
                            "\"id\":\"box\"",
                            null,
                            "2026-11-20T14:00:00Z",
                            "lk",
                            200,
                            fullAlbum(
                                "box",
                                "Box",
                                trackPage(
                                    0,
                                    52,
                                    simplifiedTrack("t1", "One", 1000, ARTIST_A),
                                    simplifiedTrack("t2", "Two", 1000, ARTIST_A)),
                                ARTIST_A)))))
            .records()
            .first();
    assertThat(album.<Integer>getAs("album_tracks_total")).isEqualTo(52);
    assertThat(album.getList(album.fieldIndex("album_track_items")))
        .extracting(t -> ((Row) t).<String>getAs("track_id") + "@" + ((Row) t).getAs("position"))
        .containsExactly("t1@1", "t2@2");
  }

  @Test
  void newReleasesAndPlaylistItemsKeepPositionsAndReadBothItemShapes() {
    String releases =
        envelope(
            "new_releases",
            "\"country\":\"SE\"",
            null,
            "2026-11-20T06:00:00Z",
            "nr",
            200,
            "{\"albums\":{\"href\":\"h\",\"items\":["
                + ALBUM_DAY
                + ","
                + ALBUM_YEAR
                + "],\"limit\":50,\"next\":null,\"offset\":50,\"previous\":null,\"total\":52}}");
    List<Row> nr =
        BronzeTransforms.newReleases(
                BronzeTransforms.parseNewReleases(TestSpark.lines("2026-11-20", releases)))
            .records()
            .orderBy("position")
            .collectAsList();
    assertThat(nr)
        .extracting(
            r ->
                r.<String>getAs("market")
                    + ":"
                    + r.<Integer>getAs("position")
                    + ":"
                    + r.<String>getAs("album_id"))
        .containsExactly("SE:51:al1", "SE:52:al3");

    String items =
        envelope(
            "playlist_items",
            "\"playlist_id\":\"pl1\"",
            "u1",
            "2026-11-20T06:00:00Z",
            "pl",
            200,
            "{\"href\":\"h\",\"items\":[{\"added_at\":\"2026-01-02T03:04:05Z\",\"added_by\":{\"id\":\"me\"},\"is_local\":false,\"item\":"
                + track("t1", "New shape", ALBUM_DAY, ARTIST_A)
                + "},{\"added_at\":\"2026-01-02T03:04:06Z\",\"added_by\":null,\"is_local\":true,\"track\":"
                + localTrack("Legacy shape")
                + "}],\"limit\":50,\"next\":null,\"offset\":0,\"total\":2}");
    List<Row> pl =
        BronzeTransforms.playlistItems(
                BronzeTransforms.parsePlaylistItems(TestSpark.lines("2026-11-20", items)))
            .records()
            .orderBy("position")
            .collectAsList();
    assertThat(pl)
        .extracting(
            r ->
                r.<Integer>getAs("position")
                    + ":"
                    + r.<String>getAs("track_name")
                    + ":"
                    + r.<String>getAs("playlist_id"))
        .containsExactly("1:New shape:pl1", "2:Legacy shape:pl1");
  }
}
