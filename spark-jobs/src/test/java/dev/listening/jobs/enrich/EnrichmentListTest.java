package dev.listening.jobs.enrich;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.TestSpark;
import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.bronze.BronzeTransforms;
import dev.listening.jobs.gold.TrackLists;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class EnrichmentListTest {
  @Test
  void listsOnlyIdsNeverOrNotRecentlyLookedUpNotFoundCountsAsLookedUp() {
    String ar1 = artist("ar1", "A");
    String al1 = album("al1", "Album", "2020", "year", ar1);
    Dataset<Row> plays =
        BronzeTransforms.plays(
                BronzeTransforms.parsePlays(
                    TestSpark.lines(
                        "2026-11-20",
                        recentlyPlayed(
                            "u1",
                            "2026-11-20T10:00:00Z",
                            "r",
                            play(track("t1", "Known", al1, ar1), "2026-11-20T09:00:00Z", null),
                            play(track("t2", "Stale", al1, ar1), "2026-11-20T09:10:00Z", null),
                            play(
                                track("t3", "Missing at Spotify", al1, ar1),
                                "2026-11-20T09:20:00Z",
                                null),
                            play(track("t4", "New", al1, ar1), "2026-11-20T09:30:00Z", null),
                            play(localTrack("Local"), "2026-11-20T09:40:00Z", null)))))
            .records();
    Dataset<Row> tracks =
        BronzeTransforms.trackLookups(
                BronzeTransforms.parseTrackLookups(
                    TestSpark.lines(
                        "2026-11-20",
                        envelope(
                            "tracks",
                            "\"ids\":\"t1,t3\"",
                            null,
                            "2026-11-19T00:00:00Z",
                            "lk",
                            200,
                            "{\"tracks\":[" + track("t1", "Known", al1, ar1) + ",null]}"),
                        envelope(
                            "tracks",
                            "\"id\":\"t2\"",
                            null,
                            "2026-09-01T00:00:00Z",
                            "lk-old",
                            200,
                            track("t2", "Stale", al1, ar1)))))
            .records();
    Dataset<Row> none = tracks.limit(0);
    Dataset<Row> noReleases = BronzeJob.Table.NEW_RELEASES.emptyRecords(TestSpark.get());

    Dataset<Row> list =
        EnrichmentList.list(
            EnrichmentList.toLookUp(
                EnrichmentList.seen(
                    plays,
                    BronzeJob.Table.PLAYLIST_ITEMS.emptyRecords(TestSpark.get()),
                    noReleases,
                    noTracks()),
                EnrichmentList.lookedUp(tracks, none, none, Instant.parse("2026-10-21T00:00:00Z"))),
            EnrichmentList.trackListsToFetch(noReleases, noReleases.select("album_id")));

    assertThat(list.collectAsList())
        .extracting(r -> r.<String>getAs("entity_type") + "," + r.<String>getAs("id"))
        .containsExactly("album,al1", "artist,ar1", "track,t2", "track,t4");
  }

  /** Known track lists' rows (track_id, artists) of no album. */
  private static Dataset<Row> noTracks() {
    return TrackLists.observations(
        BronzeJob.Table.ALBUM_TRACKS.emptyRecords(TestSpark.get()),
        BronzeJob.Table.ALBUM_LOOKUPS.emptyRecords(TestSpark.get()));
  }

  private static Dataset<Row> bronze(BronzeJob.Table table, String... lines) {
    return table.records(TestSpark.lines("2026-11-20", lines));
  }

  @Test
  void everyFactTableNamesIdsAndNewReleasesWithoutAKnownTrackListAreListedForTheirTracks() {
    String ar1 = artist("ar1", "A");
    String arP = artist("arP", "Playlist artist");
    String arN = artist("arN", "New release artist");
    String arF = artist("arF", "Featured on a new release");
    String al1 = album("al1", "Played", "2020", "year", ar1);
    String alP = album("alP", "Playlist album", "2020", "year", arP);
    Dataset<Row> plays =
        bronze(
            BronzeJob.Table.PLAYS,
            recentlyPlayed(
                "u1",
                "2026-11-20T10:00:00Z",
                "r",
                play(track("t1", "Played", al1, ar1), "2026-11-20T09:00:00Z", null)));
    Dataset<Row> playlist =
        bronze(
            BronzeJob.Table.PLAYLIST_ITEMS,
            playlistItems(
                "u1",
                "2026-11-20T12:00:00Z",
                "pl",
                "pl1",
                0,
                track("tP", "In a playlist", alP, arP),
                localTrack("Local")));
    Dataset<Row> releases =
        bronze(
            BronzeJob.Table.NEW_RELEASES,
            newReleases(
                "SE",
                "2026-11-20T06:00:00Z",
                "nr",
                album("known", "Known tracks", "2026-11-13", "day", arN),
                album("new", "Unknown tracks", "2026-11-13", "day", arN),
                album("stale", "Tracks fetched long ago", "2026-11-13", "day", arN)));
    Dataset<Row> albumTracks =
        bronze(
            BronzeJob.Table.ALBUM_TRACKS,
            albumTracks(
                "known",
                "2026-11-19T07:00:00Z",
                "lk",
                0,
                1,
                simplifiedTrack("tK", "Known track", 1000, arN, arF)),
            albumTracks(
                "stale",
                "2026-08-01T07:00:00Z",
                "lk",
                0,
                1,
                simplifiedTrack("tS", "Stale track", 1000, arN)));
    Dataset<Row> albumLookups = BronzeJob.Table.ALBUM_LOOKUPS.emptyRecords(TestSpark.get());
    Instant since = Instant.parse("2026-10-21T00:00:00Z");
    Dataset<Row> releaseTracks =
        TrackLists.latest(TrackLists.observations(albumTracks, albumLookups))
            .join(releases.select("album_id").distinct(), "album_id");
    Dataset<Row> noneLookedUp = BronzeJob.Table.TRACK_LOOKUPS.emptyRecords(TestSpark.get());

    Dataset<Row> list =
        EnrichmentList.list(
            EnrichmentList.toLookUp(
                EnrichmentList.seen(plays, playlist, releases, releaseTracks),
                EnrichmentList.lookedUp(
                    noneLookedUp,
                    albumLookups,
                    BronzeJob.Table.ARTIST_LOOKUPS.emptyRecords(TestSpark.get()),
                    since)),
            EnrichmentList.trackListsToFetch(
                releases, TrackLists.known(albumTracks, albumLookups, since)));

    assertThat(list.collectAsList())
        .extracting(r -> r.<String>getAs("entity_type") + "," + r.<String>getAs("id"))
        .containsExactly(
            "album,al1",
            "album,alP",
            "album,known",
            "album,new",
            "album,stale",
            "album_tracks,new",
            "album_tracks,stale",
            "artist,ar1",
            "artist,arF",
            "artist,arN",
            "artist,arP",
            "track,t1",
            "track,tK",
            "track,tP",
            "track,tS");
  }
}
