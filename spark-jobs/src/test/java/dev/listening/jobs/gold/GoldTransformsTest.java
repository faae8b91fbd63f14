package dev.listening.jobs.gold;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.TestSpark;
import dev.listening.jobs.bronze.BronzeTransforms;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class GoldTransformsTest {
  private static final LocalDate D = LocalDate.parse("2026-11-20");
  private static final String AR1 = artist("ar1", "Róisín");
  private static final String AR2 = artist("ar2", "Ólafur");
  private static final String AL1 = album("al1", "Album", "2019-03", "month", AR1);

  private static Dataset<Row> bronzePlays(String date, String... lines) {
    return BronzeTransforms.plays(BronzeTransforms.parsePlays(TestSpark.lines(date, lines)))
        .records();
  }

  @Test
  void overlappingPollsFoldIntoOneListenFromTheFirstLanding() {
    String p = play(track("t1", "Twice", AL1, AR1), "2026-11-20T12:59:00.123Z", null);
    Dataset<Row> plays =
        bronzePlays(
            "2026-11-20",
            recentlyPlayed("u1", "2026-11-20T14:00:00Z", "poll-14", p),
            recentlyPlayed("u1", "2026-11-20T13:00:00Z", "poll-13", p),
            recentlyPlayed("u2", "2026-11-20T13:00:00Z", "poll-13", p));

    List<Row> listens = GoldTransforms.listens(plays, D).orderBy("user_key").collectAsList();

    assertThat(listens).hasSize(2);
    assertThat(listens.get(0).<String>getAs("user_key")).isEqualTo("u1");
    assertThat(listens.get(0).<String>getAs("run_id"))
        .as("the earliest fetch wins")
        .isEqualTo("poll-13");
    assertThat(listens.get(0).<Timestamp>getAs("played_at").toInstant())
        .isEqualTo(Instant.parse("2026-11-20T12:59:00.123Z"));
    assertThat(listens.get(0).getList(listens.get(0).fieldIndex("artist_ids")))
        .containsExactly("ar1");
  }

  @Test
  void aLocalFilePlayIsKeptWithItsUriAndNamesNoCatalogArtist() {
    Dataset<Row> plays =
        bronzePlays(
            "2026-11-20",
            recentlyPlayed(
                "u1",
                "2026-11-20T10:00:00Z",
                "poll-10",
                play(localTrack("Home demo"), "2026-11-20T09:00:00Z", null)));

    Row local = GoldTransforms.listens(plays, D).collectAsList().get(0);

    assertThat(local.<String>getAs("track_uri")).startsWith("spotify:local:");
    assertThat(local.<Boolean>getAs("is_local")).isTrue();
    assertThat(local.<String>getAs("track_id")).isNull();
    assertThat(local.getList(local.fieldIndex("artist_ids")))
        .as("its artist has a name but no id: no [null] entry")
        .isEmpty();
    assertThat(local.<String>getAs("primary_artist_id")).isNull();
  }

  @Test
  void latePlaysAcrossMidnightCountForTheirPlayDateNotTheirLandingDate() {
    String lastOfDay = play(track("t1", "Last", AL1, AR1), "2026-11-20T23:59:59.500Z", null);
    String firstOfNext = play(track("t2", "First", AL1, AR2), "2026-11-21T00:00:30.000Z", null);
    Dataset<Row> plays =
        bronzePlays("2026-11-20", recentlyPlayed("u1", "2026-11-20T23:00:00Z", "poll-23"))
            .unionByName(
                bronzePlays(
                    "2026-11-21",
                    recentlyPlayed(
                        "u1", "2026-11-21T01:00:00Z", "poll-01", firstOfNext, lastOfDay)));

    assertThat(GoldTransforms.listens(plays, D).collectAsList())
        .extracting(r -> r.<String>getAs("track_name"))
        .containsExactly("Last");
    assertThat(GoldTransforms.listens(plays, D.plusDays(1)).collectAsList())
        .extracting(r -> r.<String>getAs("track_name"))
        .containsExactly("First");
  }

  @Test
  void dimensionsTakeTheLatestAttributesCompletedByLookUps() {
    Dataset<Row> plays =
        bronzePlays(
            "2026-11-20",
            recentlyPlayed(
                "u1",
                "2026-11-20T10:00:00Z",
                "poll-10",
                play(devTrack("t1", "Old name", AL1, AR1, AR2), "2026-11-20T09:30:00Z", null),
                play(localTrack("Home demo"), "2026-11-20T09:00:00Z", null)),
            recentlyPlayed(
                "u1",
                "2026-11-20T12:00:00Z",
                "poll-12",
                play(devTrack("t1", "New name", AL1, AR1, AR2), "2026-11-20T11:30:00Z", null)));
    String lookedUp = track("t1", "New name", AL1, AR1, AR2); // popularity 71 only from look-ups
    Dataset<Row> lookups =
        BronzeTransforms.trackLookups(
                BronzeTransforms.parseTrackLookups(
                    TestSpark.lines(
                        "2026-11-20",
                        envelope(
                            "tracks",
                            "\"id\":\"t1\"",
                            null,
                            "2026-11-20T11:00:00Z",
                            "lk",
                            200,
                            lookedUp))))
            .records();

    Dataset<Row> tracks = GoldTransforms.dimTracks(plays, lookups);
    Map<String, Row> byId =
        tracks.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("track_id"), r -> r));

    assertThat(byId).as("local files have no id and no dimension row").containsOnlyKeys("t1");
    Row t1 = byId.get("t1");
    assertThat(t1.<String>getAs("track_name")).as("the newest observation").isEqualTo("New name");
    assertThat(t1.<Integer>getAs("popularity")).as("completed by the look-up").isEqualTo(71);
    assertThat(t1.<Timestamp>getAs("first_seen_at").toInstant())
        .isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(t1.<Timestamp>getAs("last_seen_at").toInstant())
        .isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
    assertThat(t1.<Timestamp>getAs("looked_up_at").toInstant())
        .isEqualTo(Instant.parse("2026-11-20T11:00:00Z"));
    assertThat(GoldTransforms.trackArtists(tracks).orderBy("position").collectAsList())
        .extracting(r -> r.<String>getAs("artist_id") + "@" + r.<Integer>getAs("position"))
        .containsExactly("ar1@1", "ar2@2");

    Dataset<Row> albums =
        GoldTransforms.dimAlbums(
            plays,
            emptyLookups(BronzeTransforms::parseAlbumLookups, BronzeTransforms::albumLookups));
    Row al1 = albums.collectAsList().get(0);
    assertThat(al1.<String>getAs("album_id")).isEqualTo("al1");
    assertThat(al1.<String>getAs("release_date_precision")).isEqualTo("month");
    assertThat(al1.<String>getAs("release_date_raw")).isEqualTo("2019-03");
    assertThat(al1.<String>getAs("label")).as("no look-up yet").isNull();

    Dataset<Row> artists =
        GoldTransforms.dimArtists(
            plays,
            emptyLookups(BronzeTransforms::parseArtistLookups, BronzeTransforms::artistLookups));
    assertThat(artists.collectAsList())
        .extracting(r -> r.<String>getAs("artist_id"))
        .containsExactlyInAnyOrder("ar1", "ar2");
  }

  private static Dataset<Row> emptyLookups(
      java.util.function.Function<Dataset<Row>, Dataset<Row>> parse,
      java.util.function.Function<Dataset<Row>, BronzeTransforms.Split> split) {
    return split.apply(parse.apply(TestSpark.lines("2026-11-20"))).records();
  }
}
