package dev.listening.simulator;

import java.util.function.LongSupplier;

/**
 * Spotify's rolling-window rate limit, over real time. A request is accepted while fewer than
 * {@code requestsPerWindow} accepted requests fall in the last {@code window}; otherwise it gets a
 * 429 with Retry-After (seconds until a slot frees, at least 1). A request that arrives while the
 * app is blocked gets another 429 with the time left; one sent before an announced Retry-After had
 * passed (an early one, see {@link RetryAfterWatch}) also pushes the block out by {@code
 * penaltyStep}, so an impatient client waits longer and longer. Requests that were already on their
 * way when the block began are not punished: no client can call them back. 429s take no slot.
 */
final class RateLimiter {
  private static final long SECOND = 1_000_000_000L;

  /** {@code retryAfterSeconds} is 0 when the request is allowed. */
  record Decision(boolean allowed, long retryAfterSeconds, boolean headerMissing) {
    static final Decision ALLOW = new Decision(true, 0, false);
  }

  private final SimulatorConfig.RateLimit limit;
  private final LongSupplier nanoTime;
  private final long seed;
  private final LongRing accepted;
  private final long windowNanos;
  private boolean blocked;
  private long blockedUntil;
  private long rejections;

  RateLimiter(SimulatorConfig.RateLimit limit, LongSupplier nanoTime, long seed) {
    this.limit = limit;
    this.nanoTime = nanoTime;
    this.seed = seed;
    this.windowNanos = limit.window().toNanos();
    this.accepted = new LongRing(limit.windowUnlimited() ? 1 : limit.requestsPerWindow());
  }

  /**
   * @param early the request was sent before a Retry-After its client had been given had passed
   */
  synchronized Decision tryAcquire(boolean early) {
    if (limit.windowUnlimited()) {
      return Decision.ALLOW;
    }
    long now = nanoTime.getAsLong();
    if (blocked && now - blockedUntil < 0) {
      if (early) {
        blockedUntil += limit.penaltyStep().toNanos();
      }
      return reject(blockedUntil - now);
    }
    blocked = false;
    while (accepted.size() > 0 && now - accepted.oldest() >= windowNanos) {
      accepted.removeOldest();
    }
    if (!accepted.full()) {
      accepted.add(now);
      return Decision.ALLOW;
    }
    long wait = accepted.oldest() + windowNanos - now;
    long seconds = Math.max(1, ceilSeconds(wait));
    blocked = true;
    blockedUntil = now + seconds * SECOND;
    return reject(seconds * SECOND);
  }

  private Decision reject(long waitNanos) {
    long seconds = Math.max(1, ceilSeconds(waitNanos));
    boolean missing =
        Mix.unit(Mix.hash(seed, Mix.hash("retry-after-missing"), rejections++))
            < limit.retryAfterMissingShare();
    return new Decision(false, seconds, missing);
  }

  private static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + SECOND - 1) / SECOND;
  }
}
