package dev.listening.extractor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.listening.landing.Endpoint;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends Web API requests under one Failsafe retry policy: 429 honours Retry-After (for every
 * worker, through the shared {@link RequestGate}) and backs the whole app off exponentially when
 * the header is missing; 5xx, I/O errors (timeouts included) and malformed bodies back off
 * exponentially with jitter; a 401 refreshes the access token and tries again. A quota exhaustion
 * or a wait longer than {@link RetrySettings#maxWait()} throws {@link ApiException.StopRun} and
 * closes the gate, so that nothing more is sent.
 *
 * <p>Failsafe decides whether to retry; the waiting itself happens here, through {@link Timing},
 * because Failsafe's synchronous retries sleep with {@code Thread.sleep} (tests could not run
 * instantly) and only for the one request, not for the whole app. How many attempts a request gets
 * is its own budget ({@link Call}): {@code maxAttempts} failures, and 429s apart from them, since a
 * 429 is the server's pacing, not a failure of the request.
 *
 * <p>A 2xx answer whose body is not whole JSON is counted, kept with the answer that finally came
 * whole ({@link ApiResponse#malformedAttempts()}) so that the run can quarantine it, and fetched
 * again.
 */
public final class SpotifyHttp {
  private static final String USER_AGENT = "listening-pipeline-extractor/0.1";

  private final OkHttpClient http;
  private final ObjectMapper json;
  private final RequestGate gate;
  private final ClientStats stats;
  private final Timing timing;
  private final RetrySettings settings;
  private final DoubleSupplier random;
  private final RetryPolicy<ApiResponse> policy;
  // 429s in a row without Retry-After, for the app-wide backoff; reset by an accepted request.
  private final AtomicInteger headerless429s = new AtomicInteger();

  public SpotifyHttp(
      OkHttpClient http,
      ObjectMapper json,
      RequestGate gate,
      ClientStats stats,
      Timing timing,
      RetrySettings settings) {
    this(http, json, gate, stats, timing, settings, () -> ThreadLocalRandom.current().nextDouble());
  }

  SpotifyHttp(
      OkHttpClient http,
      ObjectMapper json,
      RequestGate gate,
      ClientStats stats,
      Timing timing,
      RetrySettings settings,
      DoubleSupplier random) {
    this.http = http;
    this.json = json;
    this.gate = gate;
    this.stats = stats;
    this.timing = timing;
    this.settings = settings;
    this.random = random;
    this.policy =
        RetryPolicy.<ApiResponse>builder()
            .handle(ApiException.Retryable.class)
            .withMaxRetries(-1) // bounded by each call's own budget, see Call
            .onRetry(e -> stats.retry())
            .build();
  }

  public ClientStats stats() {
    return stats;
  }

  /** One request and what its attempts so far have met. */
  private static final class Call {
    final Endpoint endpoint;
    final HttpUrl url;
    final Map<String, String> params;
    final AccessTokenSource tokens;
    final String what;
    final List<Secret> rejectedTokens = new ArrayList<>();
    final List<ApiResponse> malformed = new ArrayList<>();
    int failures;
    int rateLimited;

    Call(Endpoint endpoint, HttpUrl url, Map<String, String> params, AccessTokenSource tokens) {
      this.endpoint = endpoint;
      this.url = url;
      this.params = params;
      this.tokens = tokens;
      this.what = endpoint != null ? endpoint.landingName() : url.encodedPath();
    }
  }

  /**
   * GETs {@code url} with a bearer token from {@code tokens}. Returns 2xx responses and the 4xx
   * answers a caller must judge itself (400, 403, 404); throws for the rest.
   *
   * @param endpoint the landing endpoint of the answer, or null for a call that is not landed
   */
  public ApiResponse get(
      Endpoint endpoint, HttpUrl url, Map<String, String> params, AccessTokenSource tokens) {
    Call call = new Call(endpoint, url, params, tokens);
    try {
      return Failsafe.with(policy)
          .get(
              ctx -> {
                if (ctx.getAttemptCount() > 0) {
                  backOffAfter(ctx.getLastException(), call);
                }
                return withinBudget(call);
              });
    } catch (FailsafeException e) {
      // Only checked exceptions are wrapped; our attempt throws none but InterruptedException.
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ApiException("interrupted while calling " + url.encodedPath(), 0, e.getCause());
    }
  }

  private void backOffAfter(Throwable failure, Call call) throws InterruptedException {
    // A 429 waits in the gate (for everyone), a rejected token is simply refreshed.
    if (failure instanceof ApiException.Retryable r
        && r.retryAfter() == null
        && !(failure instanceof ApiException.TokenRejected)) {
      Duration wait = settings.backoff(call.failures, random.getAsDouble());
      stats.backoff(wait);
      timing.sleep(wait);
    }
  }

  /** One attempt; a retryable failure past the call's budget ends it instead. */
  private ApiResponse withinBudget(Call call) throws InterruptedException {
    try {
      return attempt(call);
    } catch (ApiException.Retryable e) {
      // A 429 the gate waits out (it carries its wait) is the server's pacing, not a failure.
      boolean spent =
          e.retryAfter() != null
              ? ++call.rateLimited >= RetrySettings.RATE_LIMITED_ATTEMPTS * settings.maxAttempts()
              : ++call.failures >= settings.maxAttempts();
      if (spent) {
        throw new ApiException(
            e.getMessage()
                + " (gave up after "
                + call.failures
                + " failed attempt(s) and "
                + call.rateLimited
                + " 429(s))",
            e.status(),
            e);
      }
      throw e;
    }
  }

  private ApiResponse attempt(Call call) throws InterruptedException {
    // The token first: a refresh (with its own retries) must not sit between the gate letting this
    // request go and the request going, or it could go out into a Retry-After that began meanwhile.
    Secret token = call.tokens.token();
    gate.acquire();
    Request request =
        new Request.Builder()
            .url(call.url)
            .header("Authorization", "Bearer " + token.reveal())
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT)
            .get()
            .build();
    int status;
    byte[] bytes;
    Instant serverTime;
    try (Response response = http.newCall(request).execute()) {
      status = response.code();
      bytes = response.body().bytes();
      Date date = response.headers().getDate("Date");
      serverTime = date == null ? null : date.toInstant();
      stats.response(status);
      if (status == 429) {
        throw rateLimited(call.what, bytes, response.header("Retry-After"));
      }
    } catch (InterruptedIOException e) {
      stats.ioError();
      stats.timeout();
      throw new ApiException.Retryable(
          "no answer from " + call.what + " in time: " + e.getMessage(), 0, null, e);
    } catch (IOException e) {
      stats.ioError();
      throw new ApiException.Retryable(
          "I/O error calling " + call.what + ": " + e.getMessage(), 0, null, e);
    }
    if (status == 401) {
      if (call.rejectedTokens.contains(token)) {
        throw new ApiException(
            call.what + " rejected a freshly refreshed access token (401): " + message(bytes), 401);
      }
      // Another token than one already refused: it may have expired since (another worker's
      // refresh, or early), so refresh it and try again.
      call.rejectedTokens.add(token);
      stats.refreshedOn401();
      call.tokens.invalidate(token);
      throw new ApiException.TokenRejected(call.what + " answered 401: " + message(bytes));
    }
    if (status >= 500) {
      throw new ApiException.Retryable(
          call.what + " answered " + status + ": " + message(bytes), status, null, null);
    }
    if (status / 100 == 2) {
      gate.accepted();
      headerless429s.set(0);
    }
    JsonNode body;
    try {
      body = bytes.length == 0 ? null : json.readTree(bytes);
    } catch (IOException e) {
      if (status / 100 == 2) {
        stats.malformedBody();
        call.malformed.add(
            new ApiResponse(
                call.endpoint,
                call.url.encodedPath(),
                call.params,
                status,
                null,
                bytes,
                serverTime));
        throw new ApiException.Retryable(
            call.what + " sent a malformed JSON body (" + bytes.length + " bytes)",
            status,
            null,
            e);
      }
      body = null; // a 4xx with an HTML body: the status says enough
    }
    return new ApiResponse(
        call.endpoint,
        call.url.encodedPath(),
        call.params,
        status,
        body,
        bytes,
        serverTime,
        List.copyOf(call.malformed));
  }

  private ApiException rateLimited(String endpoint, byte[] bytes, String retryAfterHeader) {
    String reason = errorField(bytes, "reason");
    Duration announced = parseRetryAfter(retryAfterHeader);
    if ("QUOTA_EXCEEDED".equals(reason)) {
      ApiException.StopRun stop =
          new ApiException.StopRun(
              "Spotify quota exhausted on "
                  + endpoint
                  + (announced == null ? "" : " (Retry-After " + announced.toSeconds() + " s)")
                  + ": stopping; the next run resumes where this one stopped",
              429,
              announced,
              true);
      gate.close(stop);
      return stop;
    }
    Duration wait;
    if (announced != null) {
      wait = announced;
    } else {
      // No header: back off, for the whole app, longer with each block that ends in another one.
      stats.headerless429();
      int n = gate.blocked() ? Math.max(1, headerless429s.get()) : headerless429s.incrementAndGet();
      wait = settings.rateLimitBackoff(n, random.getAsDouble());
    }
    if (wait.compareTo(settings.maxWait()) > 0) {
      ApiException.StopRun stop =
          new ApiException.StopRun(
              endpoint
                  + " asked to wait "
                  + wait.toSeconds()
                  + " s, longer than --max-wait "
                  + settings.maxWait().toSeconds()
                  + " s: stopping; the next run resumes where this one stopped",
              429,
              wait,
              false);
      gate.close(stop);
      return stop;
    }
    stats.retryAfter(wait);
    stats.blockedByRateLimit(gate.blockFor(wait));
    return new ApiException.Retryable(
        endpoint
            + " answered 429"
            + (announced == null ? " without Retry-After" : "")
            + "; waiting "
            + wait.toMillis()
            + " ms",
        429,
        wait,
        null);
  }

  private static Duration parseRetryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      return null; // an HTTP-date form: Spotify does not send it; fall back to the default
    }
  }

  private String errorField(byte[] bytes, String field) {
    try {
      JsonNode node = json.readTree(bytes);
      JsonNode error = node == null ? null : node.path("error");
      return error != null && error.hasNonNull(field) ? error.get(field).asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private String message(byte[] bytes) {
    String m = errorField(bytes, "message");
    return m == null ? "(no error message)" : m;
  }
}
