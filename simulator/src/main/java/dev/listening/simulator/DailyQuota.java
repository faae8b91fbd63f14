package dev.listening.simulator;

/**
 * The development-mode daily quota: at most {@code dailyQuota} accepted API requests in any rolling
 * 24 hours of simulated time. Over it, requests are rejected until old ones age out.
 */
final class DailyQuota {
  private static final long DAY_MS = 86_400_000L;
  private final long quota;
  private final LongRing accepted;

  DailyQuota(long quota) {
    this.quota = quota;
    this.accepted = new LongRing(Math.max(1, quota));
  }

  /** Returns true and counts the request when it fits the quota at simulated time {@code nowMs}. */
  synchronized boolean tryAcquire(long nowMs) {
    if (quota <= 0) {
      return true;
    }
    while (accepted.size() > 0 && accepted.oldest() <= nowMs - DAY_MS) {
      accepted.removeOldest();
    }
    if (accepted.full()) {
      return false;
    }
    accepted.add(nowMs);
    return true;
  }
}
