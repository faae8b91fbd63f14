package dev.listening.simulator;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides injected faults from a hash of (seed, fault kind, request key, attempt), so the same
 * requests see the same faults whatever the thread interleaving.
 *
 * <p>The attempt is the number of faults the same request key has had in a row (a slow answer
 * counts: the client may have timed out on it). After {@link #MAX_IN_A_ROW} the next attempt is
 * always clean, fast included, so a client with sane retries and timeouts gets through. Only keys
 * in a streak are remembered (a success forgets the key), which keeps memory to the handful of
 * requests currently failing.
 */
final class FaultInjector {
  static final int MAX_IN_A_ROW = 3;
  private static final long SERVER_ERROR = Mix.hash("fault:5xx");
  private static final long SERVER_ERROR_STATUS = Mix.hash("fault:5xx-status");
  private static final long SLOW = Mix.hash("fault:slow");
  private static final long MALFORMED = Mix.hash("fault:malformed");
  private static final long TOKEN_EXPIRY = Mix.hash("fault:token-expiry");
  private static final long TOKEN_EXPIRY_USES = Mix.hash("fault:token-expiry-uses");
  private static final int[] SERVER_STATUSES = {500, 502, 503};

  private final long seed;
  private final ConcurrentHashMap<Long, Integer> streaks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, AtomicInteger> earlyExpiryUses = new ConcurrentHashMap<>();

  /** What to do to one request. {@code serverError} is 0 or the 5xx status to answer with. */
  record Plan(int serverError, boolean slow, boolean malformed) {
    static final Plan NONE = new Plan(0, false, false);

    /** Whether the client may not get a usable answer: an error, a cut body, or a late one. */
    boolean failing() {
      return serverError != 0 || malformed || slow;
    }
  }

  FaultInjector(long seed) {
    this.seed = seed;
  }

  /** Plans the faults for the next attempt of {@code requestKey}; call {@link #record} after. */
  Plan plan(SimulatorConfig.Faults faults, long requestKey, boolean allowMalformed) {
    int attempt = streaks.getOrDefault(requestKey, 0);
    if (attempt >= MAX_IN_A_ROW) {
      return Plan.NONE;
    }
    boolean slow = unit(SLOW, requestKey, attempt) < faults.slowRate();
    int serverError = 0;
    if (unit(SERVER_ERROR, requestKey, attempt) < faults.serverErrorRate()) {
      long pick = Mix.hash(seed, SERVER_ERROR_STATUS, requestKey, attempt);
      serverError = SERVER_STATUSES[(int) Long.remainderUnsigned(pick, SERVER_STATUSES.length)];
    }
    boolean malformed =
        allowMalformed
            && serverError == 0
            && unit(MALFORMED, requestKey, attempt) < faults.malformedRate();
    return new Plan(serverError, slow, malformed);
  }

  /** Records whether the attempt of {@code requestKey} ended in an injected fault. */
  void record(long requestKey, boolean faulted) {
    if (faulted) {
      streaks.merge(requestKey, 1, Integer::sum);
    } else {
      streaks.remove(requestKey);
    }
  }

  /**
   * Whether an access token has "expired early": a token picked by hash at {@code rate} stops
   * working after 1 to {@code maxUses} uses. Its first use always works, so a freshly refreshed
   * token gets through.
   */
  boolean expiredEarly(double rate, int maxUses, long tokenHash) {
    if (rate <= 0 || Mix.unit(Mix.hash(seed, TOKEN_EXPIRY, tokenHash)) >= rate) {
      return false;
    }
    int allowedUses =
        1 + (int) Long.remainderUnsigned(Mix.hash(seed, TOKEN_EXPIRY_USES, tokenHash), maxUses);
    int use =
        earlyExpiryUses.computeIfAbsent(tokenHash, k -> new AtomicInteger()).incrementAndGet();
    return use > allowedUses;
  }

  int streak(long requestKey) {
    return streaks.getOrDefault(requestKey, 0);
  }

  private double unit(long kind, long requestKey, int attempt) {
    return Mix.unit(Mix.hash(seed, kind, requestKey, attempt));
  }
}
