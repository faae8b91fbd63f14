package dev.listening.extractor.api;

import java.time.Duration;

/**
 * How hard one request tries.
 *
 * @param maxAttempts attempts per request, first one included, not counting 429s: a request
 *     answered 429 waits as told and tries again, up to {@link #RATE_LIMITED_ATTEMPTS} times this
 * @param maxWait the longest Retry-After a run will sit out; a longer one ends the run (partial)
 * @param defaultRetryAfter the longest wait after a 429 without a Retry-After header: the app backs
 *     off from {@link #RATE_LIMIT_BACKOFF_BASE}, doubling while such 429s keep coming, up to this
 * @param backoffBase first backoff after a 5xx, I/O error or malformed body; doubles per attempt
 * @param backoffCap upper bound of that backoff
 */
public record RetrySettings(
    int maxAttempts,
    Duration maxWait,
    Duration defaultRetryAfter,
    Duration backoffBase,
    Duration backoffCap) {

  public RetrySettings {
    StringBuilder problems = new StringBuilder();
    if (maxAttempts < 1) {
      problems.append(" max attempts must be at least 1;");
    }
    for (var d :
        new Object[][] {
          {"max wait", maxWait},
          {"default Retry-After", defaultRetryAfter},
          {"backoff base", backoffBase},
          {"backoff cap", backoffCap}
        }) {
      if (d[1] == null || ((Duration) d[1]).isNegative()) {
        problems.append(' ').append(d[0]).append(" must be zero or positive;");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid retry settings:" + problems);
    }
  }

  /** The first wait after a 429 that came without Retry-After. */
  public static final Duration RATE_LIMIT_BACKOFF_BASE = Duration.ofSeconds(1);

  /** 429s one request may meet, as a multiple of {@code maxAttempts}. */
  public static final int RATE_LIMITED_ATTEMPTS = 4;

  public static RetrySettings defaults() {
    return new RetrySettings(
        8,
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        Duration.ofSeconds(30));
  }

  /**
   * Exponential backoff with "equal jitter": half the step is fixed, half random, so workers that
   * failed together do not retry together.
   */
  Duration backoff(int failedAttempts, double random) {
    double step = backoffBase.toNanos() * Math.pow(2, Math.max(0, failedAttempts - 1));
    double capped = Math.min(step, backoffCap.toNanos());
    return Duration.ofNanos((long) (capped / 2 + random * capped / 2));
  }

  /**
   * The app's wait after the {@code n}-th 429 in a row without Retry-After: from {@link
   * #RATE_LIMIT_BACKOFF_BASE}, doubling, capped at {@code defaultRetryAfter}, with equal jitter.
   */
  Duration rateLimitBackoff(int n, double random) {
    double step = RATE_LIMIT_BACKOFF_BASE.toNanos() * Math.pow(2, Math.max(0, n - 1));
    double capped = Math.min(step, defaultRetryAfter.toNanos());
    return Duration.ofNanos((long) (capped / 2 + random * capped / 2));
  }
}
