package dev.listening.jobs;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.testing.FakeGcsServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on gs:// as on Dataproc: bronze, the look-up list and gold read the landing from a
 * bucket and write bronze, the list and gold to a bucket, through the real Cloud Storage connector
 * (the version the Dataproc runtime installs). The bucket is fake-gcs-server's, run as a process on
 * loopback (an emulator: real GCS cannot be reached from the tests), which the connector reaches by
 * its root URL with no credentials. The same jobs on the same landing in a local folder give the
 * expected rows: every table must be equal, row for row.
 */
class GcsJobsTest {
  private static final String BUCKET = "lake";
  private static final String ROOT = "gs://" + BUCKET + "/run-1";

  @TempDir static Path local;

  @BeforeAll
  static void pointTheConnectorAtTheEmulator() throws Exception {
    FakeGcsServer server = FakeGcsServer.shared();
    server.createBucket(BUCKET);
    // Only gs:// paths read these (the connector's own settings, as its 3.1 line names them), so
    // the other tests sharing this JVM's session are unaffected.
    Configuration conf = TestSpark.get().sparkContext().hadoopConfiguration();
    conf.set("fs.gs.storage.root.url", server.url() + "/");
    conf.set("fs.gs.auth.type", "UNAUTHENTICATED");
    conf.set("fs.gs.project.id", "test");
    // Renames (the output committer's) by copy and delete: fake-gcs-server has no objects.move,
    // the one-request move the connector uses on GCS by default. A difference from production.
    conf.set("fs.gs.operation.move.enable", "false");
  }

  @Test
  void bronzeTheLookUpListAndGoldOnGcsWriteTheRowsTheyWriteLocally() throws Exception {
    Path landing = local.resolve("landing");
    JobsTest.writeSampleDay(landing);
    String ar = artist("ar1", "Artist");
    LandingFiles.write(
        landing,
        "tracks",
        "2026-11-20",
        "lk",
        envelope(
            "tracks",
            "\"id\":\"t1\"",
            null,
            "2026-11-20T15:00:00Z",
            "lk",
            200,
            track("t1", "One", album("al1", "Album", "2001-02-03", "day", ar), ar)));
    // The landing goes up as the extractor leaves it: parts and manifests, same names.
    FileSystem gcs = FileSystem.get(URI.create(ROOT), conf());
    gcs.copyFromLocalFile(
        false, true, new org.apache.hadoop.fs.Path(landing.toUri()), gcsPath("/landing"));
    assertThat(files(ROOT + "/landing"))
        .as("the landing, uploaded")
        .contains(
            "recently_played/date=2026-11-20/run=poll-13/shard=0-of-1/part-00000.ndjson.gz",
            "recently_played/date=2026-11-20/run=poll-13/shard=0-of-1/_manifest.json");

    runAll(ROOT);
    runAll(local.toUri().toString().replaceAll("/$", ""));

    assertThat(files(ROOT + "/bronze"))
        .as("bronze on the bucket")
        .anyMatch(f -> f.startsWith("plays/date=2026-11-20/") && f.endsWith(".parquet"))
        .anyMatch(f -> f.startsWith("track_lookups/date=2026-11-20/"))
        .contains("_metrics/bronze/date=2026-11-20.json");
    assertThat(files(ROOT + "/gold"))
        .as("gold on the bucket")
        .anyMatch(f -> f.startsWith("fct_listens/play_date=2026-11-20/") && f.endsWith(".parquet"))
        .contains("_metrics/gold/date=2026-11-20.json");
    List<String> tables = tables("bronze");
    tables.addAll(tables("gold"));
    assertThat(tables).contains("bronze/plays", "bronze/track_lookups", "gold/fct_listens");
    for (String table : tables) {
      assertThat(rows(ROOT + "/" + table, ROOT))
          .as("%s on gs:// and in a local folder", table)
          .isEqualTo(rows(local.toUri() + table, local.toUri().toString()));
    }
    assertThat(rows(ROOT + "/gold/fct_listens", ROOT))
        .as("the listens themselves, so that equal can never mean empty")
        .hasSize(4);
    assertThat(lines(ROOT + "/lookups/date=2026-11-20"))
        .as("the look-up list")
        .isEqualTo(lines(local.toUri() + "lookups/date=2026-11-20"))
        .contains("entity_type,id", "track,t2");
  }

  /** Bronze for both landing dates, the look-up list, then gold, as the daily DAG runs them. */
  private static void runAll(String root) {
    for (String date : List.of("2026-11-20", "2026-11-21")) {
      assertThat(
              JobsMain.run(
                  "bronze",
                  "--landing",
                  root + "/landing",
                  "--bronze",
                  root + "/bronze",
                  "--landing-date",
                  date))
          .as("bronze %s under %s", date, root)
          .isZero();
    }
    assertThat(
            JobsMain.run(
                "enrichment-list",
                "--bronze",
                root + "/bronze",
                "--out",
                root + "/lookups",
                "--landing-date",
                "2026-11-20"))
        .as("enrichment-list under %s", root)
        .isZero();
    assertThat(
            JobsMain.run(
                "gold",
                "--bronze",
                root + "/bronze",
                "--gold",
                root + "/gold",
                "--play-date",
                "2026-11-20"))
        .as("gold under %s", root)
        .isZero();
  }

  /** "bronze/<table>" for every table the gs:// run wrote under bronze or gold. */
  private static List<String> tables(String layer) throws IOException {
    List<String> found = new ArrayList<>();
    for (FileStatus s : FileSystem.get(URI.create(ROOT), conf()).listStatus(gcsPath("/" + layer))) {
      String name = s.getPath().getName();
      if (s.isDirectory() && !name.startsWith("_")) {
        found.add(layer + "/" + name);
      }
    }
    return found;
  }

  /** A table's rows as sorted JSON, its root written as ROOT (lineage names the landing file). */
  private static List<String> rows(String table, String root) {
    // Local roots appear as file:/x, file:///x or /x: all become /x, then ROOT.
    String bare = root.replaceAll("/$", "").replaceFirst("^file:/+", "/");
    return spark().read().parquet(table).toJSON().collectAsList().stream()
        .map(json -> json.replaceAll("file:/+", "/").replace(bare, "ROOT"))
        .sorted()
        .toList();
  }

  private static List<String> lines(String folder) {
    return spark().read().text(folder).collectAsList().stream()
        .map(r -> r.getString(0))
        .sorted()
        .toList();
  }

  /** Relative paths of the files under a gs:// folder. */
  private static TreeSet<String> files(String folder) throws IOException {
    TreeSet<String> found = new TreeSet<>();
    FileSystem gcs = FileSystem.get(URI.create(folder), conf());
    var it = gcs.listFiles(new org.apache.hadoop.fs.Path(folder), true);
    while (it.hasNext()) {
      String path = it.next().getPath().toString();
      found.add(path.substring(path.indexOf(folder) + folder.length() + 1));
    }
    return found;
  }

  private static org.apache.hadoop.fs.Path gcsPath(String under) {
    return new org.apache.hadoop.fs.Path(ROOT + under);
  }

  private static SparkSession spark() {
    return TestSpark.get();
  }

  private static Configuration conf() {
    return spark().sparkContext().hadoopConfiguration();
  }
}
