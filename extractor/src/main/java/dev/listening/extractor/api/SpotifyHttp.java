package dev.listening.extractor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.listening.landing.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends Web API requests under one Failsafe retry policy: 429 honours Retry-After (for every
 * worker, through the shared {@link RequestGate}), 5xx, I/O errors and malformed bodies back off
 * exponentially with jitter, a 401 refreshes the access token once. A quota exhaustion or a wait
 * longer than {@link RetrySettings#maxWait()} throws {@link ApiException.StopRun}.
 *
 * <p>Failsafe decides whether and how often to retry; the waiting itself happens here, through
 * {@link Timing}, because Failsafe's synchronous retries sleep with {@code Thread.sleep} (tests
 * could not run instantly) and only for the one request, not for the whole app.
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
            .withMaxAttempts(settings.maxAttempts())
            .onRetry(e -> stats.retry())
            .build();
  }

  public ClientStats stats() {
    return stats;
  }

  /**
   * GETs {@code url} with a bearer token from {@code tokens}. Returns 2xx responses and the 4xx
   * answers a caller must judge itself (400, 403, 404); throws for the rest.
   *
   * @param endpoint the landing endpoint of the answer, or null for a call that is not landed
   */
  public ApiResponse get(
      Endpoint endpoint, HttpUrl url, Map<String, String> params, AccessTokenSource tokens) {
    boolean[] refreshedOn401 = {false};
    try {
      return Failsafe.with(policy)
          .get(
              ctx -> {
                if (ctx.getAttemptCount() > 0) {
                  backOffAfter(ctx.getLastException(), ctx.getAttemptCount());
                }
                return attempt(endpoint, url, params, tokens, refreshedOn401);
              });
    } catch (FailsafeException e) {
      // Only checked exceptions are wrapped; our attempt throws none but InterruptedException.
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ApiException("interrupted while calling " + url.encodedPath(), 0, e.getCause());
    }
  }

  private void backOffAfter(Throwable failure, int failedAttempts) throws InterruptedException {
    if (failure instanceof ApiException.Retryable r
        && r.retryAfter() == null
        && !(failure instanceof ApiException.TokenRejected)) {
      Duration wait = settings.backoff(failedAttempts, random.getAsDouble());
      stats.backoff(wait);
      timing.sleep(wait);
    }
  }

  private ApiResponse attempt(
      Endpoint endpoint,
      HttpUrl url,
      Map<String, String> params,
      AccessTokenSource tokens,
      boolean[] refreshedOn401)
      throws InterruptedException {
    String what = endpoint != null ? endpoint.landingName() : url.encodedPath();
    gate.acquire();
    Secret token = tokens.token();
    Request request =
        new Request.Builder()
            .url(url)
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
        throw rateLimited(what, bytes, response.header("Retry-After"));
      }
    } catch (IOException e) {
      stats.ioError();
      throw new ApiException.Retryable(
          "I/O error calling " + what + ": " + e.getMessage(), 0, null, e);
    }
    if (status == 401) {
      if (refreshedOn401[0]) {
        throw new ApiException(
            what + " rejected a freshly refreshed access token (401): " + message(bytes), 401);
      }
      refreshedOn401[0] = true;
      stats.refreshedOn401();
      tokens.invalidate(token);
      throw new ApiException.TokenRejected(what + " answered 401: " + message(bytes));
    }
    if (status >= 500) {
      throw new ApiException.Retryable(
          what + " answered " + status + ": " + message(bytes), status, null, null);
    }
    JsonNode body;
    try {
      body = bytes.length == 0 ? null : json.readTree(bytes);
    } catch (IOException e) {
      if (status / 100 == 2) {
        throw new ApiException.Retryable(
            what + " sent a malformed JSON body (" + bytes.length + " bytes)", status, null, e);
      }
      body = null; // a 4xx with an HTML body: the status says enough
    }
    if (status / 100 == 2) {
      gate.accepted();
    }
    return new ApiResponse(endpoint, url.encodedPath(), params, status, body, bytes, serverTime);
  }

  private ApiException rateLimited(String endpoint, byte[] bytes, String retryAfterHeader) {
    String reason = errorField(bytes, "reason");
    Duration announced = parseRetryAfter(retryAfterHeader);
    if ("QUOTA_EXCEEDED".equals(reason)) {
      return new ApiException.StopRun(
          "Spotify quota exhausted on "
              + endpoint
              + (announced == null ? "" : " (Retry-After " + announced.toSeconds() + " s)")
              + ": stopping; the next run resumes where this one stopped",
          429,
          announced,
          true);
    }
    Duration wait = announced == null ? settings.defaultRetryAfter() : announced;
    if (wait.compareTo(settings.maxWait()) > 0) {
      return new ApiException.StopRun(
          endpoint
              + " asked to wait "
              + wait.toSeconds()
              + " s, longer than --max-wait "
              + settings.maxWait().toSeconds()
              + " s: stopping; the next run resumes where this one stopped",
          429,
          wait,
          false);
    }
    stats.retryAfter(wait);
    gate.blockFor(wait);
    return new ApiException.Retryable(
        endpoint + " answered 429; waiting " + wait.toMillis() + " ms", 429, wait, null);
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
