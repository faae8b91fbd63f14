package dev.listening.extractor.run;

import dev.listening.extractor.Json;
import dev.listening.extractor.api.AccountsClient;
import dev.listening.extractor.api.ClientStats;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.api.RequestGate;
import dev.listening.extractor.api.Secret;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.api.SpotifyHttp;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.config.ClientSecretRef;
import dev.listening.extractor.config.Connection;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.state.WatermarkStore;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.BlobStores;
import dev.listening.extractor.users.FileUsers;
import dev.listening.extractor.users.SecretAccess;
import dev.listening.extractor.users.SecretManagerUsers;
import dev.listening.extractor.users.SimulatorUsers;
import dev.listening.extractor.users.UserSource;
import dev.listening.landing.StateLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Wires a run from its validated config: the HTTP client, the landing and state stores, the
 * credentials, the users source and the API clients. The one place this wiring happens; commands
 * and tests both call it.
 */
public final class ExtractionFactory {
  private ExtractionFactory() {}

  /** Opens the landing and state the config names. */
  public static Extraction open(ExtractorConfig config, Timing timing, SecretAccess secrets)
      throws IOException {
    if (needsGoogle(config)) {
      Preflight.googleCredentials(System.getenv());
    }
    BlobStore landing = BlobStores.open(config.landing());
    try {
      BlobStore state = config.state() == null ? null : BlobStores.open(config.state());
      return open(config, timing, secrets, landing, state);
    } catch (IOException | RuntimeException e) {
      landing.close();
      throw e;
    }
  }

  /**
   * Opens with the given landing and state stores (for tests of gs:// over an in-memory Storage);
   * the extraction closes them.
   *
   * @param state null when the command keeps no state
   */
  public static Extraction open(
      ExtractorConfig config,
      Timing timing,
      SecretAccess secrets,
      BlobStore landing,
      BlobStore state)
      throws IOException {
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(landing);
    if (state != null) {
      resources.add(state);
    }
    // Before the first request: a run that cannot land must not spend any.
    Preflight.writable("--landing", landing);
    // Temp files a killed process left: its probes and state writes. Live shards' are kept (their
    // writer still runs, or they are younger than the age rule).
    Duration stale = Duration.ofMinutes(10);
    landing.removeTempFiles(StateLayout.DEFAULT_FOLDER, stale);
    if (state != null) {
      Preflight.writable("--state", state);
      String watermarks = StateLayout.watermarks();
      state.removeTempFiles(StateLayout.DEFAULT_FOLDER, stale);
      state.removeTempFiles(watermarks.substring(0, watermarks.lastIndexOf('/')), stale);
    }
    OkHttpClient http = httpClient(config.concurrency(), config.requestTimeout());
    resources.add(
        () -> {
          http.dispatcher().executorService().shutdown();
          http.connectionPool().evictAll();
        });
    ClientStats stats = new ClientStats();
    Credentials credentials = credentials(config.connection(), http, secrets);
    AccountsClient accounts =
        new AccountsClient(
            http,
            Json.mapper(),
            config.accountsBaseUrl(),
            credentials.clientId(),
            credentials.clientSecret(),
            stats,
            timing,
            config.retry());
    SpotifyHttp spotifyHttp =
        new SpotifyHttp(
            http,
            Json.mapper(),
            new RequestGate(config.maxRps(), timing),
            stats,
            timing,
            config.retry());
    SpotifyClient client =
        new SpotifyClient(
            spotifyHttp, config.apiBaseUrl(), RefreshingTokens.forApp(accounts, timing));
    UserSource users =
        config.users() == null
            ? null
            : users(config.users(), config.connection(), http, secrets, resources);
    WatermarkStore watermarks =
        state == null ? null : new WatermarkStore(state, StateLayout.watermarks(), timing);
    return new Extraction(
        config,
        client,
        accounts,
        landing,
        users,
        watermarks,
        timing,
        Clock.systemUTC(),
        config.progress() ? Progress.auto("json".equals(config.logFormat())) : Progress.NONE,
        resources,
        AppModes.load(landing));
  }

