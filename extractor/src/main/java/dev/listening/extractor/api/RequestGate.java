package dev.listening.extractor.api;

import java.time.Duration;

/**
 * Shared by every worker of a run: paces requests at an adaptive rate and holds everyone back until
 * an announced {@code Retry-After} has passed, because Spotify's penalty grows when any request of
 * the app arrives early.
 *
 * <p>The rate is additive-increase/multiplicative-decrease: a 429 cuts it, a stretch of accepted
 * requests raises it back towards the configured maximum. Spotify does not publish its limit, so
 * this settles just under whatever the real limit is instead of tripping it over and over. The
 * requests in flight when the limit tripped all come back 429 together: one cut per block, not one
 * per answer, or eight workers would slow the run down 256 times for one overrun.
 *
 * <p>Once the run must stop (quota exhausted, a wait longer than the run may sleep), the gate is
 * closed: no worker sends anything more, its retries included. Hand-written rather than Guava's or
 * Failsafe's limiter: those read the system clock (tests could not run on virtual time) and
 * Failsafe's cannot change rate.
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
  private long blockedNanos;
  private ApiException.StopRun closed;

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
        if (closed != null) {
          throw new ApiException.StopRun(
              closed.getMessage(), closed.status(), closed.retryAfter(), closed.quotaExhausted());
        }
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
        if (epoch == blocks && closed == null) {
          return;
        }
      }
    }
  }

  /**
   * A 429 announced a wait: nobody sends before it has passed, and the pace slows down, once per
   * block: a 429 that arrives while the app is already held back was a request already on its way.
   *
   * @return how much longer the app is now held back (zero when an earlier block covers it)
   */
  public synchronized Duration blockFor(Duration retryAfter) {
    long now = timing.nanoTime();
    boolean alreadyBlocked = blockedUntilNanos - now > 0;
    long until = now + retryAfter.toNanos();
    long added = Math.max(0, until - Math.max(now, blockedUntilNanos));
    blockedUntilNanos = Math.max(blockedUntilNanos, until);
    blockedNanos += added;
    blocks++;
    nextSlotNanos = Math.max(nextSlotNanos, blockedUntilNanos);
    if (!alreadyBlocked) {
      rate = Math.max(minRate, rate * DECREASE_FACTOR);
    }
    acceptedSinceChange = 0;
    return Duration.ofNanos(added);
  }

  /** Whether the app is held back by a Retry-After right now. */
  public synchronized boolean blocked() {
    return blockedUntilNanos - timing.nanoTime() > 0;
  }

  /** Wall time the app was held back by 429s so far (overlapping waits counted once). */
  public synchronized Duration blockedTime() {
    return Duration.ofNanos(blockedNanos);
  }

  /** The run stops: every later {@link #acquire} throws {@code why}, nobody sends again. */
  public synchronized void close(ApiException.StopRun why) {
    if (closed == null) {
      closed = why;
      blocks++; // wakes nobody early, but a waiting caller re-checks before it sends
    }
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
