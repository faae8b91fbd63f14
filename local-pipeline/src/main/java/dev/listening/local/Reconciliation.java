package dev.listening.local;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.gold.FactIds;
import dev.listening.jobs.gold.GoldTable;
import dev.listening.landing.LookupList;
import dev.listening.landing.StreamingHistory;
import java.io.File;
import java.nio.file.Files;
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
 * polls could retrieve, each with its track; {@code fct_new_release_tracks} exactly the tracks of
 * the markets' new releases; and the dimensions every id any fact table names ({@link
 * FactIds#REFERENCES}). Ids in their dimension only from embedded copies (no look-up yet) are
 * counted with the reason.
 */
public final class Reconciliation {
  private Reconciliation() {}

  /** What was compared, and every difference found. */
  public record Result(Map<String, Object> counts, List<String> problems) {}

  static final String NOT_ANSWERED = "on the day's look-up list, but no look-up answered it";

  /** Why a fact's id can be missing from the day's look-up list: it landed after the list. */
  static String afterTheList(GoldTable fact) {
    return switch (fact) {
      case FCT_LISTENS ->
          "a play landed on the next landing date (after midnight): that date's list names it";
      case FCT_NEW_RELEASE_TRACKS ->
          "a track of a new release's track list, which the day's look-ups brought: the next"
              + " day's list names it";
      default -> "landed after the day's look-up list was made: the next day's list names it";
    };
  }

