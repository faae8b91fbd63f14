package dev.listening.extractor.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.extractor.Configs;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.state.WatermarkStore;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.LocalBlobStore;
import dev.listening.landing.StateLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's ordering promises, against a loopback API: what lands, and when state moves. */
class RecentlyPlayedRunTest {
  @TempDir Path dir;
  private final MockWebServer api = new MockWebServer();
  private final MockWebServer accounts = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    api.start(0);
    accounts.start(0);
  }

  @AfterEach
  void stop() {
    api.close();
    accounts.close();
  }

  private static MockResponse json(String body) {
    return json(body, "13:00:00");
  }

  private static MockResponse json(String body, String dateHeaderTime) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Date", "Fri, 20 Nov 2026 " + dateHeaderTime + " GMT")
        .body(body)
        .build();
  }

  /** The run as the command wires it, with the given landing store and one user in a file. */
  private Extraction extraction(BlobStore landing) throws IOException {
    return extraction(landing, "poll-13");
  }

  private Extraction extraction(BlobStore landing, String runId) throws IOException {
    Files.writeString(
        dir.resolve("users.json"), "{\"users\":[{\"key\":\"u1\",\"refresh_token\":\"rt\"}]}");
    ExtractorConfig config =
        Configs.parse(
            Map.of("TEST_SECRET", "secret"),
            dir.resolve("users.json").toString(),
            true,
            dir.resolve("state").toString(),
            "--api-base-url",
            api.url("/v1").toString(),
            "--accounts-base-url",
            accounts.url("/").toString(),
            "--client-id",
            "id",
            "--client-secret-ref",
            "env:TEST_SECRET",
            "--landing",
            dir.resolve("landing").toString(),
            "--run-id",
            runId,
            "--date",
            "2026-11-20",
            "--concurrency",
            "1",
            "--no-progress");
    return ExtractionFactory.open(
        config, Timing.SYSTEM, null, landing, new LocalBlobStore(dir.resolve("state")));
  }

  private Map<String, WatermarkStore.UserState> watermarks() throws IOException {
    return new WatermarkStore(
            new LocalBlobStore(dir.resolve("state")), StateLayout.watermarks(), Timing.SYSTEM)
        .load();
  }

  private void serveOnePage() {
    accounts.enqueue(
        json("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    api.enqueue(
        json(
            "{\"items\":[{\"track\":{\"uri\":\"spotify:track:t1\"},\"played_at\":\"2026-11-20T12:30:00.000Z\",\"context\":null},"
                + "{\"track\":{\"uri\":\"spotify:track:t2\"},\"played_at\":\"half past twelve\",\"context\":null}],"
                + "\"next\":null,\"cursors\":{\"after\":\"1\",\"before\":\"0\"},\"limit\":50,\"href\":\"h\"}"));
  }

  @Test
  void aPlayWithAnUnreadablePlayedAtIsLandedAsSentAndTheWatermarkUsesTheOthers() throws Exception {
    serveOnePage();
    BlobStore landing = new LocalBlobStore(dir.resolve("landing"));

    RunSummary s;
    try (Extraction x = extraction(landing)) {
      s =
          new RecentlyPlayedRun(x, new RecentlyPlayedRun.Settings(Duration.ofMinutes(10), null))
              .run();
    }

    assertThat(s.status()).isEqualTo(RunSummary.Status.COMPLETE);
    assertThat(s.items())
        .as("both plays landed, the bad one for bronze to quarantine")
        .isEqualTo(2);
    assertThat(watermarks().get("u1").watermark()).isEqualTo(Instant.parse("2026-11-20T12:30:00Z"));
  }

  /** One hourly poll whose page holds the given plays, answered at {@code time} by the API. */
  private void poll(String runId, String time, String... playedAt) throws Exception {
    accounts.enqueue(
        json("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    String items =
        java.util.Arrays.stream(playedAt)
            .map(
                t ->
                    "{\"track\":{\"uri\":\"spotify:track:t1\"},\"played_at\":\"2026-11-20T"
                        + t
                        + "Z\",\"context\":null}")
            .collect(java.util.stream.Collectors.joining(","));
    api.enqueue(
        json(
            "{\"items\":["
                + items
                + "],\"next\":null,\"cursors\":null,\"limit\":50,\"href\":\"h\"}",
            time));
    try (Extraction x = extraction(new LocalBlobStore(dir.resolve("landing")), runId)) {
      RunSummary s =
          new RecentlyPlayedRun(x, new RecentlyPlayedRun.Settings(Duration.ofMinutes(10), null))
              .run();
      assertThat(s.status()).isEqualTo(RunSummary.Status.COMPLETE);
    }
  }

  /** The {@code after} the next recently-played request asked for, as an instant. */
  private Instant askedAfter() throws InterruptedException {
    mockwebserver3.RecordedRequest r = api.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r).as("a recently-played request").isNotNull();
    String after = r.getUrl().queryParameter("after");
    return after == null ? null : Instant.ofEpochMilli(Long.parseLong(after));
  }

  @Test
  void aPollReReadsOnlyWhatCouldHaveTurnedUpLateSinceTheLastPoll() throws Exception {
    poll("poll-13", "13:00:00", "12:41:07.250", "12:55:00.000");
    assertThat(askedAfter()).as("a first poll reads whatever is readable").isNull();
    assertThat(watermarks().get("u1").polledAt()).isEqualTo(Instant.parse("2026-11-20T13:00:00Z"));

    // Active until the last poll: plays up to ten minutes before it can still turn up.
    poll("poll-14", "14:00:00");
    assertThat(askedAfter()).isEqualTo(Instant.parse("2026-11-20T12:50:00Z"));

    // Idle since: nothing behind the watermark can turn up late any more, so nothing is re-read
    // (the lookback behind the watermark would land the 12:55 play again every hour).
    poll("poll-15", "15:00:00");
    assertThat(askedAfter()).isEqualTo(Instant.parse("2026-11-20T12:55:00Z"));
    assertThat(watermarks().get("u1").watermark()).isEqualTo(Instant.parse("2026-11-20T12:55:00Z"));
    assertThat(watermarks().get("u1").polledAt()).isEqualTo(Instant.parse("2026-11-20T15:00:00Z"));
  }

  @Test
  void stateWithoutAPollTimeFallsBackToTheLookbackBehindTheWatermark() {
    Instant watermark = Instant.parse("2026-11-20T12:55:00Z");
    Duration lookback = Duration.ofMinutes(10);
    WatermarkStore.UserState old = new WatermarkStore.UserState(watermark, null, "poll-13", null);
    assertThat(RecentlyPlayedRun.after(old, watermark, lookback))
        .isEqualTo(Instant.parse("2026-11-20T12:45:00Z"));
    assertThat(RecentlyPlayedRun.after(null, null, lookback)).isNull();
  }

  @Test
  void whenTheLandingWriteFailsTheWatermarkDoesNotMove() throws Exception {
    serveOnePage();
    LocalBlobStore real = new LocalBlobStore(dir.resolve("landing"));
    BlobStore failing =
        new BlobStore() {
          @Override
          public java.net.URI root() {
            return real.root();
          }

          @Override
          public String uri(String p) {
            return real.uri(p);
          }

          @Override
          public long put(String p, byte[] b) throws IOException {
            return real.put(p, b);
          }

          @Override
          public long putFile(String p, Path f) throws IOException {
            throw new IOException("bucket unavailable");
          }

          @Override
          public OptionalLong putFileIfGeneration(String p, Path f, long g) throws IOException {
            throw new IOException("bucket unavailable");
          }

          @Override
          public Optional<Blob> get(String p) throws IOException {
            return real.get(p);
          }

          @Override
          public OptionalLong putIfGeneration(String p, byte[] b, long g) throws IOException {
            return real.putIfGeneration(p, b, g);
          }

          @Override
          public List<String> list(String p) throws IOException {
            return real.list(p);
          }

          @Override
          public boolean delete(String p) throws IOException {
            return real.delete(p);
          }
        };
    try (Extraction x = extraction(failing)) {
      assertThatThrownBy(
              () ->
                  new RecentlyPlayedRun(
                          x, new RecentlyPlayedRun.Settings(Duration.ofMinutes(10), null))
                      .run())
          .hasMessageContaining("bucket unavailable");
    }
    assertThat(watermarks()).as("no watermark for data that is not durable").isEmpty();
  }
}
