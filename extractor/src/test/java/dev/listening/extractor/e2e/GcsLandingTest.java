package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.listening.extractor.Configs;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.Extraction;
import dev.listening.extractor.run.ExtractionFactory;
import dev.listening.extractor.run.RecentlyPlayedRun;
import dev.listening.extractor.run.RunSummary;
import dev.listening.extractor.storage.GcsBlobStore;
import dev.listening.extractor.storage.GenerationEnforcingStorage;
import dev.listening.landing.StateLayout;
import dev.listening.simulator.GroundTruth;
import dev.listening.simulator.SimulatorConfig;
import dev.listening.simulator.SpotifySimulator;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Landing and watermark state on gs:// without Docker: GcsBlobStore over the Cloud Storage client's
 * in-memory Storage (LocalStorageHelper), wrapped to enforce GCS's generation preconditions, which
 * that fake ignores. A fake because real GCS cannot run here; GcsBlobStoreFakeGcsServerTest covers
 * the HTTP client against fake-gcs-server when Docker exists.
 */
class GcsLandingTest {
  private static final Instant DAY_START = Instant.parse("2026-11-20T00:00:00Z");

  @Test
  void twoPollsLandPartsManifestsAndStateAsObjectsInTheBucket() throws Exception {
    Storage storage =
        GenerationEnforcingStorage.wrap(LocalStorageHelper.customOptions(false).getService());
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withSeed(3)
            .withUsers(6)
            .withPlaysPerDay(600)
            .withExpiredTokenUsers(0)
            .withFaults(SimulatorConfig.Faults.none());
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0);
        GcsBlobStore landing = new GcsBlobStore(storage, "gs://pipeline-landing/raw");
        GcsBlobStore state = new GcsBlobStore(storage, "gs://pipeline-landing/state")) {
      List<Instant> polls =
          List.of(DAY_START.plus(Duration.ofHours(9)), DAY_START.plus(Duration.ofHours(10)));
      List<RunSummary> summaries = new ArrayList<>();
      for (Instant poll : polls) {
        sim.clock().set(poll);
        // Closing the run leaves the stores usable: the test owns their Storage client.
        try (Extraction x =
            extraction(sim, landing, state, "poll-" + poll.toString().substring(11, 13))) {
          summaries.add(
              new RecentlyPlayedRun(
                      x, new RecentlyPlayedRun.Settings(Duration.ofMinutes(10), DAY_START))
                  .run());
        }
      }

      assertThat(summaries)
          .allSatisfy(s -> assertThat(s.status()).isEqualTo(RunSummary.Status.COMPLETE));
      List<String> objects = new ArrayList<>();
      storage.list("pipeline-landing").iterateAll().forEach(b -> objects.add(b.getName()));
      assertThat(objects)
          .contains(
              "raw/recently_played/date=2026-11-20/run=poll-09/shard=0-of-1/part-00000.ndjson.gz",
              "raw/recently_played/date=2026-11-20/run=poll-09/shard=0-of-1/_manifest.json",
              "raw/recently_played/date=2026-11-20/run=poll-10/shard=0-of-1/part-00000.ndjson.gz",
              "state/recently_played/watermarks.json");

      Set<GroundTruth.PlayKey> landed = new HashSet<>();
      ObjectMapper json = new ObjectMapper();
      for (String name : objects) {
        if (name.endsWith(".ndjson.gz")) {
          byte[] gz = landing.get(name.substring("raw/".length())).orElseThrow().bytes();
          byte[] raw = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
          for (String line : new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            JsonNode e = json.readTree(line);
            e.path("response")
                .path("items")
                .forEach(
                    i ->
                        landed.add(
                            new GroundTruth.PlayKey(
                                e.path("user_key").asText(),
                                Instant.parse(i.path("played_at").asText()))));
          }
        }
      }
      assertThat(landed)
          .isEqualTo(sim.groundTruth().retrievability(polls, Optional.of(DAY_START)).retrievable());

      JsonNode watermarks =
          json.readTree(state.get(StateLayout.watermarks()).orElseThrow().bytes());
      assertThat(watermarks.path("users").size()).isEqualTo(6);
      watermarks
          .path("users")
          .forEach(u -> assertThat(u.path("last_run").asText()).isEqualTo("poll-10"));
    }
  }

  /** The run as the command wires it, over the given gs:// stores. */
  private static Extraction extraction(
      SpotifySimulator sim, GcsBlobStore landing, GcsBlobStore state, String runId)
      throws java.io.IOException {
    ExtractorConfig config =
        Configs.parse(
            Map.of(),
            "sim",
            true,
            "gs://pipeline-landing/state",
            "--api-base-url",
            sim.apiBaseUrl(),
            "--accounts-base-url",
            sim.accountsBaseUrl(),
            "--client-secret-ref",
            "sim",
            "--landing",
            "gs://pipeline-landing/raw",
            "--run-id",
            runId,
            "--date",
            "2026-11-20",
            "--concurrency",
            "2",
            "--max-rps",
            "50",
            "--no-progress");
    return ExtractionFactory.open(config, Timing.SYSTEM, null, landing, state);
  }
}
