package dev.listening.extractor.config;

import dev.listening.extractor.api.RetrySettings;
import dev.listening.extractor.api.Secret;
import dev.listening.extractor.landing.LandingWriter;
import dev.listening.landing.AppMode;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.Shard;
import dev.listening.landing.StateLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * One extraction run's settings, validated: built from the command line and the environment by
 * {@link #from}, which lists every problem at once. Holds no secret value that could print: the
 * client secret is a {@link ClientSecretRef} whose values are {@link Secret}s. Logged once per run
 * through {@link #describe()}.
 *
 * @param users where users and their refresh tokens are (a file, gs://, sm://, or sim); null when
 *     the command reads no users
 * @param state the state root (watermarks); null when the command keeps no state
 * @param appMode the configured surface; null means auto (find out from a 403 on a batch call)
 * @param requestTimeout how long one request may take, answer included, before it is abandoned
 */
public record ExtractorConfig(
    Connection connection,
    String landing,
    String state,
    String users,
    String runId,
    LocalDate date,
    Shard shard,
    AppMode appMode,
    double maxRps,
    int concurrency,
    RetrySettings retry,
    Duration requestTimeout,
    LandingWriter.Limits partLimits,
    boolean progress) {

  /** Where the client secret is unless configured otherwise. */
  public static final String DEFAULT_SECRET_REF = "env:SPOTIFY_CLIENT_SECRET";

  /** Backoff after 5xx and I/O errors: not worth an option each. */
  private static final Duration BACKOFF_BASE = Duration.ofMillis(500);

  private static final Duration BACKOFF_CAP = Duration.ofSeconds(30);

  public HttpUrl apiBaseUrl() {
    return connection.apiBaseUrl();
  }

  public HttpUrl accountsBaseUrl() {
    return connection.accountsBaseUrl();
  }

  public String logFormat() {
    return connection.logFormat();
  }

  /**
   * Validates the shared options plus a command's users and state sources.
   *
   * @param users the command's --users, or null when it takes none
   * @param state the command's --state, or null for the default under the landing root; ignored
   *     when {@code keepsState} is false
   * @param problems every problem found is added here; the result is null when any was found
   */
  public static ExtractorConfig from(
      ExtractionOptions o,
      String users,
      boolean keepsState,
      String state,
      Map<String, String> env,
      Clock clock,
      List<String> problems) {
    int before = problems.size();
    Connection connection = Connection.from(o.connection, env, problems);
    AppMode mode = null;
    if (!"auto".equalsIgnoreCase(o.appMode.trim())) {
      try {
        mode = AppMode.parse(o.appMode);
      } catch (IllegalArgumentException e) {
        problems.add("--app-mode '" + o.appMode + "' is not one of: development, extended, auto");
      }
    }
    if (!(o.maxRps > 0)) {
      problems.add("--max-rps must be positive");
    }
    if (o.concurrency < 1 || o.concurrency > 256) {
      problems.add("--concurrency must be between 1 and 256");
    }
    if (o.maxAttempts < 1) {
      problems.add("--max-attempts must be at least 1");
    }
    if (o.maxWait.isNegative() || o.defaultRetryAfter.isNegative()) {
      problems.add("--max-wait and --default-retry-after must not be negative");
    }
    if (o.requestTimeout == null
        || o.requestTimeout.compareTo(Duration.ofMillis(100)) < 0
        || o.requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      problems.add("--request-timeout must be between 100ms and 10m");
    }
    if (o.partMaxPages < 1 || o.partMaxMb < 1) {
      problems.add("--part-max-pages and --part-max-mb must be positive");
    }
    String runId = runId(o.runId, env, clock);
    try {
      LandingPartition.checkRunId(runId);
    } catch (IllegalArgumentException e) {
      problems.add("--run-id: " + e.getMessage());
    }
    LocalDate date = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    if (o.date != null) {
      try {
        date = LocalDate.parse(o.date.trim());
      } catch (DateTimeParseException e) {
        problems.add(
            "--landing-date '" + o.date + "' is not a date: use YYYY-MM-DD, e.g. 2026-11-20");
      }
    }
    Shard shard = null;
    try {
      shard = o.shard != null ? Shard.parse(o.shard) : Shard.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (o.landing == null || o.landing.isBlank()) {
      problems.add("--landing is empty: pass a folder or gs://bucket/prefix");
    }
    if (users != null && users.isBlank()) {
      problems.add("--users is empty: pass a users JSON file, gs://..., sm://... or sim");
    } else if ("sim".equals(users)
        && Target.SPOTIFY.wireName().equalsIgnoreCase(o.connection.target.trim())) {
      problems.add(
          "--users sim reads the simulator's users; the spotify target needs yours: a users file"
              + " (local or gs://) or sm://projects/P/secrets/S (see extractor authorize)");
    }
    if (problems.size() > before) {
      return null;
    }
    String stateRoot =
        !keepsState
            ? null
            : state != null && !state.isBlank()
                ? state
                : stripSlash(o.landing) + "/" + StateLayout.DEFAULT_FOLDER;
    return new ExtractorConfig(
        connection,
        o.landing,
        stateRoot,
        users,
        runId,
        date,
        shard,
        mode,
        o.maxRps,
        o.concurrency,
        new RetrySettings(o.maxAttempts, o.maxWait, o.defaultRetryAfter, BACKOFF_BASE, BACKOFF_CAP),
        o.requestTimeout,
        new LandingWriter.Limits(o.partMaxPages, (long) o.partMaxMb << 20),
        !o.noProgress);
  }

  /** Throws the problems as one error, each on its own line. */
  public static void failOn(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid arguments:\n  - " + String.join("\n  - ", problems));
    }
  }

  /** The settings for the run's one log line: no secret value, only where secrets come from. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>(connection.describe());
    m.put("landing", landing);
    if (state != null) {
      m.put("state", state);
    }
    if (users != null) {
      m.put("users", users);
    }
    m.put("run_id", runId);
    m.put("date", date.toString());
    m.put("shard", shard.toString());
    m.put("app_mode", appMode == null ? "auto" : appMode.wireName());
    m.put("max_rps", maxRps);
    m.put("concurrency", concurrency);
    m.put("max_attempts", retry.maxAttempts());
    m.put("max_wait", retry.maxWait().toString());
    m.put("request_timeout", requestTimeout.toString());
    m.put("part_max_pages", partLimits.maxPagesPerPart());
    m.put("part_max_bytes", partLimits.maxBytesPerPart());
    return m;
  }

  @Override
  public String toString() {
    return "ExtractorConfig" + describe();
  }

  private static String runId(String given, Map<String, String> env, Clock clock) {
    if (given != null && !given.isBlank()) {
      return given.trim();
    }
    String execution = env.get("CLOUD_RUN_EXECUTION");
    if (execution != null && !execution.isBlank()) {
      return execution;
    }
    return "manual-"
        + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(clock.instant());
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
