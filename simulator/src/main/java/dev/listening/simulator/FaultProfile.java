package dev.listening.simulator;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named sets of faults, limits and expired consents, chosen with {@code --faults NAME}. {@code
 * default} is the everyday mix every local run gets; the others each switch on one fault alone (no
 * rate limit, quota, expired consent or injected fault besides it), and {@code all} every one of
 * them together: the fault matrix.
 *
 * <p>Sizes that depend on the day scale with its users, because the local day runs in seconds: a
 * 429 storm is a rolling window a quarter of the users per second wide, so that every hourly poll,
 * which the extractor starts at full speed, runs into it; the quota holds one and a half polls'
 * worth of requests, so that the second poll runs out of it, and is renewed {@link
 * #QUOTA_RETRY_AFTER} after it ran out (the simulator's stand-in for Spotify's many hours).
 */
public enum FaultProfile {
  DEFAULT(
      "default",
      "2% 5xx, 1% slow (300 ms), 1% malformed bodies, 1% of access tokens expiring early;"
          + " Spotify's rolling limit of 600 per 30 s (a fifth of its 429s without Retry-After);"
          + " one user whose consent expired"),
  NONE("none", "no injected faults; the rolling limit and the expired consent of default"),
  RATE_LIMIT_STORM(
      "429-storm",
      "a rolling limit of users/4 requests per second: 429 storms, each with Retry-After"),
  RATE_LIMIT_STORM_NO_RETRY_AFTER(
      "429-no-retry-after", "the same storms, their 429s without Retry-After"),
  QUOTA(
      "quota",
      "a quota of 1.5 requests per user, exhausted mid-run (429 QUOTA_EXCEEDED), renewed 2 s"
          + " later"),
  SERVER_ERRORS("5xx", "20% of calls answer 500, 502 or 503 (never more than 3 in a row)"),
  MALFORMED("malformed", "1% of 200 answers come with the body cut off"),
  SLOW("slow", "5% of calls answer after 2 s: slower than a client timeout under that"),
  TOKEN_EXPIRY("token-expiry", "every access token stops working after 1 to 3 uses"),
  INVALID_GRANT(
      "invalid-grant",
      "a few users (a twentieth, at least 2) whose refresh token answers invalid_grant"),
  ALL("all", "every fault above at once (half the storms' 429s without Retry-After)");

  /** How long a slow answer takes in the {@code slow} and {@code all} profiles. */
  public static final Duration SLOW_DELAY = Duration.ofSeconds(2);

  /** When the {@code quota} profile's exhausted quota is back, as its 429s announce. */
  public static final Duration QUOTA_RETRY_AFTER = Duration.ofSeconds(2);

  private final String wireName;
  private final String description;

  FaultProfile(String wireName, String description) {
    this.wireName = wireName;
    this.description = description;
  }

  public String wireName() {
    return wireName;
  }

  public String description() {
    return description;
  }

  /** The profiles of the fault matrix, in its order: each fault alone, then all of them. */
  public static List<FaultProfile> matrix() {
    return List.of(
        RATE_LIMIT_STORM,
        RATE_LIMIT_STORM_NO_RETRY_AFTER,
        QUOTA,
        SERVER_ERRORS,
        MALFORMED,
        SLOW,
        TOKEN_EXPIRY,
        INVALID_GRANT,
        ALL);
  }

  public static FaultProfile parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (FaultProfile p : values()) {
      if (p.wireName.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "--faults must be one of " + names() + ", not '" + name + "'");
  }

  public static String names() {
    return Arrays.stream(values()).map(FaultProfile::wireName).collect(Collectors.joining(", "));
  }

  /** {@code config} with this profile's faults, rate limit, quota and expired consents. */
  public SimulatorConfig applyTo(SimulatorConfig config) {
    int users = config.users();
    SimulatorConfig.Faults none = SimulatorConfig.Faults.none();
    SimulatorConfig.RateLimit unlimited = SimulatorConfig.RateLimit.unlimited();
    return switch (this) {
      case DEFAULT ->
          config
              .withFaults(SimulatorConfig.Faults.defaults())
              .withRateLimit(SimulatorConfig.RateLimit.defaults())
              .withExpiredTokenUsers(Math.min(1, users));
      case NONE ->
          config
              .withFaults(none)
              .withRateLimit(SimulatorConfig.RateLimit.defaults())
              .withExpiredTokenUsers(Math.min(1, users));
      case RATE_LIMIT_STORM -> isolated(config).withRateLimit(storm(users, 0.0));
      case RATE_LIMIT_STORM_NO_RETRY_AFTER -> isolated(config).withRateLimit(storm(users, 1.0));
      case QUOTA -> isolated(config).withRateLimit(quota(unlimited, users));
      case SERVER_ERRORS -> isolated(config).withFaults(none.withServerErrorRate(0.2));
      case MALFORMED -> isolated(config).withFaults(none.withMalformedRate(0.01));
      case SLOW -> isolated(config).withFaults(slow(none));
      case TOKEN_EXPIRY -> isolated(config).withFaults(expiring(none));
      case INVALID_GRANT -> isolated(config).withExpiredTokenUsers(invalidGrantUsers(users));
      case ALL ->
          config
              .withFaults(expiring(slow(none)).withServerErrorRate(0.2).withMalformedRate(0.01))
              .withRateLimit(quota(storm(users, 0.5), users))
              .withExpiredTokenUsers(invalidGrantUsers(users));
    };
  }

  /** How many users the {@code invalid-grant} profile gives an expired consent. */
  public static int invalidGrantUsers(int users) {
    return users <= 1 ? users : Math.min(users - 1, Math.max(2, users / 20));
  }

  private static SimulatorConfig isolated(SimulatorConfig config) {
    return config
        .withFaults(SimulatorConfig.Faults.none())
        .withRateLimit(SimulatorConfig.RateLimit.unlimited())
        .withExpiredTokenUsers(0);
  }

  private static SimulatorConfig.RateLimit storm(int users, double missingShare) {
    return SimulatorConfig.RateLimit.defaults()
        .withRequestsPerWindow(Math.max(4, users / 4))
        .withWindow(Duration.ofSeconds(1))
        .withPenaltyStep(Duration.ofSeconds(1))
        .withRetryAfterMissingShare(missingShare);
  }

  private static SimulatorConfig.RateLimit quota(SimulatorConfig.RateLimit limit, int users) {
    return limit.withDailyQuota(Math.max(5, users * 3L / 2)).withQuotaRetryAfter(QUOTA_RETRY_AFTER);
  }

  private static SimulatorConfig.Faults expiring(SimulatorConfig.Faults faults) {
    return faults.withTokenExpiryRate(1.0).withTokenMaxUses(3);
  }

  private static SimulatorConfig.Faults slow(SimulatorConfig.Faults faults) {
    return faults.withSlowRate(0.05).withSlowDelay(SLOW_DELAY);
  }
}
