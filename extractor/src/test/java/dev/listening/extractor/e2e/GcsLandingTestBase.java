package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.listening.extractor.Configs;
import dev.listening.extractor.ExtractorMain;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.Extraction;
import dev.listening.extractor.run.ExtractionFactory;
import dev.listening.extractor.run.RecentlyPlayedRun;
import dev.listening.extractor.run.RunSummary;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.GcsBlobStore;
import dev.listening.landing.StateLayout;
import dev.listening.simulator.GroundTruth;
import dev.listening.simulator.SimulatorConfig;
import dev.listening.simulator.SpotifySimulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Landing and watermark state on gs://, through GcsBlobStore and the official Cloud Storage client,
 * as the recently-played command wires them. Each subclass supplies the Storage: an in-memory fake,
 * or fake-gcs-server over HTTP (real GCS cannot be reached from the tests). Every test works under
 * its own prefix of the bucket, so a shared emulator needs no cleaning.
 */
abstract class GcsLandingTestBase {
  private static final Instant DAY_START = Instant.parse("2026-11-20T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Storage the stores use, with bucket {@link #bucket()} created. */
  protected abstract Storage storage() throws Exception;

  protected abstract String bucket();

  private Storage storage;
  private String prefix;

  @BeforeEach
  void freshPrefix() throws Exception {
    storage = storage();
    prefix = "run-" + UUID.randomUUID();
  }

  private String landingRoot() {
    return "gs://" + bucket() + "/" + prefix + "/raw";
  }

  private String stateRoot() {
    return "gs://" + bucket() + "/" + prefix + "/state";
  }

  private static SpotifySimulator simulator() throws IOException {
    return SpotifySimulator.start(
        SimulatorConfig.defaults()
            .withSeed(3)
            .withUsers(6)
            .withPlaysPerDay(600)
            .withExpiredTokenUsers(0)
            .withFaults(SimulatorConfig.Faults.none()),
        0);
  }

  @Test
  void twoPollsLandPartsManifestsAndStateAndARerunRewritesNothing() throws Exception {
    try (SpotifySimulator sim = simulator()) {
      List<Instant> polls =
          List.of(DAY_START.plus(Duration.ofHours(9)), DAY_START.plus(Duration.ofHours(10)));
      List<RunSummary> summaries = new ArrayList<>();
      for (Instant poll : polls) {
        summaries.add(poll(sim, poll, store(landingRoot()), store(stateRoot())));
      }

      assertThat(summaries)
          .allSatisfy(s -> assertThat(s.status()).isEqualTo(RunSummary.Status.COMPLETE));
      Map<String, Long> objects = objects();
      assertThat(objects.keySet())
          .contains(
              "raw/recently_played/date=2026-11-20/run=poll-09/shard=0-of-1/part-00000.ndjson.gz",
              "raw/recently_played/date=2026-11-20/run=poll-09/shard=0-of-1/_manifest.json",
              "raw/recently_played/date=2026-11-20/run=poll-10/shard=0-of-1/part-00000.ndjson.gz",
              "raw/recently_played/date=2026-11-20/run=poll-10/shard=0-of-1/_manifest.json",
              "state/recently_played/watermarks.json");
      assertThat(landedPlays())
          .isEqualTo(sim.groundTruth().retrievability(polls, Optional.of(DAY_START)).retrievable());
      JsonNode watermarks = watermarks();
      assertThat(watermarks.path("users").size()).isEqualTo(6);
      watermarks
          .path("users")
          .forEach(u -> assertThat(u.path("last_run").asText()).isEqualTo("poll-10"));

      // The 10:00 poll again, as a retried task would run it: done already, nothing rewritten.
      RunSummary again = poll(sim, polls.get(1), store(landingRoot()), store(stateRoot()));

      assertThat(again.status()).isEqualTo(RunSummary.Status.ALREADY_COMPLETE);
      assertThat(objects())
          .as("every object keeps its generation: no landing file or state was rewritten")
          .isEqualTo(objects);
    }
  }

  @Test
  void twoAttemptsOfOneRunAtOnceOnTheSameStateHaveOneWinnerAndLoseNothing() throws Exception {
    try (SpotifySimulator sim = simulator()) {
      Instant at = DAY_START.plus(Duration.ofHours(10));
      sim.clock().set(at);
      // Both attempts read the run's (absent) manifest before either goes on, as two Cloud Run
      // tasks of one run id started together would; the test holds them there to make it certain.
      CyclicBarrier bothOpened = new CyclicBarrier(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<RunSummary>> attempts = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          BlobStore landing = heldAfterReadingTheManifest(store(landingRoot()), bothOpened);
          BlobStore state = store(stateRoot());
          attempts.add(pool.submit(() -> poll(sim, at, landing, state)));
        }
        List<RunSummary> won = new ArrayList<>();
        List<Exception> lost = new ArrayList<>();
        for (Future<RunSummary> attempt : attempts) {
          try {
            won.add(attempt.get(60, TimeUnit.SECONDS));
          } catch (java.util.concurrent.ExecutionException e) {
            lost.add((Exception) e.getCause());
          }
        }

        assertThat(won).as("exactly one attempt completes").hasSize(1);
        assertThat(won.get(0).status()).isEqualTo(RunSummary.Status.COMPLETE);
        assertThat(won.get(0).status().exitCode()).isZero();
        assertThat(lost).as("the other fails").hasSize(1);
        StringWriter err = new StringWriter();
        assertThat(ExtractorMain.exitCodeOf(lost.get(0), new PrintWriter(err, true)))
            .as("the exit code the jar gives this failure")
            .isEqualTo(1);
        assertThat(err.toString())
            .as("what the operator reads")
            .startsWith("failed: ")
            .contains("run poll-10 shard 0/1", "another attempt of this run")
            .contains("gs://" + bucket() + "/" + prefix + "/raw/recently_played/");
      } finally {
        pool.shutdownNow();
      }

      Set<GroundTruth.PlayKey> landed = landedPlays();
      assertThat(landed)
          .as("every retrievable play landed once by the winner: nothing lost")
          .isEqualTo(
              sim.groundTruth().retrievability(List.of(at), Optional.of(DAY_START)).retrievable());
      JsonNode manifest =
          JSON.readTree(
              store(landingRoot())
                  .get("recently_played/date=2026-11-20/run=poll-10/shard=0-of-1/_manifest.json")
                  .orElseThrow()
                  .bytes());
      assertThat(manifest.path("status").asText()).isEqualTo("complete");
      List<String> listed = new ArrayList<>();
      manifest.path("parts").forEach(p -> listed.add(p.path("path").asText()));
      assertThat(
              objects().keySet().stream()
                  .filter(n -> n.endsWith(".ndjson.gz"))
                  .map(n -> n.substring("raw/".length()))
                  .toList())
          .as("no part of the losing attempt is left beside the winner's")
          .containsExactlyInAnyOrderElementsOf(listed);
      // Each user's watermark is the newest play landed for them: the state kept up with the
      // landing, and never moved past a play that did not land.
      Map<String, Instant> newestLanded = new TreeMap<>();
      landed.forEach(
          p -> newestLanded.merge(p.userKey(), p.playedAt(), (a, b) -> a.isAfter(b) ? a : b));
      Map<String, Instant> watermarked = new TreeMap<>();
      watermarks()
          .path("users")
          .fields()
          .forEachRemaining(
              u ->
                  watermarked.put(
                      u.getKey(), Instant.parse(u.getValue().path("watermark").asText())));
      assertThat(watermarked).hasSize(6);
      watermarked.forEach(
          (user, watermark) ->
              assertThat(watermark)
                  .as("watermark of %s (--start-from when none of their plays was readable)", user)
                  .isEqualTo(newestLanded.getOrDefault(user, DAY_START)));

      assertThat(poll(sim, at, store(landingRoot()), store(stateRoot())).status())
          .as("a third attempt finds the run done")
          .isEqualTo(RunSummary.Status.ALREADY_COMPLETE);
    }
  }

