package dev.listening.jobs.bronze;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.QualityGateFailed;
import dev.listening.jobs.Storage;
import dev.listening.jobs.Tables;
import dev.listening.landing.Endpoint;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The extractor's gap reports, from the recently-played run manifests of one landing date into
 * bronze {@code poll_gaps/date=D/}. A gap is a full page whose oldest play is newer than the user's
 * watermark: the plays between the two were pushed out of Spotify's 50-play horizon before the
 * poll. Gaps live only in the manifests ({@code details.gaps}); this step carries them to the lake
 * so the warehouse can show completeness next to the numbers.
 *
 * <p>The manifest's field names are the extractor's; they are named here, once, until the landing
 * module owns them.
 */
public final class PollGaps {
  private PollGaps() {}

  /** The bronze table. */
  public static final String TABLE = "poll_gaps";

  // The extractor's manifest: <landing>/recently_played/date=D/run=R/shard=i-of-n/_manifest.json
  // The manifest's field names, from the landing contract.
  static final String ENDPOINT = Endpoint.RECENTLY_PLAYED.landingName();
  static final String MANIFEST_FILE = LandingPartition.MANIFEST;
  static final String RUN_ID = RunManifest.RUN_ID;
  static final String SHARD = RunManifest.SHARD;
  static final String STATUS = RunManifest.STATUS;
  static final String DETAILS = RunManifest.DETAILS;
  static final String GAPS = RunManifest.DETAIL_GAPS;
  static final String USER_KEY = RunManifest.Gap.USER_KEY;
  static final String WATERMARK = RunManifest.Gap.WATERMARK;
  static final String OLDEST_IN_PAGE = RunManifest.Gap.OLDEST_IN_PAGE;
  static final String FETCHED_AT = RunManifest.Gap.FETCHED_AT;

  /** The part of a manifest this step reads, declared (never inferred). */
  public static final StructType MANIFEST =
      StructType.fromDDL(
          RUN_ID
              + " STRING, "
              + SHARD
              + " STRING, "
              + STATUS
              + " STRING, "
              + DETAILS
              + " STRUCT<"
              + GAPS
              + ": ARRAY<STRUCT<"
              + USER_KEY
              + ": STRING, "
              + WATERMARK
              + ": STRING, "
              + OLDEST_IN_PAGE
              + ": STRING, "
              + FETCHED_AT
              + ": STRING>>>");

  /** Manifest files as (value = the whole JSON document, manifest_file, date). */
  static final StructType FILES =
      new StructType().add("value", "string").add("manifest_file", "string").add("date", "string");

  /**
   * Manifests parsed with {@link #MANIFEST}: (manifest_file, date, m); m._corrupt_record set when
   * the file is not JSON or breaks the declared types.
   */
  public static Dataset<Row> parse(Dataset<Row> manifests) {
    return manifests.select(
        col("manifest_file"),
        col("date"),
        from_json(
                col("value"),
                MANIFEST.add("_corrupt_record", "string"),
                java.util.Map.of("columnNameOfCorruptRecord", "_corrupt_record"))
            .as("m"));
  }

  /** One row per reported gap of the parsed manifests (manifests without gaps give none). */
  public static Dataset<Row> gaps(Dataset<Row> parsed) {
    return parsed
        .filter(col("m._corrupt_record").isNull())
        .select(
            col("manifest_file"),
            col("date"),
            col("m." + RUN_ID).as("run_id"),
            col("m." + SHARD).as("shard"),
            explode(col("m." + DETAILS + "." + GAPS)).as("g"))
        .select(
            col("g." + USER_KEY).as("user_key"),
            BronzeTransforms.utcTimestamp(col("g." + WATERMARK)).as("watermark"),
            BronzeTransforms.utcTimestamp(col("g." + OLDEST_IN_PAGE)).as("oldest_in_page"),
            BronzeTransforms.utcTimestamp(col("g." + FETCHED_AT)).as("fetched_at"),
            col("run_id"),
            col("shard"),
            col("manifest_file"),
            col("date").cast("date").as("date"));
  }

  /**
   * Reads the date's manifests and replaces bronze {@code poll_gaps/date=D/}; returns the number of
   * gaps. A manifest that is not JSON, or a gap without its user or with an unreadable instant,
   * fails the step naming the file: the extractor writes manifests last, so a broken one means the
   * landing itself needs looking at, and nothing is written.
   */
  public static long toBronze(
      SparkSession spark, Storage storage, String landing, String bronze, LocalDate date)
      throws IOException {
    Dataset<Row> parsed = parse(spark.createDataFrame(manifests(spark, landing, date), FILES));
    List<String> problems = new ArrayList<>();
    for (Row bad :
        parsed
            .filter(col("m._corrupt_record").isNotNull())
            .select("manifest_file")
            .collectAsList()) {
      problems.add(
          "manifest "
              + bad.getString(0)
              + " is not JSON of the declared shape: look at the extraction run that wrote it");
    }
    Dataset<Row> rows = gaps(parsed).cache();
    try {
      for (Row bad :
          rows.filter(
                  col("user_key")
                      .isNull()
                      .or(col("watermark").isNull())
                      .or(col("oldest_in_page").isNull())
                      .or(col("fetched_at").isNull()))
              .select("manifest_file")
              .distinct()
              .collectAsList()) {
        problems.add(
            "manifest "
                + bad.getString(0)
                + " has a gap report without user_key or with an instant that is not ISO-8601");
      }
      if (!problems.isEmpty()) {
        throw new QualityGateFailed("bronze", problems);
      }
      long count = rows.count();
      Tables.overwritePartitions(
          rows, bronze + "/" + TABLE, count, "date=" + date, storage, "date");
      return count;
    } finally {
      rows.unpersist();
    }
  }

  /** Every run manifest of the date, read whole (they are small: one per run and shard). */
  static List<Row> manifests(SparkSession spark, String landing, LocalDate date)
      throws IOException {
    Path pattern =
        new Path(landing + "/" + ENDPOINT + "/date=" + date + "/run=*/shard=*/" + MANIFEST_FILE);
    FileSystem fs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration());
    FileStatus[] found = fs.globStatus(pattern);
    List<Row> rows = new ArrayList<>();
    if (found == null) {
      return rows;
    }
    Arrays.sort(found);
    for (FileStatus f : found) {
      try (InputStream in = fs.open(f.getPath())) {
        rows.add(
            RowFactory.create(
                new String(in.readAllBytes(), StandardCharsets.UTF_8),
                f.getPath().toString(),
                date.toString()));
      }
    }
    return rows;
  }
}
