package dev.listening.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.jobs.QualityGateFailed;
import dev.listening.jobs.Storage;
import dev.listening.jobs.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extractor's gap reports, from real manifest files into bronze poll_gaps. */
class PollGapsTest {
  private static final LocalDate D = LocalDate.parse("2026-11-20");
  @TempDir Path dir;

  private Path manifest(String run, String shard, String json) throws Exception {
    Path m =
        dir.resolve("landing/recently_played/date=" + D)
            .resolve("run=" + run)
            .resolve("shard=" + shard)
            .resolve("_manifest.json");
    Files.createDirectories(m.getParent());
    Files.writeString(m, json);
    return m;
  }

  /** A manifest as the extractor writes it: pretty-printed, gaps under details. */
  private static String withGaps(String run, String... gaps) {
    return "{\n  \"endpoint\" : \"recently_played\",\n  \"date\" : \"2026-11-20\",\n"
        + "  \"run_id\" : \""
        + run
        + "\",\n  \"shard\" : \"0/2\",\n  \"status\" : \"complete\",\n  \"parts\" : [ ],\n"
        + "  \"details\" : {\n    \"gaps\" : [ "
        + String.join(", ", gaps)
        + " ],\n    \"users_skipped\" : { }\n  }\n}\n";
  }

  private static String gap(String user, String watermark, String oldest, String fetched) {
    return "{\"oldest_in_page\":\""
        + oldest
        + "\",\"fetched_at\":\""
        + fetched
        + "\",\"user_key\":\""
        + user
        + "\",\"watermark\":\""
        + watermark
        + "\"}";
  }

  private long toBronze() throws Exception {
    SparkSession spark = TestSpark.get();
    return PollGaps.toBronze(
        spark,
        new Storage(spark),
        dir.resolve("landing").toString(),
        dir.resolve("bronze").toString(),
        D);
  }

  private List<Row> bronzeRows() {
    return TestSpark.get()
        .read()
        .parquet(dir.resolve("bronze/poll_gaps").toString())
        .orderBy("run_id", "user_key")
        .collectAsList();
  }

  @Test
  void everyReportedGapOfTheDateLandsInBronzeAndAReRunReplacesThem() throws Exception {
    manifest(
        "poll-01",
        "0-of-2",
        withGaps(
            "poll-01",
            gap("u1", "2026-11-20T00:00:00Z", "2026-11-20T00:16:13.153Z", "2026-11-20T01:00:00Z"),
            gap("u2", "2026-11-20T00:00:00Z", "2026-11-20T00:19:34.456Z", "2026-11-20T01:00:00Z")));
    manifest("poll-01", "1-of-2", withGaps("poll-01"));
    // Written by an older extractor, or by a test: no details at all.
    manifest("poll-02", "0-of-1", "{\"status\":\"complete\"}");

    assertThat(toBronze()).isEqualTo(2);
    assertThat(toBronze()).as("a re-run replaces the partition").isEqualTo(2);

    List<Row> rows = bronzeRows();
    assertThat(rows).hasSize(2);
    Row first = rows.get(0);
    assertThat(first.<String>getAs("user_key")).isEqualTo("u1");
    assertThat(first.<Timestamp>getAs("watermark").toInstant())
        .isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    assertThat(first.<Timestamp>getAs("oldest_in_page").toInstant())
        .isEqualTo(Instant.parse("2026-11-20T00:16:13.153Z"));
    assertThat(first.<String>getAs("run_id")).isEqualTo("poll-01");
    assertThat(first.<String>getAs("manifest_file")).endsWith("shard=0-of-2/_manifest.json");
  }

  @Test
  void aDateWithoutGapsAnyMoreClearsItsOldPartition() throws Exception {
    Path m =
        manifest(
            "poll-01",
            "0-of-1",
            withGaps(
                "poll-01",
                gap(
                    "u1",
                    "2026-11-20T00:00:00Z",
                    "2026-11-20T00:16:13.153Z",
                    "2026-11-20T01:00:00Z")));
    assertThat(toBronze()).isEqualTo(1);
    Files.writeString(m, withGaps("poll-01"));

    assertThat(toBronze()).isZero();
    assertThat(dir.resolve("bronze/poll_gaps/date=" + D)).doesNotExist();
  }

  @Test
  void aBrokenManifestFailsTheStepNamingTheFileAndWritesNothing() throws Exception {
    manifest("poll-01", "0-of-1", "{\"status\":\"complete\",\"details\":{\"gaps\":[");
    manifest(
        "poll-02",
        "0-of-1",
        withGaps(
            "poll-02", gap("u1", "yesterday", "2026-11-20T00:16:13Z", "2026-11-20T01:00:00Z")));

    assertThatThrownBy(this::toBronze)
        .isInstanceOf(QualityGateFailed.class)
        .hasMessageContaining("run=poll-01/shard=0-of-1/_manifest.json is not JSON")
        .hasMessageContaining("run=poll-02/shard=0-of-1/_manifest.json has a gap report");
    assertThat(dir.resolve("bronze/poll_gaps")).doesNotExist();
  }
}
