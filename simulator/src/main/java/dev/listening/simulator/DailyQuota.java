package dev.listening.simulator;

import java.util.function.LongSupplier;

/**
 * The development-mode daily quota: at most {@code dailyQuota} accepted API requests in any rolling
 * 24 hours of simulated time. Over it, requests are rejected with a Retry-After, and that
 * Retry-After holds: once it has passed (in real time, the time a client waits in), the quota is
 * renewed. With the default Retry-After of many hours that never happens during a run; a fault
 * profile that shortens it lets a stopped extractor come back and finish.
 */
final class DailyQuota {
  private static final long DAY_MS = 86_400_000L;
  private static final long SECOND = 1_000_000_000L;

  /** {@code retryAfterSeconds} is 0 when the request is allowed. */
  record Decision(boolean allowed, long retryAfterSeconds) {
    static final Decision ALLOW = new Decision(true, 0);
  }

  private final long quota;
  private final long retryAfterNanos;
  private final LongSupplier nanoTime;
  private final LongRing accepted;
  private boolean exhausted;
  private long renewsAtNanos;

  DailyQuota(long quota, java.time.Duration retryAfter, LongSupplier nanoTime) {
    this.quota = quota;
    this.retryAfterNanos = retryAfter.toNanos();
    this.nanoTime = nanoTime;
    this.accepted = new LongRing(Math.max(1, quota));
  }

  /** Counts the request when it fits the quota at simulated time {@code nowMs}. */
  synchronized Decision tryAcquire(long nowMs) {
    if (quota <= 0) {
      return Decision.ALLOW;
    }
    long now = nanoTime.getAsLong();
    if (exhausted && now - renewsAtNanos >= 0) {
      exhausted = false;
      accepted.clear(); // the announced wait is over: a fresh quota
    }
    while (accepted.size() > 0 && accepted.oldest() <= nowMs - DAY_MS) {
      accepted.removeOldest();
    }
    if (!accepted.full()) {
      accepted.add(nowMs);
      exhausted = false;
      return Decision.ALLOW;
    }
    if (!exhausted) {
      exhausted = true;
      renewsAtNanos = now + retryAfterNanos;
    }
    long left = renewsAtNanos - now;
    return new Decision(false, Math.max(1, (left + SECOND - 1) / SECOND));
  }
}
