package dev.listening.extractor.api;

import java.time.Duration;

/**
 * How hard one request tries.
 *
 * @param maxAttempts attempts per request, first one included
 * @param maxWait the longest Retry-After a run will sit out; a longer one ends the run (partial)
 * @param defaultRetryAfter the wait assumed when a 429 comes without a Retry-After header
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
}
