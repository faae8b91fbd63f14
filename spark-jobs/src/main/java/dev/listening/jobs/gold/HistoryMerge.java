package dev.listening.jobs.gold;

import static org.apache.spark.sql.functions.*;

import dev.listening.landing.StreamingHistory;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code fct_listens} from polled plays and imported streaming history: one row per real play.
 *
 * <p><b>The match rule.</b> An imported stream is a play when it is a music track ({@code
 * spotify_track_uri} set) played for at least {@link StreamingHistory#MIN_PLAY_MS}, as
 * recently-played counts plays. A polled play and an imported play are the same play when they are
 * of the same user and the same track URI and {@code |played_at - ts| <=} {@link
 * StreamingHistory#MATCH_TOLERANCE}. Each is matched at most once; where several pairings are
 * possible the one with the most pairs wins, then the least total time difference, then the
 * earliest times. A matched row keeps the API's {@code played_at} and catalog fields and takes the
 * export's {@code ms_played}, {@code skipped}, {@code reason_start}, {@code reason_end} and {@code
 * shuffle}; {@code source} says {@code polled}, {@code imported} or {@code polled_and_imported}.
 * Imported-only rows take {@code played_at = ts} and their album and artists from {@code
 * dim_tracks}.
 *
 * <p>Plays within the tolerance of midnight are matched against the neighbouring day's too, and a
 * row belongs to the day of its {@code played_at}, so a pair split by midnight is one row of one
 * day.
 */
public final class HistoryMerge {
  private HistoryMerge() {}

  static final long TOLERANCE_MS = StreamingHistory.MATCH_TOLERANCE.toMillis();

  /** The export's facts of a play: null for polled-only rows. */
  static final List<String> EXPORT_COLUMNS =
      List.of("ms_played", "skipped", "reason_start", "reason_end", "shuffle");

  /** fct_listens' columns, in order (the BigQuery table's, infrastructure/bigquery). */
  static final List<String> COLUMNS =
      List.of(
          "user_key",
          "played_at",
          "play_date",
          "track_id",
          "track_uri",
          "track_name",
          "duration_ms",
          "explicit",
          "is_local",
          "album_id",
          "artist_ids",
          "primary_artist_id",
          "context_type",
          "context_uri",
          "first_fetched_at",
          "run_id",
          "landing_file",
          "source",
          "ms_played",
          "skipped",
          "reason_start",
          "reason_end",
          "shuffle");

  /** Imported streams that are plays, of ts within the day and its tolerance margins. */
  public static Dataset<Row> importedPlays(Dataset<Row> streams, LocalDate day) {
    Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(TOLERANCE_MS);
    Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusMillis(TOLERANCE_MS);
    return importedPlays(
        streams.filter(
            col("ts").geq(lit(Timestamp.from(from))).and(col("ts").lt(lit(Timestamp.from(to))))));
  }

  /** Imported streams that are plays (music, at least 30 s), with their {@code stream_key}. */
  public static Dataset<Row> importedPlays(Dataset<Row> streams) {
    return streams
        .filter(col("kind").equalTo(lit(StreamingHistory.KIND_TRACK)))
        .filter(col("ms_played").geq(lit(StreamingHistory.MIN_PLAY_MS)))
        .withColumn(
            "stream_key",
            concat_ws(
                "|",
                col("user_key"),
                date_format(col("ts"), "yyyy-MM-dd'T'HH:mm:ss"),
                col("track_uri"),
                col("ms_played").cast("string")));
  }

  /**
   * The accepted pairs (user_key, played_at, stream_key) of polled plays ({@code user_key}, {@code
   * track_uri}, {@code played_at}) and {@link #importedPlays} over any range of days: what the
   * merge matches, for benchmarks and backfills.
   */
  public static Dataset<Row> matchAll(
      SparkSession spark, Dataset<Row> polled, Dataset<Row> imported) {
    return pairs(spark, candidates(polled, imported));
  }

  /** Candidate pairs: same user and track, times within the tolerance. */
  static Dataset<Row> candidates(Dataset<Row> polled, Dataset<Row> imported) {
    Dataset<Row> p =
        polled.select(
            col("user_key").as("p_user"),
            col("track_uri").as("p_uri"),
            col("played_at"),
            unix_millis(col("played_at")).as("p_ms"));
    Dataset<Row> s =
        imported.select(
            col("user_key").as("s_user"),
            col("track_uri").as("s_uri"),
            col("stream_key"),
            unix_millis(col("ts")).as("s_ms"));
    return p.join(
            s,
            col("p_user")
                .equalTo(col("s_user"))
                .and(col("p_uri").equalTo(col("s_uri")))
                .and(abs(col("p_ms").minus(col("s_ms"))).leq(lit(TOLERANCE_MS))))
        .select(
            col("p_user").as("user_key"),
            col("p_uri").as("track_uri"),
            col("played_at"),
            col("p_ms"),
            col("stream_key"),
            col("s_ms"));
  }

  /**
   * The accepted pairs (user_key, played_at, stream_key). A candidate whose play and stream have no
   * other candidate is accepted as it is (nearly all of them: a user plays the same track twice
   * within 20 s only when skipping); the others, per user and track, are solved exactly on the
   * driver by {@link #bestMatching}.
   */
  static Dataset<Row> pairs(SparkSession spark, Dataset<Row> candidates) {
    Dataset<Row> counted =
        candidates
            .withColumn(
                "per_play",
                count(lit(1))
                    .over(
                        org.apache.spark.sql.expressions.Window.partitionBy(
                            "user_key", "played_at")))
            .withColumn(
                "per_stream",
                count(lit(1))
                    .over(org.apache.spark.sql.expressions.Window.partitionBy("stream_key")))
            .persist();
    try {
      Dataset<Row> clear =
          counted
              .filter(col("per_play").equalTo(1).and(col("per_stream").equalTo(1)))
              .select("user_key", "played_at", "stream_key");
      // Every candidate of a (user, track) with any ambiguity, solved together.
      Dataset<Row> ambiguousGroups =
          counted
              .filter(col("per_play").gt(1).or(col("per_stream").gt(1)))
              .select("user_key", "track_uri")
              .distinct();
      List<Row> hard =
          counted
              .join(ambiguousGroups, List.of("user_key", "track_uri").toArray(String[]::new))
              .select("user_key", "track_uri", "p_ms", "stream_key", "s_ms")
              .collectAsList();
      Dataset<Row> solved = spark.createDataFrame(solve(hard), PAIR);
      return clear.unionByName(solved);
    } finally {
      counted.unpersist();
    }
  }

  private static final StructType PAIR =
      StructType.fromDDL("user_key STRING, played_at TIMESTAMP, stream_key STRING");

  /** Solves the ambiguous candidates of each (user, track) exactly. */
  static List<Row> solve(List<Row> hard) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (Row r : hard) {
      groups
          .computeIfAbsent(r.getString(0) + "\u0000" + r.getString(1), k -> new ArrayList<>())
          .add(r);
    }
    List<Row> out = new ArrayList<>();
    for (List<Row> g : groups.values()) {
      long[] plays = g.stream().mapToLong(r -> r.getLong(2)).distinct().sorted().toArray();
      Map<Long, String> keyOfStream = new LinkedHashMap<>();
      for (Row r : g) {
        keyOfStream.put(r.getLong(4), r.getString(3));
      }
      // Streams of one user and track at the same second with different ms_played: keep apart.
      List<Long> streamTimes = new ArrayList<>();
      List<String> streamKeys = new ArrayList<>();
      g.stream()
          .map(r -> Map.entry(r.getLong(4), r.getString(3)))
          .distinct()
          .sorted(
              Map.Entry.<Long, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
          .forEach(
              e -> {
                streamTimes.add(e.getKey());
                streamKeys.add(e.getValue());
              });
      long[] streams = streamTimes.stream().mapToLong(Long::longValue).toArray();
      for (int[] pair : bestMatching(plays, streams, TOLERANCE_MS)) {
        out.add(
            RowFactory.create(
                g.get(0).getString(0), new Timestamp(plays[pair[0]]), streamKeys.get(pair[1])));
      }
    }
    return out;
  }

  /**
   * The most pairs (a[i], b[j]) with |a[i] - b[j]| <= tolerance, each element used once, and among
   * those the least total difference. {@code a} and {@code b} sorted ascending. On a line an
   * optimal matching never needs crossing pairs, so a dynamic program over prefixes is exact.
   */
  static List<int[]> bestMatching(long[] a, long[] b, long tolerance) {
    int n = a.length;
    int m = b.length;
    int[][] pairs = new int[n + 1][m + 1];
    long[][] cost = new long[n + 1][m + 1];
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int bestPairs = pairs[i - 1][j];
        long bestCost = cost[i - 1][j];
        if (better(pairs[i][j - 1], cost[i][j - 1], bestPairs, bestCost)) {
          bestPairs = pairs[i][j - 1];
          bestCost = cost[i][j - 1];
        }
        long d = Math.abs(a[i - 1] - b[j - 1]);
        if (d <= tolerance
            && better(pairs[i - 1][j - 1] + 1, cost[i - 1][j - 1] + d, bestPairs, bestCost)) {
          bestPairs = pairs[i - 1][j - 1] + 1;
          bestCost = cost[i - 1][j - 1] + d;
        }
        pairs[i][j] = bestPairs;
        cost[i][j] = bestCost;
      }
    }
    List<int[]> out = new ArrayList<>();
    int i = n;
    int j = m;
    while (i > 0 && j > 0) {
      long d = Math.abs(a[i - 1] - b[j - 1]);
      if (d <= tolerance
          && pairs[i][j] == pairs[i - 1][j - 1] + 1
          && cost[i][j] == cost[i - 1][j - 1] + d) {
        out.add(new int[] {i - 1, j - 1});
        i--;
        j--;
      } else if (pairs[i][j] == pairs[i - 1][j] && cost[i][j] == cost[i - 1][j]) {
        i--;
      } else {
        j--;
      }
    }
    java.util.Collections.reverse(out);
    return out;
  }

  private static boolean better(int pairs, long cost, int thanPairs, long thanCost) {
    return pairs > thanPairs || (pairs == thanPairs && cost < thanCost);
  }

  /**
   * fct_listens of {@code day}: the polled listens (deduplicated, of the day and its margins)
   * merged with the imported plays.
   *
   * @param polled {@link GoldTransforms#listens} rows of the day and the tolerance around it
   * @param streams bronze streams (any dates; filtered here)
   * @param dimTracks the track dimension, for imported-only rows' album and artists
   */
  public static Dataset<Row> merge(
      SparkSession spark,
      Dataset<Row> polled,
      Dataset<Row> streams,
      Dataset<Row> dimTracks,
      LocalDate day) {
    Dataset<Row> imported = importedPlays(streams, day).persist();
    Dataset<Row> pairs = pairs(spark, candidates(polled, imported)).persist();
    Column dayLit = lit(day.toString()).cast("date");

    Dataset<Row> export =
        imported.select(
            col("stream_key"),
            col("ms_played"),
            col("skipped"),
            col("reason_start"),
            col("reason_end"),
            col("shuffle"));
    Dataset<Row> polledRows =
        polled
            .join(pairs, List.of("user_key", "played_at").toArray(String[]::new), "left")
            .join(export, List.of("stream_key").toArray(String[]::new), "left")
            .withColumn(
                "source",
                // No otherwise(): the column stays NULLABLE, so BigQuery can add it to an
                // existing table (a REQUIRED column cannot be added).
                when(col("stream_key").isNotNull(), lit(StreamingHistory.SOURCE_BOTH))
                    .when(col("user_key").isNotNull(), lit(StreamingHistory.SOURCE_POLLED)))
            .drop("stream_key");

    Dataset<Row> tracks =
        dimTracks.select(
            col("track_id").as("dim_track_id"),
            col("duration_ms").as("dim_duration_ms"),
            col("explicit").as("dim_explicit"),
            col("album_id").as("dim_album_id"),
            col("artists").as("dim_artists"));
    Dataset<Row> importedRows =
        imported
            .join(
                pairs.select("stream_key"),
                List.of("stream_key").toArray(String[]::new),
                "left_anti")
            .join(tracks, col("track_id").equalTo(col("dim_track_id")), "left")
            .select(
                col("user_key"),
                col("ts").as("played_at"),
                to_date(col("ts")).as("play_date"),
                col("track_id"),
                col("track_uri"),
                col("track_name"),
                col("dim_duration_ms").as("duration_ms"),
                col("dim_explicit").as("explicit"),
                col("is_local"),
                col("dim_album_id").as("album_id"),
                coalesce(
                        GoldTransforms.artistIds(col("dim_artists")), array().cast("array<string>"))
                    .as("artist_ids"),
                element_at(col("dim_artists"), 1).getField("artist_id").as("primary_artist_id"),
                lit(null).cast("string").as("context_type"),
                lit(null).cast("string").as("context_uri"),
                col("fetched_at").as("first_fetched_at"),
                col("run_id"),
                col("landing_file"),
                col("ms_played"),
                col("skipped"),
                col("reason_start"),
                col("reason_end"),
                col("shuffle"),
                when(col("user_key").isNotNull(), lit(StreamingHistory.SOURCE_IMPORTED))
                    .as("source"));
    return polledRows
        .unionByName(importedRows)
        .filter(to_date(col("played_at")).equalTo(dayLit))
        .select(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }
}
