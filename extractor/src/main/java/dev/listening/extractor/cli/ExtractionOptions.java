package dev.listening.extractor.cli;

import dev.listening.extractor.AppMode;
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
import dev.listening.extractor.landing.LandingPartition;
import dev.listening.extractor.landing.LandingWriter;
import dev.listening.extractor.landing.Shard;
import dev.listening.extractor.run.Extraction;
import dev.listening.extractor.run.Progress;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.BlobStores;
import dev.listening.extractor.users.FileUsers;
import dev.listening.extractor.users.SecretAccess;
import dev.listening.extractor.users.SecretManagerUsers;
import dev.listening.extractor.users.SimulatorUsers;
import dev.listening.extractor.users.UserSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Option;

/**
 * Options every extraction command shares. Defaults come from environment variables (how Cloud Run
 * and Airflow configure the job) and otherwise point at a local simulator, so a local run can never
 * reach the real Spotify by accident.
 */
public final class ExtractionOptions {
  @Option(
      names = "--api-base-url",
      defaultValue = "${env:SPOTIFY_API_BASE_URL:-http://127.0.0.1:8090/v1}",
      description = "Web API base URL (env SPOTIFY_API_BASE_URL; default: ${DEFAULT-VALUE}).")
  String apiBaseUrl;

  @Option(
      names = "--accounts-base-url",
      defaultValue = "${env:SPOTIFY_ACCOUNTS_BASE_URL:-http://127.0.0.1:8090}",
      description =
          "Accounts (token) base URL (env SPOTIFY_ACCOUNTS_BASE_URL; default: ${DEFAULT-VALUE}).")
  String accountsBaseUrl;

  @Option(
      names = "--client-id",
      defaultValue = "${env:SPOTIFY_CLIENT_ID}",
      description = "Spotify client id (env SPOTIFY_CLIENT_ID). Unset: read from the simulator.")
  String clientId;

  @Option(
      names = "--client-secret-ref",
      defaultValue = "${env:SPOTIFY_CLIENT_SECRET_REF:-env:SPOTIFY_CLIENT_SECRET}",
      description =
          "Where the client secret is: env:VARIABLE or sm://projects/P/secrets/S[/versions/V]"
              + " (default: ${DEFAULT-VALUE}; when that variable is unset, the simulator's). The"
              + " secret itself is never accepted on the command line.")
  String clientSecretRef;

  @Option(
      names = "--landing",
      defaultValue = "${env:LANDING_URI:-data/landing}",
      description = "Landing root: a local folder or gs://bucket/prefix (env LANDING_URI).")
  String landing;

  @Option(
      names = "--run-id",
      defaultValue = "${env:RUN_ID}",
      description =
          "Run id, part of every landing path; a re-run with the same id never duplicates"
              + " (env RUN_ID, else CLOUD_RUN_EXECUTION, else manual-<UTC time>).")
  String runId;

  @Option(
      names = "--date",
      description = "The run's date partition, YYYY-MM-DD (default: today, UTC).")
  LocalDate date;

  @Option(
      names = "--shard",
      description =
          "This worker's shard i/n (default: CLOUD_RUN_TASK_INDEX/CLOUD_RUN_TASK_COUNT, else 0/1).")
  String shard;

  @Option(
      names = "--app-mode",
      defaultValue = "${env:SPOTIFY_APP_MODE:-auto}",
      description =
          "development, extended or auto (find out from a 403 on a batch call)."
              + " Default: ${DEFAULT-VALUE}.")
  String appMode;

  @Option(
      names = "--max-rps",
      defaultValue = "10",
      description = "Requests per second at most; slowed down automatically on 429.")
  double maxRps;

  @Option(names = "--concurrency", defaultValue = "4", description = "Requests in flight at most.")
  int concurrency;

  @Option(names = "--max-attempts", defaultValue = "8", description = "Attempts per request.")
  int maxAttempts;

  @Option(
      names = "--max-wait",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "Longest Retry-After the run sits out; a longer one ends the run (partial, exit 3).")
  Duration maxWait;

