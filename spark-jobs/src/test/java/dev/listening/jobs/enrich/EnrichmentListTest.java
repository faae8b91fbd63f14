package dev.listening.jobs.enrich;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.TestSpark;
import dev.listening.jobs.bronze.BronzeTransforms;
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

    Dataset<Row> list =
        EnrichmentList.toLookUp(
            EnrichmentList.seen(plays),
            EnrichmentList.lookedUp(tracks, none, none, Instant.parse("2026-10-21T00:00:00Z")));

    assertThat(list.collectAsList())
        .extracting(r -> r.<String>getAs("entity_type") + "," + r.<String>getAs("id"))
        .containsExactly("album,al1", "artist,ar1", "track,t2", "track,t4");
  }
}
