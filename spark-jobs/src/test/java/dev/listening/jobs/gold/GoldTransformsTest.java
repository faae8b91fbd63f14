package dev.listening.jobs.gold;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.TestSpark;
import dev.listening.jobs.bronze.BronzeJob;
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

  /** Bronze records of one table from landing lines of the date D. */
  private static Dataset<Row> bronze(BronzeJob.Table table, String... lines) {
    return table.records(TestSpark.lines(D.toString(), lines));
  }

  /** The catalog sources, each empty unless given. */
  private static final class Sources {
    final Map<BronzeJob.Table, Dataset<Row>> tables =
        new java.util.EnumMap<>(BronzeJob.Table.class);

    Sources with(BronzeJob.Table table, String... lines) {
      tables.put(table, bronze(table, lines));
      return this;
    }

    private Dataset<Row> get(BronzeJob.Table t) {
      return tables.getOrDefault(t, t.emptyRecords(TestSpark.get()));
    }

    GoldTransforms.CatalogSources build() {
      return new GoldTransforms.CatalogSources(
          get(BronzeJob.Table.PLAYS),
          get(BronzeJob.Table.PLAYLIST_ITEMS),
          get(BronzeJob.Table.NEW_RELEASES),
          get(BronzeJob.Table.ALBUM_TRACKS),
          get(BronzeJob.Table.TRACK_LOOKUPS),
          get(BronzeJob.Table.ALBUM_LOOKUPS),
          get(BronzeJob.Table.ARTIST_LOOKUPS));
    }
  }

  private static Map<String, Row> byId(Dataset<Row> dim, String idColumn) {
    return dim.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs(idColumn), r -> r));
  }

  private static Instant at(Row r, String column) {
    return r.<Timestamp>getAs(column).toInstant();
  }

  @Test
  void dimensionsTakeTheLatestAttributesCompletedByLookUps() {
    String lookedUp = track("t1", "New name", AL1, AR1, AR2); // popularity 71 only from look-ups
    GoldTransforms.CatalogSources sources =
        new Sources()
            .with(
                BronzeJob.Table.PLAYS,
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
                    play(devTrack("t1", "New name", AL1, AR1, AR2), "2026-11-20T11:30:00Z", null)))
            .with(
                BronzeJob.Table.TRACK_LOOKUPS,
                lookup("tracks", "t1", "2026-11-20T11:00:00Z", "lk", lookedUp))
            .build();

    Dataset<Row> tracks = GoldTransforms.dimTracks(sources);
    Map<String, Row> byId = byId(tracks, "track_id");

    assertThat(byId).as("local files have no id and no dimension row").containsOnlyKeys("t1");
    Row t1 = byId.get("t1");
    assertThat(t1.<String>getAs("track_name")).isEqualTo("New name");
    assertThat(t1.<Integer>getAs("popularity")).as("completed by the look-up").isEqualTo(71);
    assertThat(at(t1, "first_seen_at")).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(at(t1, "last_seen_at")).isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
    assertThat(at(t1, "looked_up_at")).isEqualTo(Instant.parse("2026-11-20T11:00:00Z"));
    assertThat(GoldTransforms.trackArtists(tracks).orderBy("position").collectAsList())
        .extracting(r -> r.<String>getAs("artist_id") + "@" + r.<Integer>getAs("position"))
        .containsExactly("ar1@1", "ar2@2");

    Row al1 = GoldTransforms.dimAlbums(sources).collectAsList().get(0);
    assertThat(al1.<String>getAs("album_id")).isEqualTo("al1");
    assertThat(al1.<String>getAs("release_date_precision")).isEqualTo("month");
    assertThat(al1.<String>getAs("release_date_raw")).isEqualTo("2019-03");
    assertThat(al1.<String>getAs("label")).as("no album look-up yet").isNull();

    assertThat(GoldTransforms.dimArtists(sources).collectAsList())
        .extracting(r -> r.<String>getAs("artist_id"))
        .containsExactlyInAnyOrder("ar1", "ar2");
  }

  @Test
  void aLookUpBeatsANewerEmbeddedCopyAndTheNewerOfTwoLookUpsWins() {
    GoldTransforms.CatalogSources sources =
        new Sources()
            .with(
                BronzeJob.Table.PLAYS,
                recentlyPlayed(
                    "u1",
                    "2026-11-20T12:00:00Z",
                    "poll-12",
                    play(
                        devTrack("t1", "Embedded, newest", AL1, AR1),
                        "2026-11-20T11:50:00Z",
                        null)))
            .with(
                BronzeJob.Table.TRACK_LOOKUPS,
                lookup(
                    "tracks", "t1", "2026-11-20T09:00:00Z", "lk-1", track("t1", "Old", AL1, AR1)),
                lookup(
                    "tracks",
                    "t1",
                    "2026-11-20T11:00:00Z",
                    "lk-2",
                    track("t1", "Looked up", AL1, AR1, AR2)))
            .build();

    Row t1 = GoldTransforms.dimTracks(sources).first();

    assertThat(t1.<String>getAs("track_name"))
        .as("a look-up beats an embedded copy, even a newer one; the newer look-up wins")
        .isEqualTo("Looked up");
    assertThat(t1.getList(t1.fieldIndex("artists")))
        .extracting(a -> ((Row) a).<String>getAs("artist_id"))
        .containsExactly("ar1", "ar2");
    assertThat(at(t1, "first_seen_at")).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
    assertThat(at(t1, "last_seen_at"))
        .as("last seen counts every source")
        .isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
    assertThat(at(t1, "looked_up_at")).isEqualTo(Instant.parse("2026-11-20T11:00:00Z"));
  }

  @Test
  void playlistItemsBringTheirTracksAlbumsAndArtistsAndKeepLocalFilesWithoutIds() {
    String ar9 = artist("ar9", "Only in a playlist");
    String al9 = album("al9", "Playlist album", "2001", "year", ar9);
    GoldTransforms.CatalogSources sources =
        new Sources()
            .with(
                BronzeJob.Table.PLAYLIST_ITEMS,
                playlistItems(
                    "u1",
                    "2026-11-20T12:00:00Z",
                    "pl",
                    "pl1",
                    0,
                    track("t9", "Playlist only", al9, AR2, ar9),
                    localTrack("Ripped")))
            .build();

    assertThat(byId(GoldTransforms.dimTracks(sources), "track_id")).containsOnlyKeys("t9");
    Row al = byId(GoldTransforms.dimAlbums(sources), "album_id").get("al9");
    assertThat(al.<String>getAs("album_name")).isEqualTo("Playlist album");
    assertThat(byId(GoldTransforms.dimArtists(sources), "artist_id"))
        .as("track artists and the album's artist")
        .containsOnlyKeys("ar2", "ar9");

    Map<Integer, Row> items =
        GoldTransforms.playlistSnapshots(sources.playlistItems(), D).collectAsList().stream()
            .collect(Collectors.toMap(r -> r.<Integer>getAs("position"), r -> r));
    assertThat(items.get(1).<String>getAs("album_id")).isEqualTo("al9");
    assertThat(items.get(1).getList(items.get(1).fieldIndex("artist_ids")))
        .as("billing order")
        .containsExactly("ar2", "ar9");
    Row local = items.get(2);
    assertThat(local.<String>getAs("track_uri")).startsWith("spotify:local:");
    assertThat(local.<Boolean>getAs("is_local")).isTrue();
    assertThat(local.<String>getAs("track_id")).isNull();
    assertThat(local.<String>getAs("album_id")).isNull();
    assertThat(local.getList(local.fieldIndex("artist_ids"))).isEmpty();
  }

  @Test
  void newReleasesBringTheirAlbumsAndAlbumArtists() {
    String arN = artist("arN", "Debut artist");
    GoldTransforms.CatalogSources sources =
        new Sources()
            .with(
                BronzeJob.Table.NEW_RELEASES,
                newReleases(
                    "SE",
                    "2026-11-20T12:00:00Z",
                    "nr",
                    album("alN", "Brand new", "2026-11-13", "day", arN)))
            .build();

    Row alN = GoldTransforms.dimAlbums(sources).first();
    assertThat(alN.<String>getAs("album_id")).isEqualTo("alN");
    assertThat(alN.<java.sql.Date>getAs("release_date")).hasToString("2026-11-13");
    assertThat(alN.<Timestamp>getAs("looked_up_at")).isNull();
    assertThat(byId(GoldTransforms.dimArtists(sources), "artist_id")).containsOnlyKeys("arN");
  }

  @Test
  void albumTrackListsBringTheirTracksWithTheAlbumAndKeepWhatOnlyOtherCopiesCarry() {
    String arF = artist("arF", "Featured");
    GoldTransforms.CatalogSources sources =
        new Sources()
            .with(
                BronzeJob.Table.ALBUM_TRACKS,
                albumTracks(
                    "al1",
                    "2026-11-20T14:00:00Z",
                    "lk",
                    0,
                    2,
                    simplifiedTrack("t1", "From the album page", 200_000, AR1, arF),
                    simplifiedTrack("t2", "Never played", 180_000, AR1)))
            .with(
                BronzeJob.Table.PLAYS,
                recentlyPlayed(
                    "u1",
                    "2026-11-20T10:00:00Z",
                    "poll-10",
                    play(track("t1", "Played", AL1, AR1), "2026-11-20T09:00:00Z", null)))
            .build();

    Map<String, Row> tracks = byId(GoldTransforms.dimTracks(sources), "track_id");
    assertThat(tracks).containsOnlyKeys("t1", "t2");
    assertThat(tracks.get("t2").<String>getAs("album_id"))
        .as("the album whose page lists it")
        .isEqualTo("al1");
    assertThat(tracks.get("t2").<Long>getAs("duration_ms")).isEqualTo(180_000L);
    Row t1 = tracks.get("t1");
    assertThat(t1.<String>getAs("track_name"))
        .as("both embedded copies: the newer wins")
        .isEqualTo("From the album page");
    assertThat(t1.<String>getAs("isrc"))
        .as("a simplified track has no isrc: the played copy's stays")
        .isEqualTo("SE1234567890");
    assertThat(byId(GoldTransforms.dimArtists(sources), "artist_id"))
        .containsOnlyKeys("ar1", "arF");
  }

  @Test
  void lookUpsBringTheAlbumsAndArtistsTheyNest() {
    String arX = artist("arX", "Album artist only");
    String alX = album("alX", "Nested album", "2010-05", "month", arX);
    GoldTransforms.CatalogSources sources =
        new Sources()
            .with(
                BronzeJob.Table.TRACK_LOOKUPS,
                lookup("tracks", "tX", "2026-11-20T11:00:00Z", "lk", track("tX", "X", alX, AR1)))
            .with(
                BronzeJob.Table.ALBUM_LOOKUPS,
                lookup(
                    "albums",
                    "alY",
                    "2026-11-20T11:00:00Z",
                    "lk",
                    fullAlbum(
                        "alY",
                        "Looked-up album",
                        trackPage(0, 1, simplifiedTrack("tY", "Y", 1000, AR2)),
                        arX)))
            .build();

    Map<String, Row> albums = byId(GoldTransforms.dimAlbums(sources), "album_id");
    assertThat(albums).containsOnlyKeys("alX", "alY");
    assertThat(albums.get("alX").<String>getAs("label")).as("seen, not looked up").isNull();
    assertThat(albums.get("alY").<String>getAs("label")).isEqualTo("Label");
    assertThat(byId(GoldTransforms.dimTracks(sources), "track_id"))
        .as("the track look-up, and the first page of tracks the album look-up carried")
        .containsOnlyKeys("tX", "tY");
    assertThat(byId(GoldTransforms.dimArtists(sources), "artist_id"))
        .containsOnlyKeys("ar1", "ar2", "arX");
  }

  @Test
  void newReleaseTracksListEveryTrackOfCompleteTrackListsPerMarket() {
    String box = album("box", "Box", "2026-11-13", "day", AR1);
    String half = album("half", "Half fetched", "2026-11-13", "day", AR1);
    GoldTransforms.CatalogSources sources =
        new Sources()
            .with(
                BronzeJob.Table.NEW_RELEASES,
                newReleases("SE", "2026-11-20T06:00:00Z", "nr", box, half),
                newReleases("JP", "2026-11-20T06:00:00Z", "nr", box))
            .with(
                BronzeJob.Table.ALBUM_LOOKUPS,
                lookup(
                    "albums",
                    "box",
                    "2026-11-20T07:00:00Z",
                    "lk",
                    fullAlbum(
                        "box",
                        "Box",
                        trackPage(
                            0,
                            3,
                            simplifiedTrack("b1", "One", 100_000, AR1),
                            simplifiedTrack("b2", "Two", 200_000, AR2, AR1)),
                        AR1)))
            .with(
                BronzeJob.Table.ALBUM_TRACKS,
                albumTracks(
                    "box",
                    "2026-11-20T07:00:01Z",
                    "lk",
                    2,
                    3,
                    simplifiedTrack("b3", "Three", 300_000, AR1)),
                albumTracks(
                    "half",
                    "2026-11-20T07:00:02Z",
                    "lk",
                    0,
                    2,
                    simplifiedTrack("h1", "Only page one", 100_000, AR1)))
            .build();
    Dataset<Row> lists =
        TrackLists.latest(TrackLists.observations(sources.albumTracks(), sources.albumLookups()));

    List<Row> rows =
        GoldTransforms.newReleaseTracks(GoldTransforms.newReleases(sources.newReleases(), D), lists)
            .orderBy("market", "position")
            .collectAsList();

    assertThat(rows)
        .extracting(
            r ->
                r.<String>getAs("market")
                    + ":"
                    + r.<String>getAs("album_id")
                    + "#"
                    + r.<Integer>getAs("position")
                    + "="
                    + r.<String>getAs("track_id")
                    + "/"
                    + r.<Long>getAs("duration_ms")
                    + "/"
                    + r.getList(r.fieldIndex("artist_ids")))
        .as("the look-up's first page and the album page after it; no half-fetched list")
        .containsExactly(
            "JP:box#1=b1/100000/[ar1]",
            "JP:box#2=b2/200000/[ar2, ar1]",
            "JP:box#3=b3/300000/[ar1]",
            "SE:box#1=b1/100000/[ar1]",
            "SE:box#2=b2/200000/[ar2, ar1]",
            "SE:box#3=b3/300000/[ar1]");
  }

  @Test
  void aTrackListIsKnownWhenLandedCompleteWithinTheMaxAgeOrAnsweredAsUnknown() {
    GoldTransforms.CatalogSources sources =
        new Sources()
            .with(
                BronzeJob.Table.ALBUM_TRACKS,
                albumTracks(
                    "fresh", "2026-11-20T07:00:00Z", "lk", 0, 1, simplifiedTrack("f", "F", 1, AR1)),
                albumTracks(
                    "stale", "2026-09-01T07:00:00Z", "lk", 0, 1, simplifiedTrack("s", "S", 1, AR1)),
                albumTracks(
                    "partial",
                    "2026-11-20T07:00:00Z",
                    "lk",
                    0,
                    2,
                    simplifiedTrack("p", "P", 1, AR1)),
                envelope(
                    "album_tracks",
                    "\"id\":\"gone\"",
                    null,
                    "2026-11-20T07:00:00Z",
                    "lk",
                    404,
                    "{\"error\":{\"status\":404,\"message\":\"Resource not found\"}}"))
            .build();

    assertThat(
            TrackLists.known(
                    sources.albumTracks(),
                    sources.albumLookups(),
                    Instant.parse("2026-10-21T00:00:00Z"))
                .collectAsList())
        .extracting(r -> r.<String>getAs("album_id"))
        .containsExactlyInAnyOrder("fresh", "gone");
  }
}
