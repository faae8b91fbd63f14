package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.listening.extractor.Json;
import dev.listening.extractor.api.AccountsClient;
import dev.listening.extractor.api.ClientStats;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.api.RequestGate;
import dev.listening.extractor.api.RetrySettings;
import dev.listening.extractor.api.Secret;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.api.SpotifyHttp;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.landing.LandingWriter;
import dev.listening.extractor.landing.Shard;
import dev.listening.extractor.run.Extraction;
import dev.listening.extractor.run.Progress;
import dev.listening.extractor.run.RecentlyPlayedRun;
import dev.listening.extractor.run.RunSummary;
import dev.listening.extractor.simulator.GroundTruth;
import dev.listening.extractor.simulator.SimulatorConfig;
import dev.listening.extractor.simulator.SpotifySimulator;
import dev.listening.extractor.state.WatermarkStore;
import dev.listening.extractor.storage.GcsBlobStore;
import dev.listening.extractor.storage.GenerationEnforcingStorage;
import dev.listening.extractor.users.SimulatorUsers;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
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
    OkHttpClient http = new OkHttpClient();
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0);
        GcsBlobStore landing = new GcsBlobStore(storage, "gs://pipeline-landing/raw");
        GcsBlobStore state = new GcsBlobStore(storage, "gs://pipeline-landing/state")) {
      List<Instant> polls =
          List.of(DAY_START.plus(Duration.ofHours(9)), DAY_START.plus(Duration.ofHours(10)));
      List<RunSummary> summaries = new ArrayList<>();
      for (Instant poll : polls) {
        sim.clock().set(poll);
        Extraction x = extraction(sim, http, landing, "poll-" + poll.toString().substring(11, 13));
        summaries.add(
            new RecentlyPlayedRun(
                    x,
                    new SimulatorUsers(http, HttpUrl.get(sim.accountsBaseUrl())),
                    new WatermarkStore(state, "recently_played/watermarks.json", Timing.SYSTEM),
                    new RecentlyPlayedRun.Settings(Duration.ofMinutes(10), DAY_START))
                .run());
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
          json.readTree(state.get("recently_played/watermarks.json").orElseThrow().bytes());
      assertThat(watermarks.path("users").size()).isEqualTo(6);
      watermarks
          .path("users")
          .forEach(u -> assertThat(u.path("last_run").asText()).isEqualTo("poll-10"));
    } finally {
      http.dispatcher().executorService().shutdown();
    }
  }

  private static Extraction extraction(
      SpotifySimulator sim, OkHttpClient http, GcsBlobStore landing, String runId) {
    ClientStats stats = new ClientStats();
    RetrySettings retry = RetrySettings.defaults();
    AccountsClient accounts =
        new AccountsClient(
            http,
            Json.mapper(),
            HttpUrl.get(sim.accountsBaseUrl()),
            sim.clientId(),
            Secret.of(sim.clientSecret()),
            stats,
            Timing.SYSTEM,
            retry);
    SpotifyClient client =
        new SpotifyClient(
            new SpotifyHttp(
                http,
                Json.mapper(),
                new RequestGate(50, Timing.SYSTEM),
                stats,
                Timing.SYSTEM,
                retry),
            HttpUrl.get(sim.apiBaseUrl()),
            RefreshingTokens.forApp(accounts, Timing.SYSTEM));
    return new Extraction(
        client,
        accounts,
        landing,
        runId,
        LocalDate.parse("2026-11-20"),
        Shard.ONLY,
        null,
        2,
        LandingWriter.Limits.defaults(),
        Timing.SYSTEM,
        Clock.systemUTC(),
        Progress.NONE);
  }
}
