package dev.listening.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * Remembers the Retry-After waits this simulator announced to one client (an app: its requests
 * share one rate limit and one quota) and tells whether a request arrived before one of them had
 * passed: the behaviour Spotify is reported to punish, and the figure a fault drill must show is 0.
 *
 * <p>A request counts as early when it arrives before an announced wait has ended and either
 *
 * <ul>
 *   <li>it is the very request that was answered 429 (same method, path, query and user): a retry
 *       can only be sent after its 429 arrived, so no timing allowance is needed; or
 *   <li>it arrives at least {@link #IN_FLIGHT} after the 429 was answered: any request of the app
 *       sent once the client knew. Requests already on their way when the 429 left (a client with
 *       several requests in flight cannot call them back) arrive within that allowance.
 * </ul>
 *
 * Real time throughout, as the client waits in real time. Memory: the waits still running.
 */
final class RetryAfterWatch {
  /** How long after a 429 the app's other requests may still be ones sent before it arrived. */
  static final Duration IN_FLIGHT = Duration.ofMillis(500);

  private record Announced(long atNanos, long untilNanos, long requestKey) {}

  private final LongSupplier nanoTime;
  private final ArrayDeque<Announced> running = new ArrayDeque<>();

  RetryAfterWatch(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** A 429 for {@code requestKey} told the client to wait {@code seconds}. */
  synchronized void announced(long requestKey, long seconds) {
    long now = nanoTime.getAsLong();
    running.add(new Announced(now, now + seconds * 1_000_000_000L, requestKey));
  }

  /**
   * Whether a request arriving now, for {@code requestKey}, comes before an announced wait ended.
   */
  synchronized boolean early(long requestKey) {
    long now = nanoTime.getAsLong();
    boolean early = false;
    for (Iterator<Announced> it = running.iterator(); it.hasNext(); ) {
      Announced a = it.next();
      if (now - a.untilNanos() >= 0) {
        it.remove();
      } else if (a.requestKey() == requestKey || now - a.atNanos() >= IN_FLIGHT.toNanos()) {
        early = true;
      }
    }
    return early;
  }
}
