package dev.listening.jobs.gold;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.TestSpark;
import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.bronze.BronzeTransforms;
import dev.listening.landing.StreamingHistory;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Bronze streams from imported exports, and their merge with polled plays into fct_listens. */
class HistoryMergeTest {
  private static final LocalDate D = LocalDate.parse("2026-11-20");
  private static final String AR1 = artist("ar1", "Róisín");
  private static final String AL1 = album("al1", "Album", "2019-03", "month", AR1);

  private static String q(String s) {
    return "\"" + s + "\"";
  }

  private static String stream(String ts, String trackUri, long ms, boolean skipped) {
    return "{\"ts\":"
        + (ts == null ? "null" : q(ts))
        + ",\"platform\":\"ios\",\"ms_played\":"
        + ms
        + ",\"conn_country\":\"DE\",\"master_metadata_track_name\":\"Song "
        + trackUri
        + "\",\"master_metadata_album_artist_name\":\"A\",\"master_metadata_album_album_name\":\"B\","
        + "\"spotify_track_uri\":"
        + (trackUri == null ? "null" : q(trackUri))
        + ",\"episode_name\":"
        + (trackUri == null ? "\"Ep 1\"" : "null")
        + ",\"episode_show_name\":null,\"spotify_episode_uri\":"
        + (trackUri == null ? "\"spotify:episode:e1\"" : "null")
        + ",\"reason_start\":\"clickrow\",\"reason_end\":\"trackdone\",\"shuffle\":true,"
        + "\"skipped\":"
        + skipped
        + ",\"offline\":false,\"offline_timestamp\":null,\"incognito_mode\":false}";
  }

  private static String line(String user, String stream) {
    return envelope(
        "streaming_history",
        "\"file\":\"Streaming_History_Audio_2026.json\"",
        user,
        "2026-11-22T08:00:00Z",
        StreamingHistory.runId(user),
        200,
        stream);
  }

  private static BronzeTransforms.Split streams(String date, String... lines) {
    return BronzeTransforms.streams(BronzeTransforms.parseStreams(TestSpark.lines(date, lines)));
  }

