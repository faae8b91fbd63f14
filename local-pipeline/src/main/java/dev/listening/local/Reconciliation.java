package dev.listening.local;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.gold.GoldTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Gold against the simulator's ground truth: {@code fct_listens} must hold exactly the plays the
 * polls could retrieve, each with its track, and the dimensions every id the facts name.
 */
public final class Reconciliation {
  private Reconciliation() {}

  /** What was compared, and every difference found. */
  public record Result(Map<String, Object> counts, List<String> problems) {}

  /**
   * @param retrievable NDJSON of the truth's retrievable plays (user_key, played_at)
   * @param truthPlays NDJSON of every play of the day (user_key, played_at, track_uri, ...)
   */
  public static Result check(
      SparkSession spark, String gold, LocalDate day, Path retrievable, Path truthPlays) {
    Dataset<Row> expected = expected(spark, day, retrievable, truthPlays);
    Dataset<Row> actual = actual(spark, gold, day);
    long missing = expected.exceptAll(actual).count();
    long unexpected = actual.exceptAll(expected).count();
    List<String> problems = new ArrayList<>();
    if (missing > 0 || unexpected > 0) {
      problems.add(
          "fct_listens for "
              + day
              + " differs from the retrievable truth: "
              + missing
              + " rows missing, "
              + unexpected
              + " rows not in the truth");
    }
    long idsMissing = idsMissingFromDimensions(spark, gold, day, problems);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("expected_rows", expected.count());
    counts.put("fct_listens_rows", actual.count());
    counts.put("rows_missing", missing);
    counts.put("rows_unexpected", unexpected);
    counts.put("fact_ids_missing_from_dimensions", idsMissing);
    return new Result(counts, problems);
  }

  /**
   * Ids the day's facts name that the dimensions do not hold (tracks, albums and artists together);
   * a problem naming them is added when there are any.
   */
  public static long idsMissingFromDimensions(
      SparkSession spark, String gold, LocalDate day, List<String> problems) {
    Dataset<Row> facts =
        spark
            .read()
            .parquet(gold + "/" + GoldTable.FCT_LISTENS.tableName())
            .filter(col("play_date").equalTo(lit(day.toString()).cast("date")));
    long tracksMissing =
        absentFrom(
            facts.select(col("track_id").as("id")),
            spark.read().parquet(gold + "/" + GoldTable.DIM_TRACKS.tableName()),
            "track_id");
    long albumsMissing =
        absentFrom(
            facts.select(col("album_id").as("id")),
            spark.read().parquet(gold + "/" + GoldTable.DIM_ALBUMS.tableName()),
            "album_id");
    long artistsMissing =
        absentFrom(
            facts.select(explode(col("artist_ids")).as("id")),
            spark.read().parquet(gold + "/" + GoldTable.DIM_ARTISTS.tableName()),
            "artist_id");
    if (tracksMissing + albumsMissing + artistsMissing > 0) {
      problems.add(
          "ids in fct_listens missing from the dimensions: "
              + tracksMissing
              + " tracks, "
              + albumsMissing
              + " albums, "
              + artistsMissing
              + " artists");
    }
    return tracksMissing + albumsMissing + artistsMissing;
  }

  /**
   * The same comparison of {@code fct_listens} with the truth, counted per group of users: {@code
   * group} computes a user's group from the {@code user_key} column. For each group: {@code
   * expected_rows}, {@code fct_listens_rows}, {@code rows_missing}, {@code rows_unexpected}.
   */
  public static Map<String, Map<String, Long>> countsByGroup(
      SparkSession spark,
      String gold,
      LocalDate day,
      Path retrievable,
      Path truthPlays,
      Column group) {
    // Small, and read four times: kept in memory once.
    Dataset<Row> expected = expected(spark, day, retrievable, truthPlays).cache();
    Dataset<Row> actual = actual(spark, gold, day).cache();
    try {
      Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
      countInto(out, "expected_rows", expected, group);
      countInto(out, "fct_listens_rows", actual, group);
      countInto(out, "rows_missing", expected.exceptAll(actual), group);
      countInto(out, "rows_unexpected", actual.exceptAll(expected), group);
      return out;
    } finally {
      expected.unpersist();
      actual.unpersist();
    }
  }

  private static void countInto(
      Map<String, Map<String, Long>> out, String name, Dataset<Row> rows, Column group) {
    for (Row r : rows.groupBy(group.as("group")).count().collectAsList()) {
      out.computeIfAbsent(r.getString(0), g -> new LinkedHashMap<>()).put(name, r.getLong(1));
    }
  }

  /** The expected rows: retrievable plays of the day, with the track the simulator played. */
  private static Dataset<Row> expected(
      SparkSession spark, LocalDate day, Path retrievable, Path truthPlays) {
    Dataset<Row> expectedKeys =
        spark
            .read()
            .schema(new StructType().add("user_key", "string").add("played_at", "string"))
            .json(retrievable.toString())
            .select(col("user_key"), to_timestamp(col("played_at")).as("played_at"));
    Dataset<Row> plays =
        spark
            .read()
            .schema(
                new StructType()
                    .add("user_key", "string")
                    .add("played_at", "string")
                    .add("track_id", "string")
                    .add("track_uri", "string"))
            .json(truthPlays.toString())
            .select(
                col("user_key"),
                to_timestamp(col("played_at")).as("played_at"),
                col("track_id"),
                col("track_uri"));
    return expectedKeys
        .join(plays, new String[] {"user_key", "played_at"}, "inner")
        .filter(to_date(col("played_at")).equalTo(lit(day.toString()).cast("date")));
  }

  /** Gold's rows of the day, in the same shape. */
  private static Dataset<Row> actual(SparkSession spark, String gold, LocalDate day) {
    return spark
        .read()
        .parquet(gold + "/" + GoldTable.FCT_LISTENS.tableName())
        .filter(col("play_date").equalTo(lit(day.toString()).cast("date")))
        .select("user_key", "played_at", "track_id", "track_uri");
  }

  private static long absentFrom(Dataset<Row> ids, Dataset<Row> dim, String idColumn) {
    return ids.filter(col("id").isNotNull())
        .distinct()
        .join(dim, col("id").equalTo(dim.col(idColumn)), "left_anti")
        .count();
  }
}
