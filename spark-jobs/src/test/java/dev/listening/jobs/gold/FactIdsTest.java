package dev.listening.jobs.gold;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.TestSpark;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class FactIdsTest {
  private static Dataset<Row> rows(String ddl, String... json) {
    SparkSession spark = TestSpark.get();
    return spark
        .read()
        .schema(ddl)
        .json(spark.createDataset(List.of(json), org.apache.spark.sql.Encoders.STRING()));
  }

  private static final String FACT =
      "track_id STRING, album_id STRING, artist_ids ARRAY<STRING>, snapshot_date DATE";

  @Test
  void everyIdEveryFactNamesIsCheckedAgainstItsDimensionAndLocalFilesAreLeftOut() {
    Dataset<Row> tracks =
        rows(
            "track_id STRING, looked_up_at TIMESTAMP",
            "{\"track_id\":\"t1\",\"looked_up_at\":\"2026-11-20T10:00:00Z\"}",
            "{\"track_id\":\"t2\"}");
    Dataset<Row> albums = rows("album_id STRING, looked_up_at TIMESTAMP", "{\"album_id\":\"al1\"}");
    Dataset<Row> artists =
        rows(
            "artist_id STRING, looked_up_at TIMESTAMP",
            "{\"artist_id\":\"ar1\",\"looked_up_at\":\"2026-11-20T10:00:00Z\"}");
    Dataset<Row> listens =
        rows(
            FACT,
            "{\"track_id\":\"t1\",\"album_id\":\"al1\",\"artist_ids\":[\"ar1\"]}",
            "{\"track_id\":null,\"album_id\":null,\"artist_ids\":[]}");
    Dataset<Row> playlist =
        rows(
            FACT,
            "{\"track_id\":\"t2\",\"album_id\":\"al1\",\"artist_ids\":[\"ar1\",\"ar9\"]}",
            "{\"track_id\":\"t3\",\"album_id\":\"al1\",\"artist_ids\":[\"ar1\"]}");
    Dataset<Row> none = listens.limit(0);
    Map<GoldTable, Dataset<Row>> facts = new LinkedHashMap<>();
    facts.put(GoldTable.FCT_LISTENS, listens);
    facts.put(GoldTable.FCT_PLAYLIST_ITEMS, playlist);
    facts.put(GoldTable.FCT_NEW_RELEASES, none.select(col("album_id")));
    facts.put(GoldTable.FCT_NEW_RELEASE_TRACKS, none);
    Map<String, Object> metrics = new HashMap<>();

    List<String> failures =
        FactIds.check(
            facts,
            Map.of(
                GoldTable.DIM_TRACKS, tracks,
                GoldTable.DIM_ALBUMS, albums,
                GoldTable.DIM_ARTISTS, artists),
            metrics);

    assertThat(failures)
        .containsExactly(
            "1 of the 2 ids in fct_playlist_items.track_id are missing from dim_tracks",
            "1 of the 2 ids in fct_playlist_items.artist_ids are missing from dim_artists");
    @SuppressWarnings("unchecked")
    Map<String, Long> named = (Map<String, Long>) metrics.get("fact_ids_named");
    assertThat(named)
        .as("the local file's null ids are not counted")
        .containsEntry("fct_listens.track_id", 1L)
        .containsEntry("fct_listens.artist_ids", 1L)
        .containsEntry("fct_new_release_tracks.artist_ids", 0L)
        .hasSize(FactIds.REFERENCES.size());
    @SuppressWarnings("unchecked")
    Map<String, Long> notLookedUp = (Map<String, Long>) metrics.get("fact_ids_not_looked_up");
    assertThat(notLookedUp)
        .as("t2 is in dim_tracks from an embedded copy only")
        .containsEntry("fct_playlist_items.track_id", 1L)
        .containsEntry("fct_listens.track_id", 0L);
  }
}