  @Test
  void bronzeKeepsEveryKindQuarantinesBrokenStreamsAndCountsADuplicateOnce() {
    String music = line("u1", stream("2026-11-20T12:59:02Z", "spotify:track:t1", 200_000, false));
    BronzeTransforms.Split split =
        streams(
            "2026-11-20",
            music,
            music,
            line("u1", stream("2026-11-20T13:30:00Z", null, 900_000, false)),
            line("u1", stream(null, "spotify:track:t2", 90_000, false)),
            line("u1", stream("2026-11-20T14:00:00Z", "spotify:track:t3", 90_000, false))
                .replace("\"ms_played\":90000", "\"ms_played\":\"long\""),
            "{not json");

    Map<String, Row> byKind =
        split.records().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.<String>getAs("kind"), r -> r));
    assertThat(byKind).containsOnlyKeys("track", "episode");
    Row t1 = byKind.get("track");
    assertThat(t1.<String>getAs("track_id")).isEqualTo("t1");
    assertThat(t1.<Long>getAs("ms_played")).isEqualTo(200_000L);
    assertThat(t1.<Timestamp>getAs("ts").toInstant())
        .isEqualTo(Instant.parse("2026-11-20T12:59:02Z"));
    assertThat(t1.<Timestamp>getAs("fetched_at").toInstant())
        .isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
    assertThat(byKind.get("episode").<String>getAs("uri")).isEqualTo("spotify:episode:e1");
    assertThat(split.quarantine().collectAsList())
        .extracting(r -> r.<String>getAs("reason"))
        .hasSize(3)
        .anySatisfy(r -> assertThat(r).isEqualTo("stream without ts"))
        .anySatisfy(r -> assertThat(r).contains("ms_played"))
        .anySatisfy(r -> assertThat(r).isEqualTo(BronzeTransforms.NOT_AN_ENVELOPE));
  }

  @Test
  void bestMatchingPrefersMorePairsThenLessDifference() {
    // Greedy on the smallest difference would pair 10-11 and leave both others alone.
    assertThat(HistoryMerge.bestMatching(new long[] {2, 10}, new long[] {11, 19}, 9))
        .containsExactly(new int[] {0, 0}, new int[] {1, 1});
    // As many pairs either way: the least total difference wins.
    assertThat(HistoryMerge.bestMatching(new long[] {10}, new long[] {3, 12}, 9))
        .containsExactly(new int[] {0, 1});
  }

  @Test
  void mergeMatchesWithinTheToleranceAndKeepsPolledOnlyAndImportedOnlyPlays() {
    var spark = TestSpark.get();
    String t1 = track("t1", "Polled and imported", AL1, AR1);
    String t2 = track("t2", "Polled only", AL1, AR1);
    Dataset<Row> plays =
        BronzeTransforms.plays(
                BronzeTransforms.parsePlays(
                    TestSpark.lines(
                        "2026-11-20",
                        recentlyPlayed(
                            "u1",
                            "2026-11-20T14:00:00Z",
                            "poll-14",
                            play(t1, "2026-11-20T12:59:00.123Z", null),
                            play(t2, "2026-11-20T13:10:00.500Z", null)))))
            .records();
    Dataset<Row> bronze =
        streams(
                "2026-11-20",
                // 1.877 s after the API's played_at: the same play.
                line("u1", stream("2026-11-20T12:59:02Z", "spotify:track:t1", 201_000, false)),
                // The same track 11 s after its poll: not the same play, and a skip: not a play.
                line("u1", stream("2026-11-20T13:10:11Z", "spotify:track:t2", 8_000, true)),
                // A play polling missed.
                line("u1", stream("2026-11-20T13:40:00Z", "spotify:track:t1", 150_000, false)),
                // A play of the next day: left to the next day's partition.
                line("u1", stream("2026-11-21T00:00:30Z", "spotify:track:t1", 150_000, false)),
                line("u1", stream("2026-11-20T15:00:00Z", null, 900_000, false)))
            .records();
    Dataset<Row> dimTracks =
        GoldTransforms.dimTracks(
            new GoldTransforms.CatalogSources(
                plays,
                BronzeJob.Table.PLAYLIST_ITEMS.emptyRecords(spark),
                BronzeJob.Table.NEW_RELEASES.emptyRecords(spark),
                BronzeJob.Table.ALBUM_TRACKS.emptyRecords(spark),
                BronzeJob.Table.TRACK_LOOKUPS.emptyRecords(spark),
                BronzeJob.Table.ALBUM_LOOKUPS.emptyRecords(spark),
                BronzeJob.Table.ARTIST_LOOKUPS.emptyRecords(spark)));
    Dataset<Row> polled =
        GoldTransforms.listens(
            plays, Instant.parse("2026-11-19T23:59:50Z"), Instant.parse("2026-11-21T00:00:10Z"));

    List<Row> rows =
        HistoryMerge.merge(spark, polled, bronze, dimTracks, D)
            .orderBy("played_at")
            .collectAsList();

    assertThat(rows)
        .extracting(r -> r.<String>getAs("source"))
        .containsExactly("polled_and_imported", "polled", "imported");
    Row both = rows.get(0);
    assertThat(both.<Timestamp>getAs("played_at").toInstant())
        .as("the API's played_at is kept")
        .isEqualTo(Instant.parse("2026-11-20T12:59:00.123Z"));
    assertThat(both.<Long>getAs("ms_played")).isEqualTo(201_000L);
    assertThat(both.<Boolean>getAs("shuffle")).isTrue();
    assertThat(both.<String>getAs("reason_end")).isEqualTo("trackdone");
    assertThat(rows.get(1).<Long>getAs("ms_played")).as("unknown when only polled").isNull();
    Row imported = rows.get(2);
    assertThat(imported.<String>getAs("track_id")).isEqualTo("t1");
    assertThat(imported.<String>getAs("album_id")).as("from dim_tracks").isEqualTo("al1");
    assertThat(imported.getList(imported.fieldIndex("artist_ids"))).containsExactly("ar1");
    assertThat(imported.<Long>getAs("ms_played")).isEqualTo(150_000L);
    assertThat(rows)
        .allSatisfy(r -> assertThat(r.<java.sql.Date>getAs("play_date")).hasToString("2026-11-20"));
  }
}
