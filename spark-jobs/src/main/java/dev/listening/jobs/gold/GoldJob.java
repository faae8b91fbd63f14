package dev.listening.jobs.gold;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.Job;
import dev.listening.jobs.JobArgs;
import dev.listening.jobs.Metrics;
import dev.listening.jobs.QualityGateFailed;
import dev.listening.jobs.Storage;
import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.sink.BigQuerySink;
import dev.listening.jobs.sink.GoldSink;
import dev.listening.jobs.sink.ParquetSink;
import dev.listening.landing.StreamingHistory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bronze to gold for one play date: {@code fct_listens} (that date's partition), the dimensions and
 * the track-artist bridge (rebuilt whole, from every bronze table that carries catalog objects),
 * and the day's new releases with their tracks and playlist snapshots when they were landed. Every
 * id a fact names must be in its dimension (see {@link FactIds}), or nothing is written. Plays of
 * the date can land on later dates (polls after midnight, late plays): the date's partition reads
 * every landing date up to the lateness window and is exact once that window has passed.
 *
 * <pre>gold --bronze B --date 2026-11-20 [--lateness 6h]
 *      [--sink parquet --gold G | --sink bigquery --bq-project P --bq-dataset D --bq-temp-bucket T]
 * </pre>
 */
public final class GoldJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(GoldJob.class);

  enum SinkKind {
    PARQUET,
    BIGQUERY
  }

  public record Config(
      String bronze,
      LocalDate date,
      Duration lateness,
      SinkKind sinkKind,
      String gold,
      String bqProject,
      String bqDataset,
      String bqTempBucket) {

    GoldSink sink() {
      return sinkKind == SinkKind.PARQUET
          ? new ParquetSink(gold)
          : new BigQuerySink(bqProject, bqDataset, bqTempBucket);
    }

    /** Where the metrics file goes: beside the Parquet output, or beside bronze for BigQuery. */
    String metricsRoot() {
      return sinkKind == SinkKind.PARQUET ? gold : bronze + "/_gold";
    }
  }

  private final Config config;
  private final GoldSink sink;

  public GoldJob(Config config) {
    this(config, config.sink());
  }

  /** A job writing to the given sink (tests record what the job writes). */
  GoldJob(Config config, GoldSink sink) {
    this.config = config;
    this.sink = sink;
  }

  public static Job create(JobArgs a) {
    a.renamed("date", "play-date");
    String bronze = a.uri("bronze", "Bronze root (local folder or gs://bucket/prefix).");
    LocalDate date =
        a.date(
            "play-date",
            "The day of the plays (UTC), YYYY-MM-DD; read from bronze landing dates play-date to"
                + " play-date + 1 + lateness. (--date is accepted too.)");
    Duration lateness =
        a.duration(
            "lateness",
            Duration.ofHours(6),
            "How late a play may land after its day: the partition is exact once it has passed.");
    SinkKind kind =
        a.choice(
            "sink",
            SinkKind.class,
            SinkKind.PARQUET,
            "parquet (writes under --gold) or bigquery (writes into the --bq-dataset tables).");
    String gold = null;
    String project = null;
    String dataset = null;
    String bucket = null;
    if (kind == SinkKind.PARQUET || a.helping()) {
      gold = a.uri("gold", "Gold root for --sink parquet (local folder or gs://bucket/prefix).");
    }
    if (kind == SinkKind.BIGQUERY || a.helping()) {
      project = a.require("bq-project", "BigQuery project of the gold dataset (--sink bigquery).");
      dataset =
          a.require("bq-dataset", "BigQuery dataset holding the gold tables (--sink bigquery).");
      bucket =
          a.require(
              "bq-temp-bucket",
              "GCS bucket for the connector's indirect writes (--sink bigquery).");
    }
    a.check();
    return new GoldJob(new Config(bronze, date, lateness, kind, gold, project, dataset, bucket));
  }

  @Override
  public Map<String, Object> run(SparkSession spark) throws Exception {
    log.info("gold: {}", config);
    Storage storage = new Storage(spark);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("job", "gold");
    metrics.put("date", config.date().toString());
    List<String> failures = new ArrayList<>();

    Dataset<Row> allPlays = table(spark, storage, BronzeJob.Table.PLAYS);
    if (allPlays == null) {
      throw new QualityGateFailed(
          "gold",
          List.of(
              "no bronze plays under "
                  + config.bronze()
                  + "/"
                  + BronzeJob.Table.PLAYS.table()
                  + ": run the bronze job first"));
    }
    // The date's plays land on that date and, through polls after midnight and late plays, on
    // the dates up to the end of the lateness window.
    LocalDate lastLanding = config.date().plusDays(1 + config.lateness().toDays());
    Dataset<Row> window =
        allPlays.filter(
            col("date")
                .between(
                    lit(config.date().toString()).cast("date"),
                    lit(lastLanding.toString()).cast("date")));
    Instant windowCloses =
        config.date().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(config.lateness());
    // One pass over the window: the latest fetch, and whether any play is of this date.
    Row seen =
        window
            .agg(
                max(col("fetched_at")),
                max(to_date(col("played_at")).equalTo(lit(config.date().toString()).cast("date"))))
            .first();
    boolean exact = !seen.isNullAt(0) && !seen.getTimestamp(0).toInstant().isBefore(windowCloses);
    boolean playsOfDate = !seen.isNullAt(1) && seen.getBoolean(1);

    GoldTransforms.CatalogSources sources =
        new GoldTransforms.CatalogSources(
            allPlays,
            bronze(spark, storage, BronzeJob.Table.PLAYLIST_ITEMS),
            bronze(spark, storage, BronzeJob.Table.NEW_RELEASES),
            bronze(spark, storage, BronzeJob.Table.ALBUM_TRACKS),
            bronze(spark, storage, BronzeJob.Table.TRACK_LOOKUPS),
            bronze(spark, storage, BronzeJob.Table.ALBUM_LOOKUPS),
            bronze(spark, storage, BronzeJob.Table.ARTIST_LOOKUPS));
    Dataset<Row> tracks = GoldTransforms.dimTracks(sources).persist(StorageLevel.MEMORY_AND_DISK());
    // Polled plays of the day and the match tolerance around it (a play a few seconds before
    // midnight landed the day before), merged with the imported streaming history.
    Instant dayStart = config.date().atStartOfDay(ZoneOffset.UTC).toInstant();
    Dataset<Row> polled =
        GoldTransforms.listens(
            allPlays.filter(
                col("date")
                    .between(
                        lit(config.date().minusDays(1).toString()).cast("date"),
                        lit(lastLanding.toString()).cast("date"))),
            dayStart.minus(StreamingHistory.MATCH_TOLERANCE),
            dayStart.plus(Duration.ofDays(1)).plus(StreamingHistory.MATCH_TOLERANCE));
    Dataset<Row> streams =
        bronze(spark, storage, BronzeJob.Table.STREAMS)
            .filter(
                col("date")
                    .between(
                        lit(config.date().minusDays(1).toString()).cast("date"),
                        lit(config.date().plusDays(1).toString()).cast("date")));
    Dataset<Row> listens =
        HistoryMerge.merge(spark, polled, streams, tracks, config.date())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> albums = GoldTransforms.dimAlbums(sources).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> artists =
        GoldTransforms.dimArtists(sources).persist(StorageLevel.MEMORY_AND_DISK());
    // The day's catalog facts: new releases with their tracks, playlist snapshots.
    Dataset<Row> releases =
        GoldTransforms.newReleases(sources.newReleases(), config.date())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> trackLists =
        TrackLists.latest(TrackLists.observations(sources.albumTracks(), sources.albumLookups()));
    Dataset<Row> releaseTracks =
        GoldTransforms.newReleaseTracks(releases, trackLists)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> playlistItems =
        GoldTransforms.playlistSnapshots(sources.playlistItems(), config.date())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // Rows and distinct keys in one query (each query pays planning, code generation and JIT).
      Row keys =
          listens.agg(count(lit(1)), countDistinct(col("user_key"), col("played_at"))).first();
      long listenRows = keys.getLong(0);
      if (playsOfDate && listenRows == 0) {
        failures.add(
            "fct_listens has no row for "
                + config.date()
                + " although bronze holds plays of that date");
      }
      long distinctKeys = keys.getLong(1);
      if (distinctKeys != listenRows) {
        failures.add(
            "fct_listens has "
                + (listenRows - distinctKeys)
                + " duplicate (user_key, played_at) keys");
      }
      failures.addAll(unique(GoldTable.DIM_TRACKS, tracks, "track_id", metrics));
      failures.addAll(unique(GoldTable.DIM_ALBUMS, albums, "album_id", metrics));
      failures.addAll(unique(GoldTable.DIM_ARTISTS, artists, "artist_id", metrics));
      Map<GoldTable, Dataset<Row>> facts = new LinkedHashMap<>();
      facts.put(GoldTable.FCT_LISTENS, listens);
      facts.put(GoldTable.FCT_PLAYLIST_ITEMS, playlistItems);
      facts.put(GoldTable.FCT_NEW_RELEASES, releases);
      facts.put(GoldTable.FCT_NEW_RELEASE_TRACKS, releaseTracks);
      failures.addAll(
          FactIds.check(
              facts,
              Map.of(
                  GoldTable.DIM_TRACKS, tracks,
                  GoldTable.DIM_ALBUMS, albums,
                  GoldTable.DIM_ARTISTS, artists),
              metrics));
      if (!failures.isEmpty()) {
        // Gates run before anything is written: a failed run leaves gold as it was.
        metrics.put("failures", failures);
        Metrics.write(storage, config.metricsRoot(), "gold", config.date(), metrics);
        throw new QualityGateFailed("gold", failures);
      }

      if (listenRows > 0) {
        writePartitions(listens, GoldTable.FCT_LISTENS);
      }
      writeTable(tracks.drop("artists"), GoldTable.DIM_TRACKS);
      writeTable(albums.drop("album_artists"), GoldTable.DIM_ALBUMS);
      writeTable(artists, GoldTable.DIM_ARTISTS);
      writeTable(GoldTransforms.trackArtists(tracks), GoldTable.BRIDGE_TRACK_ARTISTS);
      metrics.put(GoldTable.FCT_LISTENS.tableName() + "_rows", listenRows);
      for (Row bySource : listens.groupBy("source").count().collectAsList()) {
        metrics.put(
            GoldTable.FCT_LISTENS.tableName() + "_" + bySource.getString(0), bySource.getLong(1));
      }
      metrics.put(GoldTable.FCT_LISTENS.tableName() + "_exact", exact);
      metrics.put("lateness_window_closes_at", windowCloses.toString());

      writeDay(releases, GoldTable.FCT_NEW_RELEASES, metrics);
      writeDay(releaseTracks, GoldTable.FCT_NEW_RELEASE_TRACKS, metrics);
      long releasedAlbums = releases.select("album_id").distinct().count();
      long albumsWithTracks = releaseTracks.select("album_id").distinct().count();
      // Albums whose track list is not complete yet: the next enrichment list asks for them.
      metrics.put("new_release_albums_without_track_list", releasedAlbums - albumsWithTracks);
      writeDay(playlistItems, GoldTable.FCT_PLAYLIST_ITEMS, metrics);
      // Completeness next to the numbers: the extractor's gap reports and the quarantine counts.
      metrics.putAll(
          HealthTables.write(
              spark,
              storage,
              config.bronze(),
              config.date(),
              lastLanding,
              sink,
              config.sinkKind() == SinkKind.PARQUET ? config.gold() : null));
      if (!exact) {
        log.warn(
            "fct_listens for {} is provisional: plays can still land until {} (lateness {}); re-run after that for the exact partition",
            config.date(),
            windowCloses,
            config.lateness());
      }
      Metrics.write(storage, config.metricsRoot(), "gold", config.date(), metrics);
      return metrics;
    } finally {
      for (Dataset<Row> d :
          List.of(listens, tracks, albums, artists, releases, releaseTracks, playlistItems)) {
        d.unpersist();
      }
    }
  }

  /**
   * A day's partition of a catalog fact, written when it has rows (a day the endpoint was not
   * landed, or a development-mode app's new releases, leaves the table as it was).
   */
  private void writeDay(Dataset<Row> day, GoldTable table, Map<String, Object> metrics)
      throws Exception {
    long n = day.count();
    if (n > 0) {
      writePartitions(day, table);
    }
    metrics.put(table.tableName() + "_rows", n);
  }

  private void writePartitions(Dataset<Row> rows, GoldTable table) throws Exception {
    sink.writePartitions(
        rows,
        table.tableName(),
        table
            .partitionColumn()
            .orElseThrow(() -> new IllegalStateException(table + " is not partitioned")));
  }

  private void writeTable(Dataset<Row> rows, GoldTable table) throws Exception {
    if (table.partitionColumn().isPresent()) {
      throw new IllegalStateException(table + " is partitioned: write its partitions");
    }
    sink.writeTable(rows, table.tableName());
  }

  /** The gate on a dimension: unique ids. Records the dimension's row count in {@code metrics}. */
  private static List<String> unique(
      GoldTable table, Dataset<Row> dim, String idColumn, Map<String, Object> metrics) {
    String name = table.tableName();
    List<String> failures = new ArrayList<>();
    Row counts = dim.agg(count(lit(1)), countDistinct(col(idColumn))).first();
    long rows = counts.getLong(0);
    metrics.put(name + "_rows", rows);
    long ids = counts.getLong(1);
    if (rows != ids) {
      failures.add(name + " has " + (rows - ids) + " duplicate " + idColumn + " values");
    }
    return failures;
  }

  /** A bronze table, or an empty one with its declared shape when it was never written. */
  private Dataset<Row> bronze(SparkSession spark, Storage storage, BronzeJob.Table table)
      throws java.io.IOException {
    return BronzeJob.readOrEmpty(spark, storage, config.bronze(), table);
  }

  private Dataset<Row> table(SparkSession spark, Storage storage, BronzeJob.Table table)
      throws Exception {
    String uri = config.bronze() + "/" + table.table();
    return storage.hasData(uri) ? spark.read().parquet(uri) : null;
  }
}
