package dev.listening.extractor.api;

import java.time.Duration;

/**
 * Shared by every worker of a run: paces requests at an adaptive rate and holds everyone back until
 * an announced {@code Retry-After} has passed, because Spotify's penalty grows when any request of
 * the app arrives early.
 *
 * <p>The rate is additive-increase/multiplicative-decrease: a 429 cuts it, a stretch of accepted
 * requests raises it back towards the configured maximum. Spotify does not publish its limit, so
 * this settles just under whatever the real limit is instead of tripping it over and over.
 * Hand-written rather than Guava's or Failsafe's limiter: those read the system clock (tests could
 * not run on virtual time) and Failsafe's cannot change rate.
 */
public final class RequestGate {
  private static final double DECREASE_FACTOR = 0.5;
  private static final double INCREASE_STEP_SHARE = 0.05;

  private final Timing timing;
  private final double maxRate;
  private final double minRate;
  private double rate;
  private long nextSlotNanos;
  private long blockedUntilNanos;
  private long acceptedSinceChange;
  private long blocks;

  public RequestGate(double maxRequestsPerSecond, Timing timing) {
    if (!(maxRequestsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "max requests per second must be positive, got " + maxRequestsPerSecond);
    }
    this.timing = timing;
    this.maxRate = maxRequestsPerSecond;
    this.minRate = Math.min(maxRequestsPerSecond, 0.2);
    this.rate = maxRequestsPerSecond;
    this.nextSlotNanos = timing.nanoTime();
  }

  /**
   * Waits until this caller may send one request. A caller that reserved its slot before a 429
   * arrived takes a new slot after the announced wait instead of sending into it.
   */
  public void acquire() throws InterruptedException {
    while (true) {
      long waitNanos;
      long epoch;
      synchronized (this) {
        long now = timing.nanoTime();
        long slot = Math.max(Math.max(now, nextSlotNanos), blockedUntilNanos);
        nextSlotNanos = slot + (long) (1e9 / rate);
        waitNanos = slot - now;
        epoch = blocks;
      }
      if (waitNanos > 0) {
        timing.sleep(Duration.ofNanos(waitNanos));
      }
      synchronized (this) {
        if (epoch == blocks) {
          return;
        }
      }
    }
  }

  /** A 429 announced a wait: nobody sends before it has passed, and the pace slows down. */
  public synchronized void blockFor(Duration retryAfter) {
    long now = timing.nanoTime();
    blockedUntilNanos = Math.max(blockedUntilNanos, now + retryAfter.toNanos());
    blocks++;
    nextSlotNanos = Math.max(nextSlotNanos, blockedUntilNanos);
    rate = Math.max(minRate, rate * DECREASE_FACTOR);
    acceptedSinceChange = 0;
  }

  /** A request was accepted (not rate limited): after a while, speed back up. */
  public synchronized void accepted() {
    acceptedSinceChange++;
    // Roughly every ten seconds' worth of requests at the current pace.
    if (rate < maxRate && acceptedSinceChange >= Math.max(10, (long) (rate * 10))) {
      rate = Math.min(maxRate, rate + maxRate * INCREASE_STEP_SHARE);
      acceptedSinceChange = 0;
    }
  }

  public synchronized double currentRate() {
    return rate;
  }
}
