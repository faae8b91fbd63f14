package dev.listening.jobs.bronze;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.InputMissing;
import dev.listening.jobs.Job;
import dev.listening.jobs.JobArgs;
import dev.listening.jobs.Metrics;
import dev.listening.jobs.QualityGateFailed;
import dev.listening.jobs.Storage;
import dev.listening.jobs.Tables;
import dev.listening.landing.Endpoint;
import dev.listening.landing.LandingPartition;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Landing NDJSON of one date to bronze Parquet, per endpoint: {@code <bronze>/<table>/date=<d>/}
 * and quarantined records in {@code <bronze>/quarantine/date=<d>/endpoint=<e>/}. Re-running
 * replaces exactly those partitions.
 *
 * <pre>bronze --landing L --bronze B --date 2026-11-20 [--endpoints recently_played,tracks]
 *        [--max-quarantine-share 0.01]</pre>
 */
public final class BronzeJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(BronzeJob.class);

  /** The quarantine table's folder: {@code <bronze>/quarantine/date=D/endpoint=E/}. */
  public static final String QUARANTINE = "quarantine";

  /** A landing endpoint, its bronze table and its transform. */
  public enum Table {
    PLAYS(Endpoint.RECENTLY_PLAYED, "plays", BronzeTransforms::parsePlays, BronzeTransforms::plays),
    TRACK_LOOKUPS(
        Endpoint.TRACKS,
        "track_lookups",
        BronzeTransforms::parseTrackLookups,
        BronzeTransforms::trackLookups),
    ALBUM_LOOKUPS(
        Endpoint.ALBUMS,
        "album_lookups",
        BronzeTransforms::parseAlbumLookups,
        BronzeTransforms::albumLookups),
    ARTIST_LOOKUPS(
        Endpoint.ARTISTS,
        "artist_lookups",
        BronzeTransforms::parseArtistLookups,
        BronzeTransforms::artistLookups),
    NEW_RELEASES(
        Endpoint.NEW_RELEASES,
        "new_releases",
        BronzeTransforms::parseNewReleases,
        BronzeTransforms::newReleases),
    PLAYLIST_ITEMS(
        Endpoint.PLAYLIST_ITEMS,
        "playlist_items",
        BronzeTransforms::parsePlaylistItems,
        BronzeTransforms::playlistItems),
    ALBUM_TRACKS(
        Endpoint.ALBUM_TRACKS,
        "album_tracks",
        BronzeTransforms::parseAlbumTracks,
        BronzeTransforms::albumTracks),
    /** Imported streaming-history exports: one row per stream, every kind (music, episodes...). */
    STREAMS(
        Endpoint.STREAMING_HISTORY,
        "streams",
        BronzeTransforms::parseStreams,
        BronzeTransforms::streams);

    final Endpoint endpoint;
    final String table;
    final Function<Dataset<Row>, Dataset<Row>> parse;
    final Function<Dataset<Row>, BronzeTransforms.Split> split;

    Table(
        Endpoint endpoint,
        String table,
        Function<Dataset<Row>, Dataset<Row>> parse,
        Function<Dataset<Row>, BronzeTransforms.Split> split) {
      this.endpoint = endpoint;
      this.table = table;
      this.parse = parse;
      this.split = split;
    }

    /** The landing endpoint this table is built from. */
    public Endpoint endpoint() {
      return endpoint;
    }

    /** The bronze table's folder name, e.g. "plays". */
    public String table() {
      return table;
    }

    /** The table built from a landing endpoint. */
    public static Table of(Endpoint endpoint) {
      for (Table t : values()) {
        if (t.endpoint == endpoint) {
          return t;
        }
      }
      throw new IllegalArgumentException("no bronze table for landing endpoint " + endpoint);
    }

    /** The records of landing lines (value, landing_file, date), the quarantine left out. */
    public Dataset<Row> records(Dataset<Row> lines) {
      return split.apply(parse.apply(lines)).records();
    }

    /** No records, with this table's schema (derived from the transform itself). */
    public Dataset<Row> emptyRecords(SparkSession spark) {
      Dataset<Row> noLines =
          spark.createDataFrame(
              List.of(),
              new org.apache.spark.sql.types.StructType()
                  .add("value", "string")
                  .add("landing_file", "string")
                  .add("date", "string"));
      return split.apply(parse.apply(noLines)).records();
    }
  }

  /**
   * @param required true when endpoints were named: each must have landing data for the date
   */
  public record Config(
      String landing,
      String bronze,
      LocalDate date,
      List<Table> tables,
      boolean required,
      double maxQuarantineShare) {}

  private final Config config;

  /** A bronze table, or an empty one with its schema when the endpoint was never landed. */
  public static Dataset<Row> readOrEmpty(
      SparkSession spark, Storage storage, String bronze, Table table) throws java.io.IOException {
    String uri = bronze + "/" + table.table();
    return storage.hasData(uri) ? spark.read().parquet(uri) : table.emptyRecords(spark);
  }

  public BronzeJob(Config config) {
    this.config = config;
  }

  public static Job create(JobArgs a) {
    a.renamed("date", "landing-date");
    String landing = a.uri("landing", "Landing root the extractor wrote (local folder or gs://).");
    String bronze = a.uri("bronze", "Bronze root to write (local folder or gs://bucket/prefix).");
    LocalDate date =
        a.date(
            "landing-date",
            "The landing date to read (the date= folder the extractor wrote), YYYY-MM-DD."
                + " (--date is accepted too.)");
    String names =
        a.optional(
            "endpoints",
            "all",
            "Comma-separated landing endpoints ("
                + Endpoint.allNames()
                + "), each of which must have landed on the date; or all, or "
                + Endpoint.LOOKUPS_GROUP
                + " (what the look-ups command lands: "
                + Endpoint.LOOKUPS.stream().map(Endpoint::landingName).toList()
                + "); these two read what landed.");
    List<Table> tables = new ArrayList<>();
    boolean group = names.equals("all") || names.equals(Endpoint.LOOKUPS_GROUP);
    if (names.equals("all")) {
      tables.addAll(List.of(Table.values()));
    } else if (names.equals(Endpoint.LOOKUPS_GROUP)) {
      Endpoint.LOOKUPS.forEach(e -> tables.add(Table.of(e)));
    } else {
      for (String n : names.split(",")) {
        try {
          tables.add(Table.of(Endpoint.fromLandingName(n)));
        } catch (IllegalArgumentException e) {
          a.problem("--endpoints: " + e.getMessage());
        }
      }
    }
    double share =
        a.fraction(
            "max-quarantine-share",
            0.01,
            "Largest share of records an endpoint may quarantine before the job fails (exit 4).");
    a.check();
    return new BronzeJob(new Config(landing, bronze, date, tables, !group, share));
  }

  @Override
  public Map<String, Object> run(SparkSession spark) throws Exception {
    log.info("bronze: {}", config);
    Storage storage = new Storage(spark);
    if (!storage.exists(config.landing())) {
      throw new InputMissing(
          "--landing "
              + config.landing()
              + " does not exist: point it at the folder or bucket prefix the extractor landed in");
    }
    // Runs for other endpoints of the same date keep their figures: this run adds its own.
    Map<String, Object> metrics = Metrics.read(storage, config.bronze(), "bronze", config.date());
    metrics.put("job", "bronze");
    metrics.put("date", config.date().toString());
    List<String> failures = new ArrayList<>();
    for (Table table : config.tables()) {
      Endpoint endpoint = table.endpoint();
      String dir = config.landing() + "/" + LandingPartition.dateDirectory(endpoint, config.date());
      if (!storage.hasData(dir)) {
        if (config.required()) {
          failures.add(
              "no landing data for "
                  + endpoint.landingName()
                  + " on "
                  + config.date()
                  + " under "
                  + dir);
        }
        continue;
      }
      metrics.put(endpoint.landingName(), one(spark, storage, table, dir, failures));
    }
    if (config.tables().contains(Table.PLAYS)) {
      // The extractor's gap reports, from the run manifests, for the warehouse's data health.
      metrics.put(
          PollGaps.TABLE,
          PollGaps.toBronze(spark, storage, config.landing(), config.bronze(), config.date()));
    }
    Metrics.write(storage, config.bronze(), "bronze", config.date(), metrics);
    if (!failures.isEmpty()) {
      throw new QualityGateFailed("bronze", failures);
    }
    return metrics;
  }

  private Map<String, Object> one(
      SparkSession spark, Storage storage, Table table, String dir, List<String> failures)
      throws Exception {
    long start = System.nanoTime();
    Endpoint endpoint = table.endpoint();
    LandingParts.Selection files =
        LandingParts.select(spark, config.landing(), endpoint, config.date());
    for (LandingParts.Unreadable u : files.unreadable()) {
      log.warn(
          "bronze {} {}: quarantined {}: {}",
          endpoint.landingName(),
          config.date(),
          u.file(),
          u.reason());
    }
    Dataset<Row> lines =
        (files.read().isEmpty()
                ? spark.createDataFrame(List.of(), new StructType().add("value", "string"))
                : spark.read().text(files.read().toArray(String[]::new)))
            .select(
                col("value"),
                input_file_name().as("landing_file"),
                lit(config.date().toString()).as("date"));
    // One pass over the JSON, which is the cost: the write also counts the pages, the lines with
    // a problem and the records (Observation). The quarantine needs a second parse only when
    // that pass saw a problem, which on a clean day it does not.
    Observation seen = new Observation("lines-" + endpoint.landingName());
    Observation written = new Observation("records-" + endpoint.landingName());
    Dataset<Row> parsed =
        table
            .parse
            .apply(lines)
            .observe(
                seen,
                count(lit(1)).as("pages"),
                sum(when(col("raw_line").isNotNull(), 1).otherwise(0)).as("problem_lines"));
    BronzeTransforms.Split split = table.split.apply(parsed);
    String tableUri = config.bronze() + "/" + table.table;
    String partition = "date=" + config.date();
    split
        .records()
        .observe(written, count(lit(1)).as("rows"))
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("date")
        .parquet(tableUri);
    long pages = ((Number) seen.getAsJava().get("pages")).longValue();
    long problemLines = ((Number) seen.getAsJava().get("problem_lines")).longValue();
    long records = ((Number) written.getAsJava().get("rows")).longValue();
    if (records == 0) {
      // Nothing was written: drop what an earlier run left in this partition.
      storage.delete(tableUri + "/" + partition);
    }
    long quarantined = 0;
    String quarantinePartition = partition + "/endpoint=" + endpoint.landingName();
    if (problemLines > 0 || !files.unreadable().isEmpty()) {
      Dataset<Row> quarantine =
          split
              .quarantine()
              .unionByName(
                  LandingParts.quarantine(spark, endpoint, config.date(), files.unreadable()))
              .cache();
      long rows = quarantine.count();
      quarantined = rows == 0 ? 0 : quarantine.agg(sum(col("records"))).first().getLong(0);
      Tables.overwritePartitions(
          quarantine,
          config.bronze() + "/" + QUARANTINE,
          rows,
          quarantinePartition,
          storage,
          "date",
          "endpoint");
      quarantine.unpersist();
    } else {
      storage.delete(config.bronze() + "/" + QUARANTINE + "/" + quarantinePartition);
    }
    double share = records + quarantined == 0 ? 0 : (double) quarantined / (records + quarantined);
    if (files.read().isEmpty()) {
      failures.add(
          endpoint.landingName()
              + ": no readable landing file under "
              + dir
              + "; see "
              + config.bronze()
              + "/"
              + QUARANTINE
              + "/"
              + quarantinePartition);
    } else if (pages == 0) {
      failures.add(endpoint.landingName() + ": landing files under " + dir + " hold no lines");
    } else if (records == 0 && quarantined > 0) {
      failures.add(
          endpoint.landingName()
              + ": nothing usable in "
              + pages
              + " pages; every record was quarantined");
    }
    if (share > config.maxQuarantineShare()) {
      failures.add(
          String.format(
              Locale.ROOT,
              "%s: %.2f%% of records quarantined (%d of %d), above --max-quarantine-share %.2f%%;"
                  + " see %s/"
                  + QUARANTINE
                  + "/%s",
              endpoint.landingName(),
              share * 100,
              quarantined,
              records + quarantined,
              config.maxQuarantineShare() * 100,
              config.bronze(),
              quarantinePartition));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", table.table);
    m.put("files_in", files.read().size());
    m.put("files_quarantined", files.unreadable().size());
    m.put("unlisted_parts_read", files.unlistedRead());
    m.put("pages_in", pages);
    m.put("rows_out", records);
    m.put("quarantined", quarantined);
    m.put("quarantine_share", share);
    m.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
    log.info("bronze {} {}: {}", endpoint.landingName(), config.date(), m);
    return m;
  }
}