  /** The markets of the day's new releases in gold (none when the app has no new releases). */
  static List<String> newReleaseMarkets(SparkSession spark, String gold, LocalDate day) {
    String table = gold + "/" + GoldTable.FCT_NEW_RELEASES.tableName();
    if (!new File(table).exists()) {
      return List.of();
    }
    return spark
        .read()
        .parquet(table)
        .filter(col("snapshot_date").equalTo(lit(day.toString()).cast("date")))
        .select("market")
        .distinct()
        .orderBy("market")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  /**
   * @param retrievable NDJSON of the truth's retrievable plays (user_key, played_at)
   * @param truthPlays NDJSON of every play of the day (user_key, played_at, track_uri, ...)
   * @param truthReleaseTracks NDJSON of the tracks of the new releases of gold's markets
   * @param lookupList the day's look-up list folder (entity_type,id CSV)
   */
  public static Result check(
      SparkSession spark,
      String gold,
      LocalDate day,
      Path retrievable,
      Path truthPlays,
      Path truthReleaseTracks,
      Path lookupList) {
    return check(spark, gold, day, retrievable, truthPlays, truthReleaseTracks, lookupList, false);
  }

  /**
   * @param everyPlay the users' streaming-history exports were imported: fct_listens must hold
   *     every play of the truth, not only the retrievable ones (see {@link #everyPlay})
   */
  public static Result check(
      SparkSession spark,
      String gold,
      LocalDate day,
      Path retrievable,
      Path truthPlays,
      Path truthReleaseTracks,
      Path lookupList,
      boolean everyPlay) {
    if (everyPlay) {
      List<String> problems = new ArrayList<>();
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.putAll(everyPlay(spark, gold, day, retrievable, truthPlays, problems));
      counts.putAll(newReleaseTracks(spark, gold, day, truthReleaseTracks, problems));
      counts.putAll(factIds(spark, gold, day, lookupList, problems));
      return new Result(counts, problems);
    }
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
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("expected_rows", expected.count());
    counts.put("fct_listens_rows", actual.count());
    counts.put("rows_missing", missing);
    counts.put("rows_unexpected", unexpected);
    counts.putAll(newReleaseTracks(spark, gold, day, truthReleaseTracks, problems));
    counts.putAll(factIds(spark, gold, day, lookupList, problems));
    return new Result(counts, problems);
  }

  /**
   * Ids the day's facts (every fact table) name that their dimensions do not hold; a problem naming
   * them is added when there are any.
   */
  public static long idsMissingFromDimensions(
      SparkSession spark, String gold, LocalDate day, Path lookupList, List<String> problems) {
    return ((Number)
            factIds(spark, gold, day, lookupList, problems).get("fact_ids_missing_from_dimensions"))
        .longValue();
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

  /**
   * fct_listens after the exports were imported, against every play of the truth's day: each play
   * pairs with exactly one gold row of the same user and track within the match tolerance and each
   * row with exactly one play; rows from polls keep the play's exact played_at; every retrievable
   * play was matched with its export stream (polled_and_imported), every other play is imported,
   * and no row is polled only (every user's export was imported).
   */
  static Map<String, Object> everyPlay(
      SparkSession spark,
      String gold,
      LocalDate day,
      Path retrievable,
      Path truthPlays,
      List<String> problems) {
    Dataset<Row> truth =
        spark
            .read()
            .schema(
                new StructType()
                    .add("user_key", "string")
                    .add("played_at", "string")
                    .add("track_uri", "string"))
            .json(truthPlays.toString())
            .select(
                col("user_key").as("t_user"),
                to_timestamp(col("played_at")).as("t_played_at"),
                col("track_uri").as("t_uri"))
            .filter(to_date(col("t_played_at")).equalTo(lit(day.toString()).cast("date")))
            .withColumn("t_id", monotonically_increasing_id())
            .cache();
    Dataset<Row> retrievableOfDay =
        expected(spark, day, retrievable, truthPlays)
            .select(col("user_key").as("r_user"), col("played_at").as("r_played_at"));
    Dataset<Row> actual =
        factOfDay(spark, gold, GoldTable.FCT_LISTENS, "play_date", day)
            .select(
                col("user_key").as("a_user"),
                col("played_at").as("a_played_at"),
                col("track_uri").as("a_uri"),
                col("source"))
            .withColumn("a_id", monotonically_increasing_id())
            .cache();
    try {
      Dataset<Row> pairs =
          truth
              .join(
                  actual,
                  col("t_user")
                      .equalTo(col("a_user"))
                      .and(col("t_uri").equalTo(col("a_uri")))
                      .and(
                          abs(unix_millis(col("t_played_at"))
                                  .minus(unix_millis(col("a_played_at"))))
                              .leq(lit(StreamingHistory.MATCH_TOLERANCE.toMillis()))))
              .join(
                  retrievableOfDay,
                  col("t_user")
                      .equalTo(col("r_user"))
                      .and(col("t_played_at").equalTo(col("r_played_at"))),
                  "left")
              .cache();
      long truthRows = truth.count();
      long goldRows = actual.count();
      long missing = truth.join(pairs.select("t_id"), new String[] {"t_id"}, "left_anti").count();
      long unexpected =
          actual.join(pairs.select("a_id"), new String[] {"a_id"}, "left_anti").count();
      long ambiguous =
          pairs.groupBy("t_id").count().filter(col("count").gt(1)).count()
              + pairs.groupBy("a_id").count().filter(col("count").gt(1)).count();
      long inexact =
          pairs
              .filter(col("source").notEqual(lit(StreamingHistory.SOURCE_IMPORTED)))
              .filter(col("t_played_at").notEqual(col("a_played_at")))
              .count();
      long wrongSource =
          pairs
              .filter(
                  when(
                          col("r_user").isNotNull(),
                          col("source").notEqual(lit(StreamingHistory.SOURCE_BOTH)))
                      .otherwise(col("source").notEqual(lit(StreamingHistory.SOURCE_IMPORTED))))
              .count();
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("expected_rows", truthRows);
      counts.put("fct_listens_rows", goldRows);
      counts.put("rows_missing", missing);
      counts.put("rows_unexpected", unexpected);
      counts.put("rows_ambiguous", ambiguous);
      counts.put("matches_not_exact", inexact);
      counts.put("rows_with_wrong_source", wrongSource);
      for (Row r : actual.groupBy("source").count().collectAsList()) {
        counts.put("fct_listens_" + r.getString(0), r.getLong(1));
      }
      if (missing + unexpected + ambiguous + inexact + wrongSource > 0) {
        problems.add(
            "fct_listens for "
                + day
                + " differs from every play of the truth (exports imported): "
                + counts);
      }
      return counts;
    } finally {
      truth.unpersist();
      actual.unpersist();
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
    return factOfDay(spark, gold, GoldTable.FCT_LISTENS, "play_date", day)
        .select("user_key", "played_at", "track_id", "track_uri");
  }

  /** A fact table's rows of the day (its partition column), or none when it was never written. */
  private static Dataset<Row> factOfDay(
      SparkSession spark, String gold, GoldTable table, String partition, LocalDate day) {
    String path = gold + "/" + table.tableName();
    if (!new File(path).exists()) {
      return null;
    }
    return spark
        .read()
        .parquet(path)
        .filter(col(partition).equalTo(lit(day.toString()).cast("date")));
  }

  /** fct_new_release_tracks of the day against the truth's tracks of the same markets. */
  private static Map<String, Object> newReleaseTracks(
      SparkSession spark, String gold, LocalDate day, Path truth, List<String> problems) {
    Dataset<Row> expected =
        spark
            .read()
            .schema(
                "market STRING, album_id STRING, position INT, track_id STRING,"
                    + " duration_ms BIGINT, artist_ids ARRAY<STRING>")
            .json(truth.toString());
    Dataset<Row> actual =
        factOfDay(spark, gold, GoldTable.FCT_NEW_RELEASE_TRACKS, "snapshot_date", day);
    actual =
        actual == null
            ? expected.limit(0)
            : actual.select(
                col("market"),
                col("album_id"),
                col("position"),
                col("track_id"),
                col("duration_ms"),
                col("artist_ids"));
    long missing = expected.exceptAll(actual).count();
    long unexpected = actual.exceptAll(expected).count();
    if (missing > 0 || unexpected > 0) {
      problems.add(
          "fct_new_release_tracks for "
              + day
              + " differs from the new releases' tracks in the truth: "
              + missing
              + " rows missing, "
              + unexpected
              + " rows not in the truth");
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("new_release_tracks_expected", expected.count());
    counts.put("new_release_tracks_rows", actual.count());
    counts.put("new_release_tracks_missing", missing);
    counts.put("new_release_tracks_unexpected", unexpected);
    return counts;
  }

  /**
   * Every id every fact table of the day names, against its dimension: missing ones are problems;
   * ones there from embedded copies only are counted per reason.
   */
  private static Map<String, Object> factIds(
      SparkSession spark, String gold, LocalDate day, Path lookupList, List<String> problems) {
    Map<GoldTable, Dataset<Row>> dims = new java.util.EnumMap<>(GoldTable.class);
    for (GoldTable d : List.of(GoldTable.DIM_TRACKS, GoldTable.DIM_ALBUMS, GoldTable.DIM_ARTISTS)) {
      dims.put(d, spark.read().parquet(gold + "/" + d.tableName()));
    }
    Dataset<Row> listed =
        Files.isDirectory(lookupList)
            ? spark
                .read()
                .option("header", "true")
                .schema(LookupList.ENTITY_TYPE + " STRING, " + LookupList.ID + " STRING")
                .csv(lookupList.toString())
            : null;
    Map<String, Long> checked = new LinkedHashMap<>();
    Map<String, Long> missingByReference = new LinkedHashMap<>();
    Map<String, Object> notLookedUp = new LinkedHashMap<>();
    long missing = 0;
    long waitingTotal = 0;
    Map<GoldTable, Dataset<Row>> facts = new LinkedHashMap<>();
    for (FactIds.Reference ref : FactIds.REFERENCES) {
      String partition = ref.fact() == GoldTable.FCT_LISTENS ? "play_date" : "snapshot_date";
      facts.computeIfAbsent(ref.fact(), f -> factOfDay(spark, gold, f, partition, day));
    }
    for (Map.Entry<FactIds.Reference, FactIds.Count> e : FactIds.measure(facts, dims).entrySet()) {
      FactIds.Reference ref = e.getKey();
      Dataset<Row> fact = facts.get(ref.fact());
      Dataset<Row> dim = dims.get(ref.dim());
      FactIds.Count c = e.getValue();
      checked.put(ref.name(), c.named());
      missingByReference.put(ref.name(), c.missing());
      missing += c.missing();
      if (c.notLookedUp() == 0) {
        continue;
      }
      // In the dimension from embedded copies only: say why no look-up has enriched them yet.
      waitingTotal += c.notLookedUp();
      long onList = 0;
      if (listed != null) {
        String kind = ref.dimId().replace("_id", "");
        onList =
            ref.ids(fact)
                .join(
                    dim.filter(col("looked_up_at").isNull()).select(col(ref.dimId()).as("id")),
                    "id")
                .join(
                    listed
                        .filter(col(LookupList.ENTITY_TYPE).equalTo(kind))
                        .select(col(LookupList.ID).as("id")),
                    "id")
                .count();
      }
      Map<String, Object> why = new LinkedHashMap<>();
      why.put("ids", c.notLookedUp());
      if (onList > 0) {
        why.put(NOT_ANSWERED, onList);
      }
      if (c.notLookedUp() > onList) {
        why.put(afterTheList(ref.fact()), c.notLookedUp() - onList);
      }
      notLookedUp.put(ref.name(), why);
    }
    if (missing > 0) {
      problems.add("ids the facts name missing from the dimensions: " + missingByReference);
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("fact_ids_missing_from_dimensions", missing);
    counts.put("fact_ids_missing_by_reference", missingByReference);
    counts.put("fact_ids_checked", checked);
    counts.put("fact_ids_not_looked_up", waitingTotal);
    counts.put("fact_ids_not_looked_up_by_reference", notLookedUp);
    return counts;
  }
}