  private static boolean needsGoogle(ExtractorConfig c) {
    return c.landing().startsWith("gs://")
        || (c.state() != null && c.state().startsWith("gs://"))
        || (c.users() != null && (c.users().startsWith("gs://") || c.users().startsWith("sm://")))
        || c.connection().clientSecret() instanceof ClientSecretRef.SecretManager;
  }

  /** With the default 30 s request timeout (the authorize command's). */
  public static OkHttpClient httpClient(int concurrency) {
    return httpClient(concurrency, java.time.Duration.ofSeconds(30));
  }

  /**
   * The HTTP client of a run: {@code requestTimeout} bounds each call, connecting and reading the
   * answer included, so that a response slower than it is abandoned and tried again.
   */
  public static OkHttpClient httpClient(int concurrency, java.time.Duration requestTimeout) {
    long timeoutMs = requestTimeout.toMillis();
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(Math.max(64, concurrency * 2));
    dispatcher.setMaxRequestsPerHost(Math.max(64, concurrency * 2));
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(Math.max(5, concurrency), 5, TimeUnit.MINUTES))
        .connectTimeout(Math.min(timeoutMs, 10_000), TimeUnit.MILLISECONDS)
        .readTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .callTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .build();
  }

  /** The app's client id and secret. */
  public record Credentials(String clientId, Secret clientSecret) {
    @Override
    public String toString() {
      return "Credentials[clientId=" + clientId + ", clientSecret=" + clientSecret + "]";
    }
  }

  /**
   * The app's credentials: configured (from the environment or Secret Manager), or on the simulator
   * target when none are, the simulator's. Never logged.
   */
  public static Credentials credentials(Connection c, OkHttpClient http, SecretAccess secrets)
      throws IOException {
    if (!c.simulatorCredentials()) {
      Secret secret =
          c.clientSecret() instanceof ClientSecretRef.Env env
              ? env.value()
              : Secret.of(
                  new String(
                          secrets.read(((ClientSecretRef.SecretManager) c.clientSecret()).ref()),
                          StandardCharsets.UTF_8)
                      .trim());
      return new Credentials(c.clientId(), secret);
    }
    SimulatorUsers.SimulatorApp sim;
    try {
      sim = new SimulatorUsers(http, c.accountsBaseUrl()).app();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "no client credentials configured and no simulator answers at "
              + c.accountsBaseUrl()
              + ": start it (java -jar simulator.jar), or set SPOTIFY_CLIENT_ID and"
              + " SPOTIFY_CLIENT_SECRET ("
              + e.getMessage()
              + ")");
    }
    if (sim.clientSecret() == null) {
      throw new IllegalArgumentException(
          "the simulator at " + c.accountsBaseUrl() + " did not provide client credentials");
    }
    return new Credentials(sim.clientId(), sim.clientSecret());
  }

  /**
   * "sim", sm://..., or a JSON file path/URI (local or gs://); a local users file is written 0600.
   *
   * @param resources the opened store is added, to be closed with the run
   */
  public static UserSource users(
      String spec,
      Connection connection,
      OkHttpClient http,
      SecretAccess secrets,
      List<AutoCloseable> resources)
      throws IOException {
    if ("sim".equals(spec)) {
      return new SimulatorUsers(http, connection.accountsBaseUrl());
    }
    if (spec.startsWith("sm://")) {
      return new SecretManagerUsers(secrets, SecretAccess.Ref.parse(spec));
    }
    String[] parent = splitParent(spec);
    BlobStore folder = BlobStores.openPrivate(parent[0]);
    resources.add(folder);
    return new FileUsers(folder, parent[1]);
  }

  /** Splits "gs://b/dir/file.json" or "dir/file.json" into its folder and last segment. */
  public static String[] splitParent(String uri) {
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
}
