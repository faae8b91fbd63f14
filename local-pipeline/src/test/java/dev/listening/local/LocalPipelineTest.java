package dev.listening.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.gold.FactIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * The whole pipeline end to end on a small simulated day with faults on (5xx, slow and malformed
 * answers, tokens expiring mid-run, a rate limit): the extractor jar as its own process, the Spark
 * jobs through their main class. Gold must equal the simulator's retrievable truth row for row, and
 * a second run of every step must change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPipelineTest {
  /**
   * The run's folder. The test command hands it to the warehouse's Python tests afterwards (they
   * check its marts against the truth), so it is kept under target/ rather than deleted.
   */
  private static final Path dir =
      Path.of(System.getProperty("pipeline.test.run", "target/local-pipeline-test-run"));

  private int firstRun;

  @BeforeAll
  void runTheDayOnce() {
    firstRun = run(true);
  }

  private int run(boolean fresh) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--out",
                dir.toString(),
                // The size and seed tests/conftest.py uses: heavy listeners enough for gaps.
                "--users",
                "24",
                "--plays-per-day",
                "3000",
                "--seed",
                "5",
                "--extractor-jar",
                System.getProperty("extractor.jar", "../extractor/target/extractor.jar"),
                "--simulator-jar",
                System.getProperty("simulator.jar", "../simulator/target/simulator.jar"),
                "--repo",
                System.getProperty("repo.root", "..")));
    if (fresh) {
      args.add("--fresh");
    }
    return new CommandLine(new LocalPipeline()).execute(args.toArray(String[]::new));
  }

  private static List<Row> rows(SparkSession spark, Path table, String... order) {
    return spark
        .read()
        .parquet(table.toString())
        .orderBy(order[0], java.util.Arrays.copyOfRange(order, 1, order.length))
        .collectAsList();
  }

  private static Map<String, String> landingDigests(Path landing) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(landing)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(
            landing.relativize(f).toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
      }
    }
    return out;
  }

  /** dbt built every model and passed every test, the checkpoint passed, the report exists. */
  private void assertWarehouseRan(JsonNode summary) {
    JsonNode dbt = summary.path("warehouse").path("dbt");
    assertThat(dbt.path("status").asText()).as("dbt; see %s/logs/dbt.log", dir).isEqualTo("passed");
    assertThat(dbt.path("results").path("model").path("success").asInt())
        .as("every model built")
        .isGreaterThanOrEqualTo(19);
    assertThat(dbt.path("results").path("test").path("pass").asInt()).isGreaterThan(50);
    assertThat(dbt.path("results").path("unit_test").path("pass").asInt()).isEqualTo(3);
    assertThat(dbt.path("results").path("test").has("fail")).isFalse();
    JsonNode checkpoint = summary.path("warehouse").path("checkpoint");
    assertThat(checkpoint.path("status").asText())
        .as("checkpoint; see %s/logs/checkpoint.log", dir)
        .isEqualTo("passed");
    assertThat(checkpoint.path("expectations").asInt()).isGreaterThan(40);
    assertThat(Path.of(summary.path("warehouse").path("report").asText())).isRegularFile();
  }

  /**
   * The landing contract end to end: pages the extractor jar wrote, read with the bronze job's
   * declared schemas, lose nothing to quarantine and fill every column of every bronze table.
   */
  @Test
  @Order(1)
  void theExtractorsLandingReadsCompletelyWithTheBronzeSchemas() {
    assertThat(firstRun).as("first run; see %s/logs", dir).isZero();
    SparkSession spark = SparkSession.getDefaultSession().get();
    Path bronze = dir.resolve("bronze");
    assertThat(bronze.resolve(BronzeJob.QUARANTINE)).as("nothing quarantined").doesNotExist();
    for (BronzeJob.Table table : BronzeJob.Table.values()) {
      if (table == BronzeJob.Table.STREAMS) {
        // This day imports no streaming history (the warehouse's tests compare its marts with the
        // retrievable truth); HistoryImportPipelineTest runs a day that does.
        continue;
      }
      Dataset<Row> rows = spark.read().parquet(bronze.resolve(table.table()).toString());
      long n = rows.count();
      assertThat(n).as("%s has rows", table.table()).isPositive();
      Row counts =
          rows.select(
                  Stream.of(rows.columns())
                      .map(c -> functions.count(functions.col("`" + c + "`")).as(c))
                      .toArray(Column[]::new))
              .first();
      for (String c : rows.columns()) {
        assertThat(counts.<Long>getAs(c)).as("%s.%s is populated", table.table(), c).isPositive();
      }
      for (String lineage : List.of("fetched_at", "run_id", "app_mode", "landing_file", "date")) {
        assertThat(counts.<Long>getAs(lineage))
            .as("%s.%s on every row", table.table(), lineage)
            .isEqualTo(n);
      }
    }
  }

  @Test
  @Order(2)
  void goldEqualsTheRetrievableTruthAndASecondRunChangesNothing() throws Exception {
    assertThat(firstRun).as("first run; see %s/logs", dir).isZero();

    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    JsonNode reconciliation = summary.path("reconciliation");
    assertThat(reconciliation.path("expected_rows").asLong())
        .as("a day with plays to check")
        .isGreaterThan(800);
    assertThat(reconciliation.path("fct_listens_rows").asLong())
        .isEqualTo(reconciliation.path("expected_rows").asLong());
    assertThat(reconciliation.path("rows_missing").asLong()).isZero();
    assertThat(reconciliation.path("rows_unexpected").asLong()).isZero();
    assertThat(reconciliation.path("fact_ids_missing_from_dimensions").asLong())
        .as("every id of every fact table is in its dimension: %s", reconciliation)
        .isZero();
    for (FactIds.Reference ref : FactIds.REFERENCES) {
      assertThat(reconciliation.path("fact_ids_checked").path(ref.name()).asLong())
          .as("%s names ids, all checked", ref.name())
          .isPositive();
    }
    assertThat(reconciliation.path("new_release_tracks_rows").asLong())
        .as("the markets' new releases with their tracks")
        .isPositive()
        .isEqualTo(reconciliation.path("new_release_tracks_expected").asLong());
    assertThat(reconciliation.path("new_release_tracks_missing").asLong()).isZero();
    assertThat(reconciliation.path("new_release_tracks_unexpected").asLong()).isZero();
    // Album tracks requests: only the pages after the first 50 tracks every album look-up
    // carries, for the new releases longer than that (the box sets).
    Map<String, Integer> albumLengths = new TreeMap<>();
    for (String line :
        Files.readAllLines(dir.resolve("truth").resolve("new_release_tracks.ndjson"))) {
      if (!line.isBlank()) {
        JsonNode t = new ObjectMapper().readTree(line);
        albumLengths.merge(t.path("album_id").asText(), t.path("position").asInt(), Math::max);
      }
    }
    long pagesAfterTheFirst =
        albumLengths.values().stream().mapToLong(n -> n > 50 ? (n - 50 + 49) / 50 : 0).sum();
    assertThat(pagesAfterTheFirst).as("some new releases are longer than a page").isPositive();
    assertThat(summary.path("extraction").path("album_tracks_pages").asLong())
        .as("album-tracks requests: none for an album its look-up carried whole")
        .isEqualTo(pagesAfterTheFirst);
    assertThat(summary.path("extraction").path("album_tracks_carried_by_lookups").asLong())
        .isEqualTo(albumLengths.values().stream().filter(n -> n <= 50).count());
    assertThat(summary.path("secrets_found").isInt())
        .as("the run's files were scanned for the simulator's secret and tokens")
        .isTrue();
    assertThat(summary.path("secrets_found").asInt()).isZero();
    assertThat(summary.path("extraction").path("retries").asLong())
        .as("faults were on and absorbed")
        .isPositive();
    assertThat(summary.path("tables").path("gold.dim_tracks").asLong()).isPositive();
    assertThat(summary.path("tables").path("bronze.track_lookups").asLong())
        .as("look-ups ran")
        .isPositive();
    assertWarehouseRan(summary);

    SparkSession spark = SparkSession.getDefaultSession().get();
    Path gold = dir.resolve("gold");
    List<Row> listens = rows(spark, gold.resolve("fct_listens"), "user_key", "played_at");
    List<Row> tracks = rows(spark, gold.resolve("dim_tracks"), "track_id");
    List<Row> artists = rows(spark, gold.resolve("dim_artists"), "artist_id");
    List<Row> bridge = rows(spark, gold.resolve("bridge_track_artists"), "track_id", "position");
    List<Row> albums = rows(spark, gold.resolve("dim_albums"), "album_id");
    List<Row> playlistItems =
        rows(spark, gold.resolve("fct_playlist_items"), "playlist_id", "position");
    List<Row> releaseTracks =
        rows(spark, gold.resolve("fct_new_release_tracks"), "market", "album_id", "position");
    Map<String, String> landing = landingDigests(dir.resolve("landing"));

    assertThat(run(false)).as("second run; see %s/logs", dir).isZero();
    assertWarehouseRan(new ObjectMapper().readTree(dir.resolve("summary.json").toFile()));

    assertThat(landingDigests(dir.resolve("landing")))
        .as("the extractor added and changed nothing")
        .isEqualTo(landing);
    assertThat(rows(spark, gold.resolve("fct_listens"), "user_key", "played_at"))
        .isEqualTo(listens);
    assertThat(rows(spark, gold.resolve("dim_tracks"), "track_id")).isEqualTo(tracks);
    assertThat(rows(spark, gold.resolve("dim_artists"), "artist_id")).isEqualTo(artists);
    assertThat(rows(spark, gold.resolve("bridge_track_artists"), "track_id", "position"))
        .isEqualTo(bridge);
    assertThat(rows(spark, gold.resolve("dim_albums"), "album_id")).isEqualTo(albums);
    assertThat(rows(spark, gold.resolve("fct_playlist_items"), "playlist_id", "position"))
        .isEqualTo(playlistItems);
    assertThat(
            rows(spark, gold.resolve("fct_new_release_tracks"), "market", "album_id", "position"))
        .isEqualTo(releaseTracks);
  }
}
