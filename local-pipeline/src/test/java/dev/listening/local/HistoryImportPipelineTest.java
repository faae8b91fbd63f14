package dev.listening.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.jobs.bronze.BronzeJob;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The streaming-history import end to end on a small simulated day with gaps (heavy listeners
 * overrun the 50-play horizon) and an expired consent: the hourly polls, then every user's export
 * imported twice (the second lands nothing), bronze, look-ups and gold. fct_listens must hold every
 * play of the truth, not only the retrievable ones; retrievable plays are matched exactly with
 * their streams; episodes and audiobooks stay in bronze. The warehouse stages are left out (the
 * main local-pipeline test runs them), which keeps this test to a few CPU-minutes.
 */
class HistoryImportPipelineTest {
  private static final Path dir = Path.of("target", "history-import-run");

  @Test
  void goldHoldsEveryPlayOfTheTruthAfterImportingTheExports() throws Exception {
    int code =
        new CommandLine(new LocalPipeline())
            .execute(
                "--out",
                dir.toString(),
                "--fresh",
                "--import-history",
                "--no-warehouse",
                "--users",
                "8",
                "--plays-per-day",
                "800",
                // Seed 9 at this size: two gap reports (28 plays lost to the horizon), a late play
                // evicted, and a user whose consent expired (64 plays no poll could read).
                "--seed",
                "9",
                "--extractor-jar",
                System.getProperty("extractor.jar", "../extractor/target/extractor.jar"),
                "--simulator-jar",
                System.getProperty("simulator.jar", "../simulator/target/simulator.jar"));
    assertThat(code).as("see %s/logs and summary.json", dir).isZero();

    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    JsonNode r = summary.path("reconciliation");
    JsonNode truth = summary.path("truth");
    assertThat(r.path("expected_rows").asLong()).as("every play of the day").isEqualTo(800);
    assertThat(r.path("fct_listens_rows").asLong()).isEqualTo(800);
    for (String zero :
        List.of(
            "rows_missing",
            "rows_unexpected",
            "rows_ambiguous",
            "matches_not_exact",
            "rows_with_wrong_source")) {
      assertThat(r.path(zero).asLong()).as("%s: %s", zero, r).isZero();
    }
    assertThat(truth.path("lost_in_gaps").asLong()).as("a day with gaps: %s", truth).isPositive();
    assertThat(truth.path("unauthorized").asLong()).isPositive();
    assertThat(r.path("fct_listens_polled").asLong()).as("every user's export imported").isZero();
    assertThat(r.path("fct_listens_polled_and_imported").asLong())
        .as("every retrievable play matched with its stream")
        .isEqualTo(truth.path("retrievable").asLong());
    assertThat(r.path("fct_listens_imported").asLong())
        .as("what polling missed, from the exports")
        .isEqualTo(800 - truth.path("retrievable").asLong());
    assertThat(r.path("fct_listens_imported").asLong())
        .as("plays polling could not retrieve (gaps, expired consent): %s", truth)
        .isPositive();
    assertThat(r.path("fct_listens_polled_and_imported").asLong()).isPositive();
    assertThat(r.path("fact_ids_missing_from_dimensions").asLong()).isZero();

    JsonNode imported = summary.path("history_import");
    assertThat(imported.path("users").asInt()).isEqualTo(8);
    assertThat(imported.path("dropped_fields").path("ip_addr").asLong()).isPositive();
    assertThat(imported.path("reimport_days_written").asLong())
        .as("a re-import changes nothing")
        .isZero();
    assertThat(imported.path("reimport_added").asLong()).isZero();

    SparkSession spark = SparkSession.getDefaultSession().get();
    List<Row> kinds =
        spark
            .read()
            .parquet(dir.resolve("bronze").resolve(BronzeJob.Table.STREAMS.table()).toString())
            .groupBy("kind")
            .count()
            .orderBy("kind")
            .collectAsList();
    assertThat(kinds)
        .extracting(k -> k.getString(0))
        .as("episodes and audiobooks kept in bronze, out of gold")
        .containsExactly("audiobook", "episode", "track");
  }
}
