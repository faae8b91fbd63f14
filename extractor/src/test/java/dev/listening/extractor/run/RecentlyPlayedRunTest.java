package dev.listening.extractor.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.listening.extractor.state.WatermarkStore;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.LocalBlobStore;
import dev.listening.extractor.users.UserCredential;
import dev.listening.extractor.users.UserSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
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
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Date", "Fri, 20 Nov 2026 13:00:00 GMT")
        .body(body)
        .build();
  }

  private Extraction extraction(BlobStore landing) {
    OkHttpClient http = new OkHttpClient();
    ClientStats stats = new ClientStats();
    AccountsClient accountsClient =
        new AccountsClient(
            http,
            Json.mapper(),
            accounts.url("/"),
            "id",
            Secret.of("secret"),
            stats,
            Timing.SYSTEM,
            RetrySettings.defaults());
    SpotifyClient client =
        new SpotifyClient(
            new SpotifyHttp(
                http,
                Json.mapper(),
                new RequestGate(100, Timing.SYSTEM),
                stats,
                Timing.SYSTEM,
                RetrySettings.defaults()),
            api.url("/v1"),
            RefreshingTokens.forApp(accountsClient, Timing.SYSTEM));
    return new Extraction(
        client,
        accountsClient,
        landing,
        "poll-13",
        LocalDate.parse("2026-11-20"),
        Shard.ONLY,
        null,
        1,
        LandingWriter.Limits.defaults(),
        Timing.SYSTEM,
        Clock.systemUTC(),
        Progress.NONE);
  }

  private static UserSource oneUser() {
    return new UserSource() {
      @Override
      public List<UserCredential> load() {
        return List.of(new UserCredential("u1", Secret.of("rt")));
      }

      @Override
      public void rotated(UserCredential user, Secret token) {}

      @Override
      public String describe() {
        return "test";
      }
    };
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
    WatermarkStore state =
        new WatermarkStore(new LocalBlobStore(dir.resolve("state")), "w.json", Timing.SYSTEM);

    RunSummary s =
        new RecentlyPlayedRun(
                extraction(landing),
                oneUser(),
                state,
                new RecentlyPlayedRun.Settings(Duration.ofMinutes(10), null))
            .run();

    assertThat(s.status()).isEqualTo(RunSummary.Status.COMPLETE);
    assertThat(s.items())
        .as("both plays landed, the bad one for bronze to quarantine")
        .isEqualTo(2);
    assertThat(state.load().get("u1").watermark()).isEqualTo(Instant.parse("2026-11-20T12:30:00Z"));
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
    WatermarkStore state =
        new WatermarkStore(new LocalBlobStore(dir.resolve("state")), "w.json", Timing.SYSTEM);

    assertThatThrownBy(
            () ->
                new RecentlyPlayedRun(
                        extraction(failing),
                        oneUser(),
                        state,
                        new RecentlyPlayedRun.Settings(Duration.ofMinutes(10), null))
                    .run())
        .hasMessageContaining("bucket unavailable");
    assertThat(state.load()).as("no watermark for data that is not durable").isEmpty();
  }
}
