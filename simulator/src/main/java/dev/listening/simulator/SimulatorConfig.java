package dev.listening.simulator;

import dev.listening.landing.AppMode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything that shapes one simulated day. Immutable; every problem is reported at once so a wrong
 * command line is fixed in one go, not one error per run.
 */
public record SimulatorConfig(
    long seed,
    AppMode profile,
    LocalDate day,
    int users,
    long playsPerDay,
    double heavyListenerShare,
    int expiredTokenUsers,
    double lateShare,
    Duration maxLateness,
    int playlists,
    List<String> markets,
    int newReleasesPerMarket,
    double refreshRotationShare,
    Duration accessTokenTtl,
    RateLimit rateLimit,
    Faults faults) {

  /** Spotify's limit on users of an app in development mode. */
  public static final int DEVELOPMENT_MAX_USERS = 5;

  /**
   * Upper bound on the average plays per user and day: beyond it the day has no room for the play
   * lengths the generator promises (2-5 minute tracks, 30-70 s bursts).
   */
  public static final long MAX_AVERAGE_PLAYS_PER_USER = 500;

  private static final Pattern MARKET = Pattern.compile("[A-Z]{2}");

  public SimulatorConfig {
    List<String> problems = new ArrayList<>();
    if (profile == null) {
      problems.add("profile must be set");
    }
    if (day == null) {
      problems.add("day must be set");
    }
    if (users < 1) {
      problems.add("users must be >= 1");
    }
    if (profile == AppMode.DEVELOPMENT && users > DEVELOPMENT_MAX_USERS) {
      problems.add("users must be <= " + DEVELOPMENT_MAX_USERS + " in development profile");
    }
    if (users > 1_000_000) {
      problems.add("users must be <= 1000000");
    }
    if (playsPerDay < 0) {
      problems.add("playsPerDay must be >= 0");
    }
    if (users >= 1 && playsPerDay > MAX_AVERAGE_PLAYS_PER_USER * users) {
      problems.add(
          "playsPerDay must be <= "
              + MAX_AVERAGE_PLAYS_PER_USER
              + " per user ("
              + MAX_AVERAGE_PLAYS_PER_USER * users
              + " for "
              + users
              + " users)");
    }
    checkShare(problems, "heavyListenerShare", heavyListenerShare);
    if (expiredTokenUsers < 0 || (users >= 1 && expiredTokenUsers > users)) {
      problems.add("expiredTokenUsers must be between 0 and users (" + users + ")");
    }
    checkShare(problems, "lateShare", lateShare);
    if (maxLateness == null
        || maxLateness.isNegative()
        || maxLateness.compareTo(Duration.ofHours(6)) > 0) {
      problems.add("maxLateness must be between 0 and 6 hours");
    }
    if (playlists < 0 || playlists > 100_000) {
      problems.add("playlists must be between 0 and 100000");
    }
    if (markets == null || markets.isEmpty()) {
      problems.add("markets must list at least one market");
    } else {
      for (String market : markets) {
        if (market == null || !MARKET.matcher(market).matches()) {
          problems.add("market '" + market + "' is not an ISO 3166-1 alpha-2 code like US");
        }
      }
      if (markets.stream().distinct().count() != markets.size()) {
        problems.add("markets must not repeat");
      }
    }
    if (newReleasesPerMarket < 0 || newReleasesPerMarket > 1_000) {
      problems.add("newReleasesPerMarket must be between 0 and 1000");
    }
    checkShare(problems, "refreshRotationShare", refreshRotationShare);
    if (accessTokenTtl == null
        || accessTokenTtl.compareTo(Duration.ofSeconds(1)) < 0
        || accessTokenTtl.compareTo(Duration.ofDays(1)) > 0) {
      problems.add("accessTokenTtl must be between 1 s and 1 day");
    }
    if (rateLimit == null) {
      problems.add("rateLimit must be set (RateLimit.unlimited() for none)");
    }
    if (faults == null) {
      problems.add("faults must be set (Faults.none() for none)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid simulator config: " + String.join("; ", problems));
    }
    markets = List.copyOf(markets);
  }

  /** The documented defaults: extended profile, 20 users, 2,000 plays on 2026-11-20. */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig(
        42L,
        AppMode.EXTENDED,
        LocalDate.of(2026, 11, 20),
        20,
        2_000,
        0.10,
        1,
        0.03,
        Duration.ofMinutes(5),
        4,
        List.of("US", "GB", "SE", "DE", "JP", "BR"),
        60,
        0.3,
        Duration.ofSeconds(3600),
        RateLimit.defaults(),
        Faults.defaults());
  }

  /**
   * Defaults for one profile. Development allows only {@value #DEVELOPMENT_MAX_USERS} users, so the
   * user count is lowered to that (and the plays with it) instead of failing validation.
   */
  public static SimulatorConfig defaults(AppMode profile) {
    SimulatorConfig defaults = defaults();
    if (profile != AppMode.DEVELOPMENT) {
      return defaults.withProfile(profile);
    }
    return defaults
        .withUsers(DEVELOPMENT_MAX_USERS)
        .withPlaysPerDay(defaults.playsPerDay() * DEVELOPMENT_MAX_USERS / defaults.users())
        .withProfile(profile);
  }

  public SimulatorConfig withSeed(long value) {
    return new SimulatorConfig(
        value,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  /** Note: in development at most 5 users are allowed, so lower {@link #users()} first. */
  public SimulatorConfig withProfile(AppMode value) {
    return new SimulatorConfig(
        seed,
        value,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withDay(LocalDate value) {
    return new SimulatorConfig(
        seed,
        profile,
        value,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withUsers(int value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        value,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withPlaysPerDay(long value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        value,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withHeavyListenerShare(double value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        value,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withExpiredTokenUsers(int value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        value,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withLateShare(double value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        value,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withMaxLateness(Duration value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        value,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withPlaylists(int value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        value,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withMarkets(List<String> value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        value,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withNewReleasesPerMarket(int value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        value,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withRefreshRotationShare(double value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        value,
        accessTokenTtl,
        rateLimit,
        faults);
  }

  public SimulatorConfig withAccessTokenTtl(Duration value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        value,
        rateLimit,
        faults);
  }

  public SimulatorConfig withRateLimit(RateLimit value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        value,
        faults);
  }

  public SimulatorConfig withFaults(Faults value) {
    return new SimulatorConfig(
        seed,
        profile,
        day,
        users,
        playsPerDay,
        heavyListenerShare,
        expiredTokenUsers,
        lateShare,
        maxLateness,
        playlists,
        markets,
        newReleasesPerMarket,
        refreshRotationShare,
        accessTokenTtl,
        rateLimit,
        value);
  }

  private static void checkShare(List<String> problems, String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      problems.add(name + " must be between 0 and 1");
    }
  }

  /**
   * Spotify's rolling-window rate limit (the real number is not published) and the development mode
   * daily quota.
   *
   * @param requestsPerWindow accepted API requests allowed in any rolling {@code window}
   * @param retryAfterMissingShare share of 429 answers that carry no {@code Retry-After} header
   * @param penaltyStep how much a request arriving before an announced Retry-After extends the
   *     block
   * @param dailyQuota accepted API requests in a rolling 24 h of simulated time; 0 = unlimited
   * @param quotaRetryAfter the Retry-After sent with QUOTA_EXCEEDED
   */
  public record RateLimit(
      int requestsPerWindow,
      Duration window,
      double retryAfterMissingShare,
      Duration penaltyStep,
      long dailyQuota,
      Duration quotaRetryAfter) {

    public RateLimit {
      List<String> problems = new ArrayList<>();
      if (requestsPerWindow < 1) {
        problems.add("requestsPerWindow must be >= 1");
      }
      if (window == null || window.isNegative() || window.isZero()) {
        problems.add("window must be positive");
      }
      checkShare(problems, "retryAfterMissingShare", retryAfterMissingShare);
      if (penaltyStep == null || penaltyStep.isNegative()) {
        problems.add("penaltyStep must be >= 0");
      }
      if (dailyQuota < 0) {
        problems.add("dailyQuota must be >= 0 (0 = unlimited)");
      }
      if (quotaRetryAfter == null || quotaRetryAfter.isNegative()) {
        problems.add("quotaRetryAfter must be >= 0");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid rate limit: " + String.join("; ", problems));
      }
    }

    public static RateLimit defaults() {
      return new RateLimit(
          600, Duration.ofSeconds(30), 0.2, Duration.ofSeconds(2), 0, Duration.ofSeconds(52_531));
    }

    /** No window limit and no quota: for benchmarks and tests that do not exercise limits. */
    public static RateLimit unlimited() {
      return new RateLimit(
          Integer.MAX_VALUE,
          Duration.ofSeconds(30),
          0.0,
          Duration.ZERO,
          0,
          Duration.ofSeconds(52_531));
    }

    public boolean windowUnlimited() {
      return requestsPerWindow == Integer.MAX_VALUE;
    }

    public RateLimit withRequestsPerWindow(int value) {
      return new RateLimit(
          value, window, retryAfterMissingShare, penaltyStep, dailyQuota, quotaRetryAfter);
    }

    public RateLimit withWindow(Duration value) {
      return new RateLimit(
          requestsPerWindow,
          value,
          retryAfterMissingShare,
          penaltyStep,
          dailyQuota,
          quotaRetryAfter);
    }

    public RateLimit withRetryAfterMissingShare(double value) {
      return new RateLimit(
          requestsPerWindow, window, value, penaltyStep, dailyQuota, quotaRetryAfter);
    }

    public RateLimit withPenaltyStep(Duration value) {
      return new RateLimit(
          requestsPerWindow, window, retryAfterMissingShare, value, dailyQuota, quotaRetryAfter);
    }

    public RateLimit withDailyQuota(long value) {
      return new RateLimit(
          requestsPerWindow, window, retryAfterMissingShare, penaltyStep, value, quotaRetryAfter);
    }

    public RateLimit withQuotaRetryAfter(Duration value) {
      return new RateLimit(
          requestsPerWindow, window, retryAfterMissingShare, penaltyStep, dailyQuota, value);
    }
  }

  /**
   * Injected failures, each decided from a hash of the seed and the request so that a run can be
   * replayed. Rates are per request (token expiry: per access token).
   */
  public record Faults(
      double serverErrorRate,
      double slowRate,
      Duration slowDelay,
      double malformedRate,
      double tokenExpiryRate,
      int tokenMaxUses) {

    /** Uses an access token picked to expire early gets at most, by default. */
    public static final int DEFAULT_TOKEN_MAX_USES = 20;

    public Faults {
      List<String> problems = new ArrayList<>();
      checkShare(problems, "serverErrorRate", serverErrorRate);
      checkShare(problems, "slowRate", slowRate);
      if (slowDelay == null
          || slowDelay.isNegative()
          || slowDelay.compareTo(Duration.ofSeconds(60)) > 0) {
        problems.add("slowDelay must be between 0 and 60 s");
      }
      checkShare(problems, "malformedRate", malformedRate);
      checkShare(problems, "tokenExpiryRate", tokenExpiryRate);
      if (tokenMaxUses < 1 || tokenMaxUses > 1_000) {
        problems.add("tokenMaxUses must be between 1 and 1000");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid faults: " + String.join("; ", problems));
      }
    }

    /** With tokens expiring early after at most {@value #DEFAULT_TOKEN_MAX_USES} uses. */
    public Faults(
        double serverErrorRate,
        double slowRate,
        Duration slowDelay,
        double malformedRate,
        double tokenExpiryRate) {
      this(
          serverErrorRate,
          slowRate,
          slowDelay,
          malformedRate,
          tokenExpiryRate,
          DEFAULT_TOKEN_MAX_USES);
    }

    public static Faults none() {
      return new Faults(0, 0, Duration.ofMillis(300), 0, 0);
    }

    public static Faults defaults() {
      return new Faults(0.02, 0.01, Duration.ofMillis(300), 0.01, 0.01);
    }

    public Faults withServerErrorRate(double value) {
      return new Faults(value, slowRate, slowDelay, malformedRate, tokenExpiryRate, tokenMaxUses);
    }

    public Faults withSlowRate(double value) {
      return new Faults(
          serverErrorRate, value, slowDelay, malformedRate, tokenExpiryRate, tokenMaxUses);
    }

    public Faults withSlowDelay(Duration value) {
      return new Faults(
          serverErrorRate, slowRate, value, malformedRate, tokenExpiryRate, tokenMaxUses);
    }

    public Faults withMalformedRate(double value) {
      return new Faults(serverErrorRate, slowRate, slowDelay, value, tokenExpiryRate, tokenMaxUses);
    }

    public Faults withTokenExpiryRate(double value) {
      return new Faults(serverErrorRate, slowRate, slowDelay, malformedRate, value, tokenMaxUses);
    }

    /** An access token picked to expire early stops working after 1 to {@code value} uses. */
    public Faults withTokenMaxUses(int value) {
      return new Faults(
          serverErrorRate, slowRate, slowDelay, malformedRate, tokenExpiryRate, value);
    }
  }
}
