package dev.listening.simulator;

import dev.listening.landing.AppMode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The simulator jar's entry point: {@code java -jar simulator.jar [options]} serves a simulated
 * Spotify Web API until interrupted. Prints where it listens and the client id; the client secret
 * and refresh tokens are served only by {@code GET /_sim/users}, never printed.
 */
@Command(
    name = "simulator",
    description =
        "Run a deterministic Spotify Web API simulator (API, accounts and /_sim admin endpoints) until interrupted.",
    mixinStandardHelpOptions = true)
public final class SimulatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      description = "Address to bind (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(
      names = "--port",
      description = "Port to listen on; 0 picks one (default: ${DEFAULT-VALUE}).",
      defaultValue = "8090")
  int port;

  @Option(
      names = "--seed",
      description = "Seed of everything generated (default: ${DEFAULT-VALUE}).",
      defaultValue = "42")
  long seed;

  @Option(
      names = "--profile",
      description = "API surface: development or extended (default: ${DEFAULT-VALUE}).",
      defaultValue = "extended",
      converter = AppModeConverter.class)
  AppMode profile;

  @Option(
      names = "--day",
      description = "Simulated UTC day (default: ${DEFAULT-VALUE}).",
      defaultValue = "2026-11-20")
  LocalDate day;

  @Option(
      names = "--users",
      description = "Users (development allows at most 5; default: 20, or 5 in development).")
  Integer users;

  @Option(names = "--plays-per-day", description = "Plays over all users (default: 100 per user).")
  Long playsPerDay;

  @Option(
      names = "--heavy-listener-share",
      description = "Share of heavy listeners (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.10")
  double heavyListenerShare;

  @Option(
      names = "--expired-token-users",
      description =
          "Users whose refresh token has expired (invalid_grant). Default: the fault profile's"
              + " (1 in default and none).")
  Integer expiredTokenUsers;

  @Option(
      names = "--faults",
      paramLabel = "PROFILE",
      description =
          "Fault profile: faults, rate limit, quota and expired consents together. default (the"
              + " everyday mix), none, or one fault alone: 429-storm, 429-no-retry-after, quota,"
              + " 5xx, malformed, slow, token-expiry, invalid-grant; or all of them. The options"
              + " below override it. Default: ${DEFAULT-VALUE}.",
      defaultValue = "default")
  String faults;

  @Option(
      names = "--rate-limit",
      description =
          "Rolling window limit as N/<seconds>s, e.g. 600/30s, or 'none'. Default: the fault"
              + " profile's (600/30s in default and none).")
  String rateLimit;

  @Option(
      names = "--quota",
      description =
          "Daily quota of API requests in simulated time; 0 = none. Default: the fault profile's"
              + " (none in default).")
  Long quota;

  @Option(
      names = "--flow",
      description =
          "Let the simulated clock run in real time from day start + 1 h, instead of frozen there.")
  boolean flow;

  @Option(
      names = "--redirect-uri",
      description =
          "A redirect URI registered in the simulated app, for the authorization code flow;"
              + " repeat for more (always registered: "
              + Authorization.DEFAULT_REDIRECT_URI
              + ").")
  java.util.List<String> redirectUris = new java.util.ArrayList<>();

  @Option(
      names = "--write-history",
      paramLabel = "DIR",
      description =
          "Write each user's Extended streaming history export (every play of the day, in"
              + " Spotify's format) to DIR/<user key>/ before serving.")
  java.nio.file.Path writeHistory;

  private static final Pattern RATE = Pattern.compile("(\\d+)/(\\d+)s");

  /** Converts a picocli string to the shared AppMode, with its own error message. */
  static final class AppModeConverter implements ITypeConverter<AppMode> {
    @Override
    public AppMode convert(String value) {
      return AppMode.parse(value);
    }
  }

  /** The config the options describe; throws IllegalArgumentException listing every problem. */
  SimulatorConfig toConfig() {
    FaultProfile profileOfFaults = FaultProfile.parse(faults);
    SimulatorConfig base = SimulatorConfig.defaults(profile);
    int userCount = users != null ? users : base.users();
    long plays = playsPerDay != null ? playsPerDay : 100L * userCount;
    SimulatorConfig config =
        profileOfFaults.applyTo(
            new SimulatorConfig(
                seed,
                profile,
                day,
                userCount,
                plays,
                heavyListenerShare,
                0,
                base.lateShare(),
                base.maxLateness(),
                base.playlists(),
                base.markets(),
                base.newReleasesPerMarket(),
                base.refreshRotationShare(),
                base.accessTokenTtl(),
                base.rateLimit(),
                base.faults()));
    if (rateLimit != null) {
      SimulatorConfig.RateLimit limit;
      if (rateLimit.equalsIgnoreCase("none")) {
        limit =
            SimulatorConfig.RateLimit.unlimited()
                .withDailyQuota(config.rateLimit().dailyQuota())
                .withQuotaRetryAfter(config.rateLimit().quotaRetryAfter());
      } else {
        Matcher m = RATE.matcher(rateLimit.trim());
        if (!m.matches()) {
          throw new IllegalArgumentException(
              "--rate-limit must look like 600/30s or be none, not '" + rateLimit + "'");
        }
        SimulatorConfig.RateLimit from =
            config.rateLimit().windowUnlimited()
                ? SimulatorConfig.RateLimit.defaults()
                    .withDailyQuota(config.rateLimit().dailyQuota())
                    .withQuotaRetryAfter(config.rateLimit().quotaRetryAfter())
                : config.rateLimit();
        limit =
            from.withRequestsPerWindow(Integer.parseInt(m.group(1)))
                .withWindow(Duration.ofSeconds(Long.parseLong(m.group(2))));
      }
      config = config.withRateLimit(limit);
    }
    if (quota != null) {
      config = config.withRateLimit(config.rateLimit().withDailyQuota(quota));
    }
    if (expiredTokenUsers != null) {
      config = config.withExpiredTokenUsers(expiredTokenUsers);
    }
    return config;
  }

  /** Starts the simulator and prints where to reach it (never secrets). */
  SpotifySimulator startAndPrint(PrintWriter out) {
    SpotifySimulator sim = SpotifySimulator.start(toConfig(), host, port);
    redirectUris.forEach(sim::registerRedirectUri);
    if (flow) {
      sim.clock().flowFrom(day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(3600));
    }
    if (writeHistory != null) {
      new HistoryExport(sim.groundTruth(), seed, HistoryExport.DEFAULT_SPLIT_BYTES)
          .writeAll(writeHistory);
      out.println("History exports:   " + writeHistory.toAbsolutePath() + "/<user key>/");
    }
    Instant now = sim.clock().now();
    out.println("API base URL:      " + sim.apiBaseUrl());
    out.println("Accounts base URL: " + sim.accountsBaseUrl());
    out.println("Client id:         " + sim.clientId());
    out.println(
        "Client secret and users' refresh tokens: GET "
            + sim.accountsBaseUrl()
            + "/_sim/users"
            + " (clock "
            + (flow ? "flowing" : "frozen")
            + " at "
            + now
            + ")");
    out.flush();
    return sim;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    SpotifySimulator sim = startAndPrint(spec.commandLine().getOut());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  stopped.countDown();
                },
                "spotify-sim-shutdown"));
    stopped.await();
    return 0;
  }
}
