package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rolling-window limit with an injected clock, and the daily quota in simulated time. */
class RateLimitTest {
  private static final long SECOND = 1_000_000_000L;

  private static SimulatorConfig.RateLimit limit(int perWindow, double missingShare) {
    return SimulatorConfig.RateLimit.defaults()
        .withRequestsPerWindow(perWindow)
        .withWindow(Duration.ofSeconds(30))
        .withRetryAfterMissingShare(missingShare)
        .withPenaltyStep(Duration.ofSeconds(2));
  }

  @Test
  void overTheWindowTheAnswerIsRetryAfterUntilTheOldestSlotFrees() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(limit(3, 0), now::get, 42);
    for (long t : new long[] {0, 10, 20}) {
      now.set(t * SECOND);
      assertThat(limiter.tryAcquire(true).allowed()).isTrue();
    }
    now.set(25 * SECOND);
    RateLimiter.Decision d = limiter.tryAcquire(true);
    assertThat(d.allowed()).isFalse();
    // The request at 0 s leaves the window at 30 s: 5 s from now.
    assertThat(d.retryAfterSeconds()).isEqualTo(5);
    now.set(30 * SECOND);
    assertThat(limiter.tryAcquire(true).allowed()).as("waited as told").isTrue();
    // 10, 20, 30 now fill the window; the rejection above took no slot.
    now.set(30 * SECOND + 1);
    assertThat(limiter.tryAcquire(true).retryAfterSeconds()).isEqualTo(10);
  }

  @Test
  void retryAfterIsRoundedUpAndAtLeastOneSecond() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(limit(1, 0), now::get, 42);
    assertThat(limiter.tryAcquire(true).allowed()).isTrue();
    now.set(30 * SECOND - 1);
    assertThat(limiter.tryAcquire(true).retryAfterSeconds()).isEqualTo(1);
    AtomicLong later = new AtomicLong();
    RateLimiter other = new RateLimiter(limit(1, 0), later::get, 42);
    other.tryAcquire(true);
    later.set(SECOND / 2);
    assertThat(other.tryAcquire(true).retryAfterSeconds()).as("29.5 s rounds up").isEqualTo(30);
  }

  @Test
  void retryingBeforeRetryAfterMakesThePenaltyGrow() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(limit(1, 0), now::get, 42);
    limiter.tryAcquire(true);
    now.set(25 * SECOND);
    assertThat(limiter.tryAcquire(true).retryAfterSeconds()).isEqualTo(5);
    // Blocked until 30 s. Each early retry pushes that out by the 2 s penalty step.
    now.set(26 * SECOND);
    assertThat(limiter.tryAcquire(true).retryAfterSeconds()).isEqualTo(6);
    now.set(27 * SECOND);
    assertThat(limiter.tryAcquire(true).retryAfterSeconds()).isEqualTo(7);
    now.set(33 * SECOND);
    assertThat(limiter.tryAcquire(true).retryAfterSeconds()).isEqualTo(3);
    // Blocked until 36 s: the slot freed at 30 s is of no use before then, and trying at 35 s
    // moves the end to 38 s.
    now.set(35 * SECOND);
    assertThat(limiter.tryAcquire(true).allowed()).isFalse();
    now.set(39 * SECOND);
    assertThat(limiter.tryAcquire(true).allowed()).isTrue();
  }

  @Test
  void aShareOf429sComesWithoutRetryAfter() {
    assertThat(missingOutOf(1000, 0.2)).isBetween(150, 250);
    assertThat(missingOutOf(200, 0.0)).isZero();
    assertThat(missingOutOf(200, 1.0)).isEqualTo(200);
  }

  private static int missingOutOf(int rejections, double share) {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter =
        new RateLimiter(limit(1, share).withPenaltyStep(Duration.ZERO), now::get, 42);
    limiter.tryAcquire(true);
    int missing = 0;
    for (int i = 0; i < rejections; i++) {
      RateLimiter.Decision d = limiter.tryAcquire(true);
      assertThat(d.allowed()).isFalse();
      missing += d.headerMissing() ? 1 : 0;
    }
    return missing;
  }

  @Test
  void overHttpA429HasTheBodyAndHeaderAndIsCounted() {
    AtomicLong now = new AtomicLong();
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withFaults(SimulatorConfig.Faults.none())
            .withRateLimit(limit(2, 0));
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0, now::get)) {
      SimHttp http = new SimHttp(sim);
      String token = http.clientToken();
      String path = "/tracks/" + sim.catalog().trackIds().get(0);
      assertThat(http.api(path, token).status()).isEqualTo(200);
      now.set(10 * SECOND);
      assertThat(http.api(path, token).status()).isEqualTo(200);
      now.set(12 * SECOND);
      SimHttp.Resp limited = http.api(path, token);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.header("Retry-After")).isEqualTo("18");
      assertThat(limited.json().at("/error/message").asText()).isEqualTo("API rate limit exceeded");
      assertThat(limited.json().at("/error/status").asInt()).isEqualTo(429);
      assertThat(sim.stats().rateLimited()).isEqualTo(1);
      assertThat(sim.stats().accepted()).isEqualTo(2);
      assertThat(sim.stats().requests()).isEqualTo(3);
      assertThat(sim.stats().byStatus()).containsEntry(429, 1L).containsEntry(200, 2L);
      assertThat(sim.stats().tokenRequests()).as("token calls are not API calls").isEqualTo(1);
    }
  }

  @Test
  void theDailyQuotaRejectsWithReasonUntilOldRequestsAgeOut() {
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withFaults(SimulatorConfig.Faults.none())
            .withRateLimit(SimulatorConfig.RateLimit.unlimited().withDailyQuota(3));
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0)) {
      SimHttp http = new SimHttp(sim);
      String path = "/artists/" + sim.catalog().artistIds().get(1);
      for (int i = 0; i < 3; i++) {
        // Tokens live an hour of simulated time: one per request, as the clock jumps hours.
        assertThat(http.api(path, http.clientToken()).status()).isEqualTo(200);
        sim.clock().advance(Duration.ofHours(1));
      }
      SimHttp.Resp over = http.api(path, http.clientToken());
      assertThat(over.status()).isEqualTo(429);
      assertThat(over.json().at("/error/reason").asText()).isEqualTo("QUOTA_EXCEEDED");
      assertThat(over.header("Retry-After")).isEqualTo("52531");
      assertThat(sim.stats().quotaRejected()).isEqualTo(1);
      // The first request was 3 h ago; 21 h later it is 24 h old and its slot is free again.
      sim.clock().advance(Duration.ofHours(21));
      String fresh = http.clientToken();
      assertThat(http.api(path, fresh).status()).isEqualTo(200);
      assertThat(http.api(path, fresh).status()).isEqualTo(429);
    }
  }

  @Test
  void requestsBeforeAnAnnouncedRetryAfterAreCountedAndPunishedButNotThoseInFlight() {
    AtomicLong now = new AtomicLong();
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withFaults(SimulatorConfig.Faults.none())
            .withRateLimit(limit(1, 0));
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0, now::get)) {
      SimHttp http = new SimHttp(sim);
      String token = http.clientToken();
      String a = "/tracks/" + sim.catalog().trackIds().get(0);
      String b = "/tracks/" + sim.catalog().trackIds().get(1);
      String c = "/tracks/" + sim.catalog().trackIds().get(2);
      assertThat(http.api(a, token).status()).isEqualTo(200);
      now.set(10 * SECOND);
      SimHttp.Resp limited = http.api(b, token);
      assertThat(limited.header("Retry-After")).isEqualTo("20");
      // Another request that was already on its way: refused, not counted, not punished.
      now.set(10 * SECOND + SECOND / 10);
      SimHttp.Resp inFlight = http.api(c, token);
      assertThat(inFlight.status()).isEqualTo(429);
      assertThat(inFlight.header("Retry-After")).isEqualTo("20");
      assertThat(sim.stats().earlyRequests()).isZero();
      // The refused request itself, retried at once: early, however soon.
      SimHttp.Resp retried = http.api(b, token);
      assertThat(sim.stats().earlyRequests()).isEqualTo(1);
      assertThat(retried.header("Retry-After")).as("pushed out by the 2 s penalty").isEqualTo("22");
      // Any request of the app once the 429 has had time to arrive: early too.
      now.set(12 * SECOND);
      http.api(c, token);
      assertThat(sim.stats().earlyRequests()).isEqualTo(2);
      assertThat(sim.stats().earlyRequestsByClient()).containsEntry(sim.clientId(), 2L);
      // After the last Retry-After given (22 s from 10.1 s, then 2 more: until 34.1 s at most).
      now.set(35 * SECOND);
      assertThat(http.api(b, token).status()).isEqualTo(200);
      assertThat(sim.stats().earlyRequests()).isEqualTo(2);
      assertThat(sim.stats().retryAfterGiven()).isEqualTo(4);
    }
  }

  @Test
  void a429WithoutRetryAfterAnnouncesNothingToBeEarlyFor() {
    AtomicLong now = new AtomicLong();
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withFaults(SimulatorConfig.Faults.none())
            .withRateLimit(limit(1, 1.0));
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0, now::get)) {
      SimHttp http = new SimHttp(sim);
      String token = http.clientToken();
      String a = "/tracks/" + sim.catalog().trackIds().get(0);
      http.api(a, token);
      now.set(SECOND);
      assertThat(http.api(a, token).header("Retry-After")).isNull();
      now.set(2 * SECOND);
      assertThat(http.api(a, token).status()).isEqualTo(429);
      assertThat(sim.stats().earlyRequests()).isZero();
      assertThat(sim.stats().retryAfterMissing()).isEqualTo(2);
    }
  }

  @Test
  void anExhaustedQuotaIsBackOnceItsRetryAfterHasPassed() {
    AtomicLong now = new AtomicLong();
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withFaults(SimulatorConfig.Faults.none())
            .withRateLimit(
                SimulatorConfig.RateLimit.unlimited()
                    .withDailyQuota(2)
                    .withQuotaRetryAfter(Duration.ofSeconds(5)));
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0, now::get)) {
      SimHttp http = new SimHttp(sim);
      String token = http.clientToken();
      String path = "/artists/" + sim.catalog().artistIds().get(1);
      assertThat(http.api(path, token).status()).isEqualTo(200);
      assertThat(http.api(path, token).status()).isEqualTo(200);
      SimHttp.Resp over = http.api(path, token);
      assertThat(over.json().at("/error/reason").asText()).isEqualTo("QUOTA_EXCEEDED");
      assertThat(over.header("Retry-After")).isEqualTo("5");
      now.set(3 * SECOND);
      SimHttp.Resp still = http.api(path, token);
      assertThat(still.header("Retry-After")).as("the time left").isEqualTo("2");
      assertThat(sim.stats().earlyRequests()).isEqualTo(1);
      now.set(5 * SECOND);
      assertThat(http.api(path, token).status()).as("renewed").isEqualTo(200);
      assertThat(http.api(path, token).status()).isEqualTo(200);
      assertThat(http.api(path, token).status())
          .as("a whole new quota, and no more")
          .isEqualTo(429);
    }
  }
}
