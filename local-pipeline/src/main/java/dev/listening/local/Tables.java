package dev.listening.local;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.bronze.PollGaps;
import dev.listening.jobs.gold.HealthTables;
import java.io.File;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Row counts per table for the run summary. */
final class Tables {
  private Tables() {}

  static Map<String, Long> counts(SparkSession spark, String bronze, String gold, LocalDate day) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String t :
        List.of(
            "plays",
            "track_lookups",
            "album_lookups",
            "artist_lookups",
            "new_releases",
            "playlist_items",
            PollGaps.TABLE,
            "quarantine")) {
      counts.put("bronze." + t, count(spark, bronze + "/" + t));
    }
    for (String t :
        List.of(
            "dim_tracks",
            "dim_albums",
            "dim_artists",
            "bridge_track_artists",
            "fct_new_releases",
            "fct_playlist_items",
            HealthTables.FCT_POLL_GAPS,
            HealthTables.FCT_QUARANTINED_RECORDS)) {
      counts.put("gold." + t, count(spark, gold + "/" + t));
    }
    String facts = gold + "/fct_listens";
    counts.put(
        "gold.fct_listens[" + day + "]",
        new File(facts).exists()
            ? spark
                .read()
                .parquet(facts)
                .filter(col("play_date").equalTo(lit(day.toString()).cast("date")))
                .count()
            : 0L);
    return counts;
  }

  private static long count(SparkSession spark, String path) {
    return new File(path).exists() ? spark.read().parquet(path).count() : 0L;
  }
}