  @Option(
      names = "--default-retry-after",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Wait after a 429 that has no Retry-After header (Spotify's window is 30 s).")
  Duration defaultRetryAfter;

  @Option(
      names = "--part-max-pages",
      defaultValue = "5000",
      description = "Pages per landing part.")
  int partMaxPages;

  @Option(names = "--part-max-mb", defaultValue = "128", description = "Uncompressed MB per part.")
  int partMaxMb;

  @Option(
      names = "--log-format",
      defaultValue = "${env:LOG_FORMAT:-text}",
      description = "text, or json for Cloud Logging (env LOG_FORMAT).")
  String logFormat;

  @Option(names = "--no-progress", description = "No progress bar or progress log lines.")
  boolean noProgress;

  /** Everything opened for a run, closed together. */
  public static final class Opened implements AutoCloseable {
    public final Extraction extraction;
    final OkHttpClient http;
    final BlobStore landing;

    Opened(Extraction extraction, OkHttpClient http, BlobStore landing) {
      this.extraction = extraction;
      this.http = http;
      this.landing = landing;
    }

    public OkHttpClient http() {
      return http;
    }

    @Override
    public void close() throws IOException {
      landing.close();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  public void configureLogging() {
    LoggingSetup.configure(logFormat);
  }

  /** Problems with the shared options; commands add their own and report all at once. */
  List<String> problems() {
    List<String> p = new ArrayList<>();
    if (HttpUrl.parse(apiBaseUrl) == null) {
      p.add("--api-base-url '" + apiBaseUrl + "' is not an http(s) URL");
    }
    if (HttpUrl.parse(accountsBaseUrl) == null) {
      p.add("--accounts-base-url '" + accountsBaseUrl + "' is not an http(s) URL");
    }
    if (!"auto".equalsIgnoreCase(appMode)) {
      try {
        AppMode.parse(appMode);
      } catch (IllegalArgumentException e) {
        p.add("--app-mode: " + e.getMessage() + " or auto");
      }
    }
    if (!(maxRps > 0)) {
      p.add("--max-rps must be positive");
    }
    if (concurrency < 1 || concurrency > 256) {
      p.add("--concurrency must be between 1 and 256");
    }
    if (maxAttempts < 1) {
      p.add("--max-attempts must be at least 1");
    }
    if (partMaxPages < 1 || partMaxMb < 1) {
      p.add("--part-max-pages and --part-max-mb must be positive");
    }
    if (!"text".equals(logFormat) && !"json".equals(logFormat)) {
      p.add("--log-format must be text or json");
    }
    if (runId() != null) {
      try {
        LandingPartition.checkRunId(runId());
      } catch (IllegalArgumentException e) {
        p.add("--run-id: " + e.getMessage());
      }
    }
    try {
      shard();
    } catch (IllegalArgumentException e) {
      p.add(e.getMessage());
    }
    return p;
  }

  static void fail(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid arguments:\n  - " + String.join("\n  - ", problems));
    }
  }

  String runId() {
    if (runId != null && !runId.isBlank()) {
      return runId;
    }
    String execution = System.getenv("CLOUD_RUN_EXECUTION");
    if (execution != null && !execution.isBlank()) {
      return execution;
    }
    return "manual-"
        + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(Clock.systemUTC().instant());
  }

  Shard shard() {
    return shard != null ? Shard.parse(shard) : Shard.fromEnvironment(System.getenv());
  }

  AppMode configuredMode() {
    return "auto".equalsIgnoreCase(appMode) ? null : AppMode.parse(appMode);
  }

  OkHttpClient httpClient() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(Math.max(64, concurrency * 2));
    dispatcher.setMaxRequestsPerHost(Math.max(64, concurrency * 2));
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(Math.max(5, concurrency), 5, TimeUnit.MINUTES))
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(60, TimeUnit.SECONDS)
        .callTimeout(120, TimeUnit.SECONDS)
        .build();
  }

  /** Opens stores and clients; call after validation. */
  Opened open(Timing timing) throws IOException {
    OkHttpClient http = httpClient();
    BlobStore landingStore = BlobStores.open(landing);
    ClientStats stats = new ClientStats();
    RetrySettings retry =
        new RetrySettings(
            maxAttempts,
            maxWait,
            defaultRetryAfter,
            Duration.ofMillis(500),
            Duration.ofSeconds(30));
    String[] credentials = credentials(http);
    AccountsClient accounts =
        new AccountsClient(
            http,
            Json.mapper(),
            HttpUrl.get(accountsBaseUrl),
            credentials[0],
            Secret.of(credentials[1]),
            stats,
            timing,
            retry);
    SpotifyHttp spotifyHttp =
        new SpotifyHttp(http, Json.mapper(), new RequestGate(maxRps, timing), stats, timing, retry);
    SpotifyClient client =
        new SpotifyClient(
            spotifyHttp, HttpUrl.get(apiBaseUrl), RefreshingTokens.forApp(accounts, timing));
    Extraction x =
        new Extraction(
            client,
            accounts,
            landingStore,
            runId(),
            date != null ? date : LocalDate.now(ZoneOffset.UTC),
            shard(),
            configuredMode(),
            concurrency,
            new LandingWriter.Limits(partMaxPages, (long) partMaxMb << 20),
            timing,
            Clock.systemUTC(),
            noProgress ? Progress.NONE : Progress.auto("json".equals(logFormat)));
    return new Opened(x, http, landingStore);
  }

  /** Client id and secret: configured, or a local simulator's. Never logged. */
  private String[] credentials(OkHttpClient http) throws IOException {
    String secret = null;
    if (clientSecretRef.startsWith("env:")) {
      secret = System.getenv(clientSecretRef.substring(4));
    } else if (clientSecretRef.startsWith("sm://")) {
      secret =
          new String(
                  SecretAccess.google().read(SecretAccess.Ref.parse(clientSecretRef)),
                  StandardCharsets.UTF_8)
              .trim();
    } else if (!"sim".equals(clientSecretRef)) {
      throw new IllegalArgumentException(
          "--client-secret-ref '" + clientSecretRef + "' must be env:VARIABLE, sm://... or sim");
    }
    if (clientId != null && !clientId.isBlank() && secret != null && !secret.isBlank()) {
      return new String[] {clientId, secret};
    }
    SimulatorUsers.SimulatorApp sim;
    try {
      sim = new SimulatorUsers(http, HttpUrl.get(accountsBaseUrl)).app();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "no Spotify client credentials: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (or"
              + " --client-secret-ref sm://...), or start the local simulator ("
              + e.getMessage()
              + ")");
    }
    if (sim.clientSecret() == null) {
      throw new IllegalArgumentException(
          "the simulator at " + accountsBaseUrl + " did not provide client credentials");
    }
    return new String[] {
      clientId != null && !clientId.isBlank() ? clientId : sim.clientId(),
      secret != null && !secret.isBlank() ? secret : sim.clientSecret().reveal()
    };
  }

  /** "sim", sm://..., or a JSON file path/URI (local or gs://). */
  UserSource users(String spec, OkHttpClient http) throws IOException {
    if ("sim".equals(spec)) {
      return new SimulatorUsers(http, HttpUrl.get(accountsBaseUrl));
    }
    if (spec.startsWith("sm://")) {
      return new SecretManagerUsers(SecretAccess.google(), SecretAccess.Ref.parse(spec));
    }
    String[] parent = splitParent(spec);
    return new FileUsers(BlobStores.open(parent[0]), parent[1]);
  }

  /** Splits "gs://b/dir/file.json" or "dir/file.json" into its folder and last segment. */
  static String[] splitParent(String uri) {
    String trimmed = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    int slash = trimmed.lastIndexOf('/');
    if (slash < 0) {
      return new String[] {".", trimmed};
    }
    String parent = trimmed.substring(0, slash);
    if (parent.equals("gs:/") || parent.isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' names no object inside a bucket or folder");
    }
    return new String[] {parent, trimmed.substring(slash + 1)};
  }

  String landingUri() {
    return landing;
  }
}
