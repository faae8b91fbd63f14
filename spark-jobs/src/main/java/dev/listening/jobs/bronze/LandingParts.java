package dev.listening.jobs.bronze;

import static org.apache.spark.sql.functions.*;

import dev.listening.landing.Endpoint;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Which landing files of one endpoint and date bronze reads, decided before Spark opens any: a part
 * a run manifest lists is read when its size is the size the manifest recorded; a part no manifest
 * lists (a crashed attempt's, never resumed) is read when it is a whole gzip file. Every other file
 * (truncated, not gzip, empty, not a part at all, listed but missing) is quarantined by name with
 * its reason, and the rest of the date is processed: one broken file never fails a day, nor shows
 * Spark's stack trace instead of its name.
 */
final class LandingParts {
  private LandingParts() {}

  /** A file bronze does not read, why, and how many records it stands for. */
  record Unreadable(String file, String reason, long records) {}

  /** The files to read, the ones left out, and the unlisted parts that were read. */
  record Selection(List<String> read, List<Unreadable> unreadable, int unlistedRead) {}

  /** The part of a manifest this step reads, declared (never inferred). */
  static final StructType MANIFEST =
      StructType.fromDDL(
          RunManifest.PARTS
              + " ARRAY<STRUCT<"
              + RunManifest.PART_PATH
              + ": STRING, "
              + RunManifest.PART_ITEMS
              + ": BIGINT, "
              + RunManifest.PART_BYTES
              + ": BIGINT>>");

  private static final Pattern RUN = Pattern.compile("/" + LandingPartition.RUN + "=([^/]+)/");

  static Selection select(SparkSession spark, String landing, Endpoint endpoint, LocalDate date)
      throws IOException {
    String dateDir = LandingPartition.dateDirectory(endpoint, date);
    Path root = new Path(landing + "/" + dateDir);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Map<String, LocatedFileStatus> parts = new LinkedHashMap<>();
    List<String> manifests = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
    while (files.hasNext()) {
      LocatedFileStatus f = files.next();
      String name = f.getPath().getName();
      if (name.equals(LandingPartition.MANIFEST)) {
        manifests.add(text(fs, f.getPath()));
      } else if (LandingPartition.isPart(name)) {
        parts.put(relative(f.getPath().toString(), dateDir), f);
      } else if (!name.startsWith(".") && !name.startsWith("_")) {
        unreadable.add(
            new Unreadable(
                f.getPath().toString(),
                "not a landing part (parts are named part-NNNNN.ndjson.gz): move it out of the"
                    + " landing",
                1));
      }
    }
    Map<String, Row> listed = listed(spark, manifests);
    List<String> read = new ArrayList<>();
    int unlistedRead = 0;
    for (Map.Entry<String, LocatedFileStatus> e : parts.entrySet()) {
      String file = e.getValue().getPath().toString();
      long size = e.getValue().getLen();
      Row part = listed.remove(e.getKey());
      if (part != null) {
        long bytes = part.getLong(2);
        if (size == bytes) {
          read.add(file);
        } else {
          unreadable.add(
              new Unreadable(
                  file,
                  size
                      + " bytes where its run manifest lists "
                      + bytes
                      + ": truncated or changed after landing; restore it or land the run again",
                  Math.max(1, part.getLong(1))));
        }
        continue;
      }
      String problem = gzipProblem(fs, e.getValue());
      if (problem == null) {
        read.add(file);
        unlistedRead++;
      } else {
        unreadable.add(new Unreadable(file, problem, 1));
      }
    }
    for (Row missing : listed.values()) {
      unreadable.add(
          new Unreadable(
              landing + "/" + missing.getString(0),
              "listed in its run manifest but missing: its records are lost unless the run is"
                  + " landed again",
              Math.max(1, missing.getLong(1))));
    }
    return new Selection(read, unreadable, unlistedRead);
  }

  /** The parts every manifest lists, keyed by their path under the landing root. */
  private static Map<String, Row> listed(SparkSession spark, List<String> manifests) {
    Map<String, Row> listed = new HashMap<>();
    if (manifests.isEmpty()) {
      return listed;
    }
    List<Row> rows = manifests.stream().map(m -> RowFactory.create(m)).toList();
    Dataset<Row> parsed =
        spark
            .createDataFrame(rows, new StructType().add("value", "string"))
            .select(explode(from_json(col("value"), MANIFEST).getField(RunManifest.PARTS)).as("p"))
            .select(
                col("p." + RunManifest.PART_PATH),
                coalesce(col("p." + RunManifest.PART_ITEMS), lit(0L)),
                col("p." + RunManifest.PART_BYTES))
            .filter(
                col(RunManifest.PART_PATH)
                    .isNotNull()
                    .and(col(RunManifest.PART_BYTES).isNotNull()));
    for (Row r : parsed.collectAsList()) {
      listed.put(r.getString(0), r);
    }
    return listed;
  }

  /** The path from the endpoint folder on, as manifests list it. */
  private static String relative(String uri, String dateDir) {
    int at = uri.lastIndexOf(dateDir + "/");
    return at < 0 ? uri : uri.substring(at);
  }

  /** Why a file is not a whole gzip file, or null when it is. */
  static String gzipProblem(FileSystem fs, LocatedFileStatus f) {
    if (f.getLen() == 0) {
      return "an empty file, not a gzip landing part";
    }
    try (InputStream in = new GZIPInputStream(fs.open(f.getPath()), 1 << 16)) {
      in.transferTo(OutputStream.nullOutputStream());
      return null;
    } catch (EOFException e) {
      return "a truncated gzip file: it ends before its gzip trailer";
    } catch (ZipException e) {
      return "not a gzip file, or a corrupt one (" + e.getMessage() + ")";
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  private static String text(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The unreadable files as quarantine rows (no raw line: the file is the evidence). */
  static Dataset<Row> quarantine(
      SparkSession spark, Endpoint endpoint, LocalDate date, List<Unreadable> unreadable) {
    List<Row> rows = new ArrayList<>();
    for (Unreadable u : unreadable) {
      Matcher run = RUN.matcher(u.file());
      rows.add(
          RowFactory.create(
              endpoint.landingName(),
              "landing file " + u.reason(),
              null,
              u.records(),
              null,
              u.file(),
              run.find() ? run.group(1) : null,
              java.sql.Date.valueOf(date)));
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add("endpoint", "string")
            .add("reason", "string")
            .add("item_index", "int")
            .add("records", "long")
            .add("raw_line", "string")
            .add("landing_file", "string")
            .add("run_id", "string")
            .add("date", "date"));
  }
}