  private GcsBlobStore store(String root) {
    // The stores never close the test's Storage client: each run closes its stores.
    return new GcsBlobStore(storage, root);
  }

  /** A store whose first read of a run manifest waits until {@code barrier} is full. */
  private static BlobStore heldAfterReadingTheManifest(BlobStore store, CyclicBarrier barrier) {
    AtomicBoolean held = new AtomicBoolean();
    return (BlobStore)
        Proxy.newProxyInstance(
            BlobStore.class.getClassLoader(),
            new Class<?>[] {BlobStore.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("get")
                  && ((String) args[0]).endsWith("_manifest.json")
                  && held.compareAndSet(false, true)) {
                barrier.await(30, TimeUnit.SECONDS);
              }
              return result;
            });
  }

  /** One recently-played poll as the command runs it, over the given stores. */
  private RunSummary poll(SpotifySimulator sim, Instant at, BlobStore landing, BlobStore state)
      throws Exception {
    sim.clock().set(at);
    String runId = "poll-" + at.toString().substring(11, 13);
    ExtractorConfig config =
        Configs.parse(
            Map.of(),
            "sim",
            true,
            stateRoot(),
            "--api-base-url",
            sim.apiBaseUrl(),
            "--accounts-base-url",
            sim.accountsBaseUrl(),
            "--client-secret-ref",
            "sim",
            "--landing",
            landingRoot(),
            "--run-id",
            runId,
            "--date",
            "2026-11-20",
            "--concurrency",
            "2",
            "--max-rps",
            "50",
            "--no-progress");
    try (Extraction x = ExtractionFactory.open(config, Timing.SYSTEM, null, landing, state)) {
      return new RecentlyPlayedRun(
              x, new RecentlyPlayedRun.Settings(Duration.ofMinutes(10), DAY_START))
          .run();
    }
  }

  /** Every object under the test's prefix (names without it) and its generation. */
  private Map<String, Long> objects() {
    Map<String, Long> found = new TreeMap<>();
    for (BlobInfo b :
        storage.list(bucket(), Storage.BlobListOption.prefix(prefix + "/")).iterateAll()) {
      found.put(b.getName().substring(prefix.length() + 1), b.getGeneration());
    }
    return found;
  }

  /** The plays in every landed part. */
  private Set<GroundTruth.PlayKey> landedPlays() throws IOException {
    Set<GroundTruth.PlayKey> landed = new HashSet<>();
    GcsBlobStore landing = store(landingRoot());
    for (String name : objects().keySet()) {
      if (!name.endsWith(".ndjson.gz")) {
        continue;
      }
      byte[] gz = landing.get(name.substring("raw/".length())).orElseThrow().bytes();
      byte[] raw = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
      for (String line : new String(raw, StandardCharsets.UTF_8).split("\n")) {
        JsonNode e = JSON.readTree(line);
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
    return landed;
  }

  private JsonNode watermarks() throws IOException {
    return JSON.readTree(store(stateRoot()).get(StateLayout.watermarks()).orElseThrow().bytes());
  }
}
