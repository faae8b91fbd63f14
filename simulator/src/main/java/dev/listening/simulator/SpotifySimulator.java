package dev.listening.simulator;

import dev.listening.landing.AppMode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic stand-in for the Spotify Web API and accounts service, on loopback.
 *
 * <p>Serves {@code /v1} (recently-played, tracks, albums, artists, new releases, playlist items),
 * {@code POST /api/token}, and {@code /_sim/...} admin endpoints, from a day of plays generated
 * from the config's seed. It knows every play it generated ({@link #groundTruth()}), so a test can
 * prove that an extractor landed exactly what was retrievable.
 *
 * <p>Every response's {@code Date} header is the simulated clock, as Spotify's is its own clock:
 * the server (Jetty) is told not to stamp the wall clock, so clients read time exactly as they
 * would from Spotify.
 */
public final class SpotifySimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpotifySimulator.class);
  private static final String CLIENT_ID = "sim-client-id";

  /**
   * Handler threads: enough that slow faults (sleeping handlers) do not stall a parallel client.
   */
  private static final int MAX_THREADS = 64;

  private final SimulatorConfig config;
  private final SimWorld world;
  private final Server server;
  private final String host;
  private final SimClock clock;
  private final SimStats stats = new SimStats();
  private final Tokens tokens;
  private final FaultInjector injector;
  private final List<SimUser> users;
  private final String clientSecret;
  private final LongSupplier nanoTime;
  private final AtomicReference<SimulatorConfig.Faults> faults;
  private final AtomicReference<Limits> limits;
  private final java.util.concurrent.ConcurrentHashMap<String, RetryAfterWatch> retryAfterWatches =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ApiHandler api;
  private final TokenEndpoint tokenEndpoint;
  private final Authorization authorization;
  private final AdminEndpoints admin;

  /** The limiter and quota of one RateLimit setting; replaced together at runtime. */
  private record Limits(SimulatorConfig.RateLimit setting, RateLimiter window, DailyQuota quota) {}

  private SpotifySimulator(
      SimulatorConfig config, String bindHost, int port, LongSupplier nanoTime) {
    this.config = Objects.requireNonNull(config, "config");
    this.nanoTime = nanoTime;
    long started = System.nanoTime();
    this.world = SimWorld.generate(config);
    this.clock =
        new SimClock(config.day().atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(3600));
    this.tokens = new Tokens(config.seed(), config.users());
    this.injector = new FaultInjector(config.seed());
    this.clientSecret = Mix.hex(Mix.hash(config.seed(), Mix.hash("client-secret")), 32);
    this.faults = new AtomicReference<>(config.faults());
    this.limits = new AtomicReference<>(limitsFor(config.rateLimit()));
    this.users = buildUsers();
    this.server = newServer(bindHost, port);
    ServerConnector connector = (ServerConnector) server.getConnectors()[0];
    try {
      connector.open(); // binds now, so the port (for port 0) is known before the handlers exist
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the simulator to " + bindHost + ":" + port, e);
    }
    this.host = bindHost + ":" + connector.getLocalPort();
    boolean extended = config.profile() == AppMode.EXTENDED;
    this.api = new ApiHandler(this, world, new JsonRenderer(world.catalog, extended, apiBaseUrl()));
    this.authorization = new Authorization(this, tokens, config.users());
    this.tokenEndpoint =
        new TokenEndpoint(this, tokens, authorization, world.population.expired, config.seed());
    this.admin = new AdminEndpoints(this);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the simulator on " + host, e);
    }
    LOG.info(
        "Spotify simulator on {} ({} profile, seed {}, {} users, {} plays on {}, generated in {} ms)",
        apiBaseUrl(),
        config.profile().wireName(),
        config.seed(),
        config.users(),
        world.truth.playCount(),
        config.day(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Generates the day and serves it on 127.0.0.1; port 0 picks a free port. */
  public static SpotifySimulator start(SimulatorConfig config, int port) {
    return new SpotifySimulator(config, "127.0.0.1", port, System::nanoTime);
  }

  /** As {@link #start(SimulatorConfig, int)} on another address (e.g. 0.0.0.0 in a container). */
  public static SpotifySimulator start(SimulatorConfig config, String bindHost, int port) {
    return new SpotifySimulator(config, bindHost, port, System::nanoTime);
  }

  /** For tests: the rate limiter's real-time clock is {@code nanoTime}. */
  static SpotifySimulator start(SimulatorConfig config, int port, LongSupplier nanoTime) {
    return new SpotifySimulator(config, "127.0.0.1", port, nanoTime);
  }

  public String apiBaseUrl() {
    return "http://" + host + "/v1";
  }

  public String accountsBaseUrl() {
    return "http://" + host;
  }

  public String clientId() {
    return CLIENT_ID;
  }

  /** Derived from the seed. Never logged by the simulator; also served by GET /_sim/users. */
  public String clientSecret() {
    return clientSecret;
  }

  public SimClock clock() {
    return clock;
  }

  public List<SimUser> users() {
    return users;
  }

  public GroundTruth groundTruth() {
    return world.truth;
  }

  public Catalog catalog() {
    return world.catalog;
  }

  public SimStats stats() {
    return stats;
  }

  public SimulatorConfig config() {
    return config;
  }

  /**
   * Registers a redirect URI in the simulated app's dashboard (besides {@value
   * Authorization#DEFAULT_REDIRECT_URI}), as an app owner does before users can authorize.
   */
  public void registerRedirectUri(String uri) {
    authorization.registerRedirectUri(uri);
  }

  public void setFaults(SimulatorConfig.Faults faults) {
    this.faults.set(Objects.requireNonNull(faults, "faults"));
  }

  /** Replaces the limits; the window and quota start empty. */
  public void setRateLimit(SimulatorConfig.RateLimit limit) {
    this.limits.set(limitsFor(Objects.requireNonNull(limit, "limit")));
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("simulator on {} did not stop cleanly: {}", apiBaseUrl(), e.toString());
    }
    LOG.info("Spotify simulator on {} stopped; {}", apiBaseUrl(), stats);
  }

  SimulatorConfig.Faults faults() {
    return faults.get();
  }

  FaultInjector injector() {
    return injector;
  }

  void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Limits limitsFor(SimulatorConfig.RateLimit setting) {
    return new Limits(
        setting,
        new RateLimiter(setting, nanoTime, config.seed()),
        new DailyQuota(setting.dailyQuota(), setting.quotaRetryAfter(), nanoTime));
  }

  private List<SimUser> buildUsers() {
    Population p = world.population;
    Catalog c = world.catalog;
    List<SimUser> out = new ArrayList<>(p.size);
    for (int u = 0; u < p.size; u++) {
      List<String> owned = new ArrayList<>();
      for (int pl = 0; pl < c.userPlaylistCount; pl++) {
        if (c.playlistOwner[pl] == u) {
          owned.add(c.playlistIds[pl]);
        }
      }
      out.add(new SimUser(p.keys[u], tokens.refreshToken(u, 0), p.expired[u], owned));
    }
    return List.copyOf(out);
  }

  private Server newServer(String bindHost, int port) {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8);
    threads.setName("spotify-sim");
    threads.setDaemon(true);
    Server s = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendDateHeader(false); // the handler sends the simulated clock's Date
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(s, new HttpConnectionFactory(http));
    connector.setHost(bindHost);
    connector.setPort(port);
    connector.setAcceptQueueSize(128);
    s.addConnector(connector);
    s.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            SpotifySimulator.this.handle(request, response, callback);
            return true;
          }
        });
    return s;
  }

  private void handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getDecodedPath();
    try {
      Reply reply;
      if (path.equals("/v1") || path.startsWith("/v1/")) {
        reply = handleApi(HttpRequest.of(request, "/v1", host));
      } else if (path.equals("/authorize")) {
        reply = authorization.authorize(HttpRequest.of(request, "", host));
      } else if (path.equals("/api/token")) {
        stats.countTokenRequest();
        reply = tokenEndpoint.handle(HttpRequest.of(request, "", host));
      } else if (path.startsWith("/_sim/")) {
        stats.countAdminRequest();
        reply = admin.handle(HttpRequest.of(request, "", host), type -> stream(response, type));
      } else {
        reply = Reply.apiError(404, "Service not found");
      }
      if (reply != null) {
        send(response, reply, callback);
      } else {
        callback.succeeded();
      }
    } catch (IOException | RuntimeException e) {
      // A client that hung up mid-response lands here too; nothing to answer then.
      LOG.warn("simulator failed to answer {} {}: {}", request.getMethod(), path, e.toString());
      if (response.isCommitted()) {
        callback.failed(e);
      } else {
        send(response, Reply.apiError(500, "Simulator error"), callback);
      }
    }
  }

  private void send(Response response, Reply reply, Callback callback) {
    response.setStatus(reply.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, reply.contentType());
    h.put(HttpHeader.DATE, httpDate());
    reply.headers().forEach(h::put);
    h.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  /** A 200 streamed in chunks; closing the stream ends the response. */
  private OutputStream stream(Response response, String contentType) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.DATE, httpDate());
    return Content.Sink.asOutputStream(response);
  }

  private String httpDate() {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.now().atOffset(ZoneOffset.UTC));
  }

  private Reply handleApi(HttpRequest req) {
    stats.countRequest(ApiHandler.endpointName(req.path()));
    Reply reply = answerApi(req);
    stats.countStatus(reply.status());
    return reply;
  }

  private Reply answerApi(HttpRequest req) {
    String auth = req.authorization();
    String bearer =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).trim()
            : null;
    Tokens.Access token = tokens.parseAccess(bearer);
    long key =
        Mix.hash(
            req.method()
                + " "
                + req.path()
                + "?"
                + req.rawQuery()
                + " "
                + (token == null ? "-" : Integer.toString(token.subject())));
    // Every token this simulator issues is its one app's: that app is the client whose requests
    // share the rate limit and the quota, and whose patience with Retry-After is watched.
    RetryAfterWatch watch = retryAfterWatches.computeIfAbsent(CLIENT_ID, c -> newWatch());
    boolean early = watch.early(key);
    if (early) {
      stats.countEarly(CLIENT_ID);
    }
    Limits l = limits.get();
    RateLimiter.Decision d = l.window().tryAcquire(early);
    if (!d.allowed()) {
      stats.countRateLimited();
      stats.countRetryAfter(!d.headerMissing());
      Reply r = Reply.apiError(429, "API rate limit exceeded");
      if (d.headerMissing()) {
        return r;
      }
      watch.announced(key, d.retryAfterSeconds());
      return r.withHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
    }
    DailyQuota.Decision q = l.quota().tryAcquire(clock.nowMillis());
    if (!q.allowed()) {
      stats.countQuotaRejected();
      stats.countRetryAfter(true);
      watch.announced(key, q.retryAfterSeconds());
      return quotaExceeded(l.setting())
          .withHeader("Retry-After", Long.toString(q.retryAfterSeconds()));
    }
    stats.countAccepted();
    if (!req.method().equals("GET")) {
      return Reply.apiError(405, "Method not allowed").withHeader("Allow", "GET");
    }
    if (token == null) {
      return unauthorized(ApiHandler.INVALID_TOKEN);
    }
    SimulatorConfig.Faults f = faults.get();
    if (clock.nowMillis() >= token.expiresAtMs()) {
      return unauthorized(ApiHandler.EXPIRED_TOKEN);
    }
    if (injector.expiredEarly(f.tokenExpiryRate(), f.tokenMaxUses(), token.hash())) {
      stats.countInjected("token_expired");
      return unauthorized(ApiHandler.EXPIRED_TOKEN);
    }

    FaultInjector.Plan plan = injector.plan(f, key, true);
    if (plan.slow()) {
      stats.countInjected("slow");
      sleep(f.slowDelay());
    }
    if (plan.serverError() != 0) {
      stats.countInjected("server_error");
      injector.record(key, true);
      return switch (plan.serverError()) {
        case 502 -> Reply.badGatewayHtml();
        case 503 -> Reply.apiError(503, "Service unavailable");
        default -> Reply.apiError(500, "Server error.");
      };
    }
    Reply reply = api.route(req, token);
    boolean malformed = plan.malformed() && reply.status() == 200;
    if (malformed) {
      stats.countInjected("malformed");
    }
    // A slow answer counts as a fault too: a client that timed out asks again, and that attempt
    // must not be slow for the same reason.
    injector.record(key, malformed || plan.slow());
    return malformed ? reply.truncated() : reply;
  }

  private RetryAfterWatch newWatch() {
    return new RetryAfterWatch(nanoTime);
  }

  private static Reply quotaExceeded(SimulatorConfig.RateLimit setting) {
    return Reply.json(
        429,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeObjectFieldStart("error");
              g.writeNumberField("status", 429);
              g.writeStringField(
                  "message",
                  "Daily request quota of " + setting.dailyQuota() + " exceeded; try again later");
              g.writeStringField("reason", "QUOTA_EXCEEDED");
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  private static Reply unauthorized(String message) {
    return Reply.apiError(401, message)
        .withHeader(
            "WWW-Authenticate",
            "Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\""
                + message
                + "\"");
  }
}
