package dev.listening.local.robust;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.listening.landing.LandingPartition;
import dev.listening.local.Jars;
import dev.listening.local.LocalJobs;
import dev.listening.local.LocalPipeline;
import dev.listening.local.Processes;
import dev.listening.local.Reconciliation;
import dev.listening.local.SimulatedDay;
import dev.listening.simulator.FaultProfile;
import dev.listening.simulator.SimulatorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline under each fault profile of the simulator, one at a time and all together, and gold
 * reconciled with the retrievable truth for each.
 *
 * <p>Every profile gets its own simulator (the same seeded day, its own faults) and extracts the
 * whole day from it: hourly polls by the extractor jar, then the look-ups. Everything lands in one
 * landing folder, each profile under its own run ids and with its users' keys prefixed by the
 * profile's name ({@code 5xx.u00042}), as independent apps of one pipeline would; so bronze, the
 * look-up list and gold run once, and gold holds every profile's day side by side, each reconciled
 * with its own simulator's truth. Per profile the drill measures what the faults cost (requests,
 * retries, seconds waited) and checks what must hold whatever the faults: every run finishes (one
 * stopped by the quota is run again, as a scheduler would, once the announced wait is over), gold
 * equals the truth, no request went out before a Retry-After had passed, the users whose consent
 * expired are reported and nobody else is, cut-off bodies are counted and quarantined, and the
 * profile's fault really happened.
 */
public final class FaultMatrix {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HH'00Z'").withZone(ZoneOffset.UTC);
  // Each extractor run is a short CLI process: skip the optimising JIT so that starting dozens of
  // JVMs costs less; what is measured is behaviour under faults, not throughput.
  private static final List<String> SHORT_LIVED_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  /**
   * The client timeout of the drill's runs: under the profiles' slow answers ({@link
   * FaultProfile#SLOW_DELAY}), so that those are abandoned and asked again.
   */
  static final Duration REQUEST_TIMEOUT = FaultProfile.SLOW_DELAY.dividedBy(2);

  /** Attempts of one extractor command before the drill calls it stuck. */
  private static final int MAX_ATTEMPTS = 30;

  /** One profile's figures and what did not hold; {@code problems} is empty when all did. */
  public record Outcome(String profile, Map<String, Object> figures, List<String> problems) {}

  /**
   * Every profile's outcome, in the order given, what went wrong outside any one profile, and the
   * seconds each stage of the drill took.
   */
  public record Result(
      List<Outcome> outcomes, List<String> drillProblems, Map<String, Double> stageSeconds) {
    public List<String> problems() {
      List<String> all = new ArrayList<>(drillProblems);
      outcomes.forEach(o -> o.problems().forEach(p -> all.add(o.profile() + ": " + p)));
      return all;
    }
  }

  private final Jars jars;
  private final Path out;
  private final int users;
  private final long plays;
  private final int lastPollHour;
  private final List<FaultProfile> profiles;
  private final long seed;
  private final int parallel;
  private final LocalDate day = LocalDate.parse("2026-11-20");
  private final Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private final Path classArchive;
  private boolean classArchiveClaimed;

  /**
   * A day of {@code users} and {@code plays}, polled hourly from 01:00 to {@code lastPollHour} (up
   * to 26: two hours into the next day), under each of {@code profiles}, {@code parallel} of them
   * extracting at a time (each on its own simulator).
   */
  public FaultMatrix(
      Jars jars,
      Path out,
      int users,
      long plays,
      int lastPollHour,
      List<FaultProfile> profiles,
      long seed,
      int parallel) {
    if (lastPollHour < 1 || lastPollHour > 26) {
      throw new IllegalArgumentException("lastPollHour must be between 1 and 26");
    }
    if (parallel < 1 || profiles.isEmpty()) {
      throw new IllegalArgumentException("need at least one profile and one at a time");
    }
    this.jars = jars;
    this.out = out;
    this.users = users;
    this.plays = plays;
    this.lastPollHour = lastPollHour;
    this.profiles = List.copyOf(profiles);
    this.seed = seed;
    this.parallel = parallel;
    this.classArchive = out.resolve("extractor-classes.jsa");
  }

  public Result run(SparkSession spark) throws Exception {
    LocalPipeline.deleteRecursively(out);
    Files.createDirectories(out.resolve("logs"));
    String landing = out.resolve("landing").toString();
    String bronze = out.resolve("bronze").toString();
    String gold = out.resolve("gold").toString();
    String lookupList = out.resolve("lookup-list").toString();
    LocalJobs jobs = new LocalJobs(landing, bronze, lookupList, gold, day);
    List<Instant> polls = new ArrayList<>();
    for (int h = 1; h <= lastPollHour; h++) {
      polls.add(dayStart.plus(Duration.ofHours(h)));
    }
    List<String> drillProblems = new ArrayList<>();
    List<Profile> days = new ArrayList<>();
    profiles.forEach(p -> days.add(new Profile(p)));
    try {
      // The extractor and the simulators run in their own processes, leaving this JVM idle: Spark
      // compiles its code paths meanwhile instead of on the drill's first job.
      Thread warmUp = new Thread(() -> warmUp(spark), "spark-warm-up");
      warmUp.start();
      stage("start the simulators", () -> each(days, p -> p.start(landing)));
      stage(
          "extract: polls",
          () -> {
            // The first run writes the class-data archive the others start from: alone, so that
            // every other run can.
            Profile first = days.get(0);
            each(List.of(first), p -> p.poll(polls.subList(0, 1)));
            each(days, p -> p.poll(p == first ? polls.subList(1, polls.size()) : polls));
          });
      stage("wait for Spark's warm-up", warmUp::join);
      stage(
          "spark: bronze, look-up list",
          () -> {
            jobs.bronzeOfDay();
            if (lastPollHour > 24) {
              jobs.bronzeOfNextDay();
            }
            jobs.enrichmentList();
          });
      stage("extract: look-ups", () -> each(days, p -> p.lookUp(jobs.lookupListOfDay())));
      stage(
          "spark: bronze look-ups, gold",
          () -> {
            jobs.bronzeOfLookups();
            jobs.goldOfDay();
          });
      stage("reconcile", () -> reconcile(spark, days, polls, gold, drillProblems));
      for (Profile p : days) {
        if (p.sim != null) {
          p.account(Path.of(landing));
        }
      }
    } catch (RuntimeException | IOException e) {
      drillProblems.add("the drill stopped: " + e + " (logs in " + out.resolve("logs") + ")");
    } finally {
      days.forEach(Profile::close);
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Profile p : days) {
      p.figures.put("problems", p.problems);
      outcomes.add(new Outcome(p.profile.wireName(), p.figures, p.problems));
    }
    return new Result(outcomes, drillProblems, stageSeconds);
  }

  /**
   * A few rows through what the drill's jobs do (JSON read with a schema, a partitioned Parquet
   * write, reading it back, a join, exceptAll, counts): Spark's first jobs in a JVM spend tens of
   * seconds compiling their code paths. Nothing it writes is read by the drill.
   */
  private void warmUp(SparkSession spark) {
    String dir = out.resolve("spark-warm-up").toString();
    Dataset<Row> rows =
        spark
            .read()
            .schema("user_key STRING, played_at STRING, ids ARRAY<STRING>")
            .json(
                spark.createDataset(
                    List.of(
                        "{\"user_key\":\"a.u1\",\"played_at\":\"2026-11-20T01:00:00.000Z\",\"ids\":[\"x\"]}",
                        "{\"user_key\":\"b.u2\",\"played_at\":\"2026-11-20T02:00:00.000Z\",\"ids\":[]}"),
                    Encoders.STRING()))
            .withColumn("played_at", to_timestamp(col("played_at")))
            .withColumn("date", to_date(col("played_at")));
    rows.write().mode(SaveMode.Overwrite).partitionBy("date").parquet(dir);
    Dataset<Row> back = spark.read().parquet(dir);
    back.exceptAll(
            rows.select(
                back.columns()[0],
                java.util.Arrays.copyOfRange(back.columns(), 1, back.columns().length)))
        .count();
    back.join(rows.select(col("user_key"), explode(col("ids")).as("id")), "user_key", "left_anti")
        .groupBy(substring_index(col("user_key"), ".", 1))
        .count()
        .collectAsList();
  }

  @FunctionalInterface
  private interface Stage {
    void run() throws Exception;
  }

  private void stage(String name, Stage stage) throws Exception {
    long start = System.nanoTime();
    try {
      stage.run();
    } finally {
      stageSeconds.put(name, Math.round((System.nanoTime() - start) / 1e7) / 100.0);
    }
  }

  /**
   * The JVM options of an extractor run: a short-lived JVM's, and a class-data archive that the
   * drill's first run writes and the dozens after it start from (about 40% less start-up).
   */
  private List<String> extractorJvm(boolean[] writesArchive) {
    List<String> jvm = new ArrayList<>(SHORT_LIVED_JVM);
    // The JVM's own warnings (class data sharing has some) go to stdout, where the summary is.
    jvm.add("-Xlog:disable");
    jvm.add("-Xlog:all=error:stderr");
    synchronized (this) {
      if (!classArchiveClaimed) {
        classArchiveClaimed = true;
        writesArchive[0] = true;
        jvm.add("-XX:ArchiveClassesAtExit=" + classArchive + ".tmp");
        return jvm;
      }
    }
    if (Files.isRegularFile(classArchive)) {
      jvm.add("-XX:SharedArchiveFile=" + classArchive);
    }
    return jvm;
  }

  /** Publishes the archive the first run wrote at its exit, whole, for the runs after it. */
  private void publishArchive() throws IOException {
    Path written = Path.of(classArchive + ".tmp");
    if (Files.isRegularFile(written)) {
      Files.move(
          written,
          classArchive,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @FunctionalInterface
  private interface Step {
    void run(Profile p) throws Exception;
  }

  /** A step for every profile, {@code parallel} at a time; a profile's failure is its problem. */
  private void each(List<Profile> days, Step step) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, days.size()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Profile p : days) {
        futures.add(
            pool.submit(
                () -> {
                  if (p.sim == null && p.started) {
                    return; // its simulator did not start: already a problem
                  }
                  long start = System.nanoTime();
                  try {
                    step.run(p);
                  } catch (Exception e) {
                    p.problems.add("stopped: " + e + " (logs in " + p.logs + ")");
                  }
                  p.seconds += (System.nanoTime() - start) / 1e9;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Gold against the truth: every profile's retrievable plays from its own simulator, its users'
   * keys prefixed as in the landing, checked in one go and then counted per profile.
   */
  private void reconcile(
      SparkSession spark,
      List<Profile> days,
      List<Instant> polls,
      String gold,
      List<String> problems)
      throws Exception {
    // No file of the drill holds a credential, but the users files (the credential store).
    List<String> credentials = new ArrayList<>();
    for (Profile p : days) {
      if (p.sim != null) {
        credentials.addAll(SimulatedDay.credentials(p.sim));
      }
    }
    List<SecretScan.Finding> leaks =
        SecretScan.scan(out, credentials, List.of(out.resolve("users")));
    leaks.forEach(f -> problems.add("secret found: " + f));

    Path truth = Files.createDirectories(out.resolve("truth"));
    StringBuilder retrievable = new StringBuilder();
    StringBuilder truthPlays = new StringBuilder();
    for (Profile p : days) {
      if (p.sim == null) {
        continue;
      }
      for (JsonNode k : SimulatedDay.retrievability(p.sim, polls, dayStart).path("retrievable")) {
        retrievable.append(p.prefixed((ObjectNode) k)).append('\n');
      }
      for (String line : p.sim.get("/_sim/truth/plays").split("\n")) {
        if (!line.isBlank()) {
          truthPlays.append(p.prefixed((ObjectNode) JSON.readTree(line))).append('\n');
        }
      }
    }
    Files.writeString(truth.resolve("retrievable.ndjson"), retrievable);
    Files.writeString(truth.resolve("plays.ndjson"), truthPlays);
    Reconciliation.idsMissingFromDimensions(
        spark, gold, day, out.resolve("lookup-list").resolve("date=" + day), problems);
    Map<String, Map<String, Long>> byProfile =
        Reconciliation.countsByGroup(
            spark,
            gold,
            day,
            truth.resolve("retrievable.ndjson"),
            truth.resolve("plays.ndjson"),
            substring_index(col("user_key"), ".", 1));
    for (Profile p : days) {
      Map<String, Long> c = byProfile.getOrDefault(p.profile.wireName(), Map.of());
      long expected = c.getOrDefault("expected_rows", 0L);
      long rows = c.getOrDefault("fct_listens_rows", 0L);
      long missing = c.getOrDefault("rows_missing", 0L);
      long unexpected = c.getOrDefault("rows_unexpected", 0L);
      boolean equal = p.sim != null && expected > 0 && missing == 0 && unexpected == 0;
      p.figures.put("truth_rows", expected);
      p.figures.put("gold_rows", rows);
      p.figures.put("gold_rows_missing", missing);
      p.figures.put("gold_rows_not_in_truth", unexpected);
      p.figures.put("gold_equals_truth", equal);
      if (!equal) {
        p.problems.add(
            "gold differs from the retrievable truth: "
                + rows
                + " rows for "
                + expected
                + " expected, "
                + missing
                + " missing, "
                + unexpected
                + " not in the truth");
      }
    }
  }

  /** The heading of {@link #line}'s columns. */
  public static String heading() {
    return String.format(
        Locale.ROOT,
        "%-19s %8s %6s %7s %9s %8s %5s %5s %13s %5s  %s",
        "profile",
        "requests",
        "tokens",
        "retries",
        "429 wait",
        "backoff",
        "early",
        "stops",
        "gold/truth",
        "equal",
        "faults met");
  }

  /** One profile's figures on one line, under {@link #heading()}. */
  public static String line(Outcome o) {
    Map<String, Object> f = o.figures();
    return String.format(
        Locale.ROOT,
        "%-19s %8d %6d %7d %8.1fs %7.1fs %5d %5d %6d/%-6d %5s  %s%s",
        o.profile(),
        number(f, "api_requests"),
        number(f, "token_requests"),
        number(f, "retries"),
        seconds(f, "seconds_app_held_back_by_429"),
        seconds(f, "seconds_backing_off"),
        number(f, "requests_before_retry_after_passed"),
        number(f, "runs_stopped"),
        number(f, "gold_rows"),
        number(f, "truth_rows"),
        Boolean.TRUE.equals(f.get("gold_equals_truth")) ? "yes" : "NO",
        f.getOrDefault("faults_met", Map.of()),
        o.problems().isEmpty() ? "" : "  PROBLEMS: " + o.problems());
  }

  private static long number(Map<String, Object> f, String key) {
    return f.get(key) instanceof Number n ? n.longValue() : -1;
  }

  private static double seconds(Map<String, Object> f, String key) {
    return f.get(key) instanceof Number n ? n.doubleValue() : -1;
  }

  /** One profile: its simulator, its users, its runs and their figures. */
  private final class Profile {
    final FaultProfile profile;
    final Path logs;
    final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, Long> totals = new TreeMap<>();
    private final Map<String, Double> waited = new TreeMap<>();
    private final Set<String> skipped = new TreeSet<>();
    private final Set<String> expired = new TreeSet<>();
    private List<String> common;
    private Path usersFile;
    SimulatorProcess sim;
    boolean started;
    double seconds;
    private int runs;
    private int stopped;
    private int quotaStops;

    Profile(FaultProfile profile) {
      this.profile = profile;
      this.logs = out.resolve("logs").resolve(profile.wireName());
      figures.put("profile", profile.wireName());
      figures.put("what", profile.description());
    }

    String key(String simulatorKey) {
      return profile.wireName() + "." + simulatorKey;
    }

    /** A truth line with its user's key as this profile's runs land it. */
    String prefixed(ObjectNode line) {
      line.put("user_key", key(line.path("user_key").asText()));
      return line.toString();
    }

    /** Starts the simulator and writes the users file: the simulator's users, keys prefixed. */
    void start(String landing) throws Exception {
      started = true;
      Files.createDirectories(logs);
      sim =
          SimulatorProcess.start(
              jars.simulator,
              "512m",
              SHORT_LIVED_JVM,
              logs.resolve("simulator.log"),
              List.of(
                  "--seed", Long.toString(seed),
                  "--day", day.toString(),
                  "--users", Integer.toString(users),
                  "--plays-per-day", Long.toString(plays),
                  "--faults", profile.wireName()));
      ObjectNode doc = JSON.createObjectNode();
      for (JsonNode u : JSON.readTree(sim.get("/_sim/users")).path("users")) {
        doc.withArray("users")
            .addObject()
            .put("key", key(u.path("key").asText()))
            .put("refresh_token", u.path("refresh_token").asText());
        if (u.path("token_expired").asBoolean()) {
          expired.add(key(u.path("key").asText()));
        }
      }
      // Refresh tokens: kept apart from the logs, readable by this user only, like a real one.
      Path usersFile =
          Files.createDirectories(out.resolve("users")).resolve(profile.wireName() + ".json");
      Files.writeString(usersFile, doc.toString());
      Files.setPosixFilePermissions(
          usersFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      common = new ArrayList<>(SimulatedDay.extractorArgs(sim, landing));
      // The day runs in seconds: the extractor is let loose (the profiles' limits are sized for
      // that), and its timeout is under the slow profiles' answers.
      this.usersFile = usersFile;
      common.addAll(
          List.of(
              "--max-rps",
              "300",
              "--concurrency",
              "8",
              "--request-timeout",
              REQUEST_TIMEOUT.toMillis() + "ms"));
    }

    void poll(List<Instant> polls) throws Exception {
      for (Instant at : polls) {
        sim.setClock(at);
        untilDone(
            "recently-played",
            "--run-id",
            "poll-" + HOUR.format(at) + "-" + profile.wireName(),
            "--landing-date",
            at.atZone(ZoneOffset.UTC).toLocalDate().toString(),
            "--start-from",
            dayStart.toString(),
            "--users",
            usersFile.toString());
      }
    }

    void lookUp(String ids) throws Exception {
      sim.setClock(dayStart.plus(Duration.ofHours(lastPollHour)));
      untilDone(
          "lookups",
          "--run-id",
          "lookups-" + day + "-" + profile.wireName(),
          "--landing-date",
          day.toString(),
          "--ids",
          ids);
    }

    /**
     * Runs an extractor command until it completes: a run that stops partial (quota spent, a wait
     * too long, a request that gave up) is run again with the same run id, after the wait the API
     * announced, as a scheduler's retry would be.
     */
    private void untilDone(String command, String... more) throws Exception {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(common);
      args.addAll(List.of(more));
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        runs++;
        boolean[] writesArchive = {false};
        Processes.Run r =
            Processes.finish(
                Processes.startExtractor(
                    jars.extractor,
                    "256m",
                    extractorJvm(writesArchive),
                    logs.resolve("extractor.log"),
                    args));
        if (writesArchive[0]) {
          publishArchive();
        }
        add(r.summary());
        if (r.exitCode() == 0) {
          return;
        }
        if (r.exitCode() != 3) {
          problems.add(
              command
                  + " "
                  + String.join(" ", more)
                  + " exited "
                  + r.exitCode()
                  + ": "
                  + r.summary().path("message").asText());
          return;
        }
        stopped++;
        if (r.summary().path("message").asText().contains("quota exhausted")) {
          quotaStops++;
        }
        Thread.sleep(
            Duration.ofSeconds(r.summary().path("retry_after_seconds").asLong(0)).toMillis());
      }
      problems.add(command + " " + String.join(" ", more) + " did not complete in " + MAX_ATTEMPTS);
    }

    private void add(JsonNode summary) {
      for (String k :
          List.of(
              "requests",
              "token_requests",
              "retries",
              "timeouts",
              "malformed_bodies",
              "malformed_bodies_quarantined",
              "token_refreshes_after_401",
              "rate_limited_without_retry_after")) {
        totals.merge(k, summary.path(k).asLong(), Long::sum);
      }
      for (String k : List.of("seconds_blocked_by_rate_limit", "seconds_waited_backoff")) {
        waited.merge(k, summary.path(k).asDouble(), Double::sum);
      }
      if ("recently-played".equals(summary.path("command").asText())) {
        totals.merge("play_records_landed", summary.path("items").asLong(), Long::sum);
      }
      summary.path("users_skipped").fieldNames().forEachRemaining(skipped::add);
    }

    /** The figures, and the checks every profile must pass, its own fault's among them. */
    void account(Path landing) throws Exception {
      JsonNode stats = JSON.readTree(sim.get("/_sim/stats"));
      long early = stats.path("early_requests").asLong();
      JsonNode injected = stats.path("injected");
      figures.put("api_requests", stats.path("requests").asLong());
      figures.put("token_requests", stats.path("token_requests").asLong());
      figures.put("retries", totals.getOrDefault("retries", 0L));
      figures.put(
          "seconds_app_held_back_by_429", round(waited.get("seconds_blocked_by_rate_limit")));
      figures.put("seconds_backing_off", round(waited.get("seconds_waited_backoff")));
      figures.put("requests_before_retry_after_passed", early);
      figures.put("extractor_runs", runs);
      figures.put("runs_stopped", stopped);
      figures.put("play_records_landed", totals.getOrDefault("play_records_landed", 0L));
      figures.put("users_skipped", skipped);
      figures.put("responses_by_status", stats.path("by_status"));
      figures.put("seconds_extracting", Math.round(seconds * 10) / 10.0);
      Map<String, Long> met = new LinkedHashMap<>();
      met.put("429", stats.path("retry_after_given").asLong());
      met.put("429_no_retry_after", stats.path("retry_after_missing").asLong());
      met.put("quota_stops", (long) quotaStops);
      met.put("5xx", injected.path("server_error").asLong());
      met.put("malformed", injected.path("malformed").asLong());
      met.put("slow", injected.path("slow").asLong());
      met.put("timeouts", totals.getOrDefault("timeouts", 0L));
      met.put("tokens_expired", injected.path("token_expired").asLong());
      met.put("401_refreshed", totals.getOrDefault("token_refreshes_after_401", 0L));
      met.put("invalid_grant_users", (long) skipped.size());
      met.values().removeIf(v -> v == 0);
      figures.put("faults_met", met);

      if (early != 0) {
        problems.add(early + " request(s) went out before a Retry-After had passed");
      }
      if (!skipped.equals(expired)) {
        problems.add(
            "users reported skipped "
                + skipped
                + " are not those whose consent expired "
                + expired);
      }
      // Every cut-off body the extractor saw is counted and quarantined, its page fetched again.
      // (Among other faults a cut body can also reach a client that gave up waiting for it, or
      // belong to a request a quota stop ended: sent, or counted, then, but not kept.)
      long sent = injected.path("malformed").asLong();
      long counted = totals.getOrDefault("malformed_bodies", 0L);
      long kept = totals.getOrDefault("malformed_bodies_quarantined", 0L);
      long files = quarantineFiles(landing);
      figures.put("malformed_bodies_counted", counted);
      figures.put("malformed_bodies_quarantined", files);
      boolean alone = profile == FaultProfile.MALFORMED;
      if ((alone ? counted != sent || kept != counted : counted > sent || kept > counted)
          || files != kept) {
        problems.add(
            "cut-off bodies: "
                + sent
                + " sent, "
                + counted
                + " counted by the extractor, "
                + kept
                + " quarantined, "
                + files
                + " files in "
                + LandingPartition.QUARANTINE_FOLDER);
      }
      String fault =
          switch (profile) {
            case RATE_LIMIT_STORM -> met.containsKey("429") ? null : "429";
            case RATE_LIMIT_STORM_NO_RETRY_AFTER ->
                met.containsKey("429_no_retry_after") ? null : "429 without Retry-After";
            case QUOTA -> quotaStops > 0 ? null : "a quota exhausted mid-run";
            case SERVER_ERRORS -> met.containsKey("5xx") ? null : "5xx";
            case MALFORMED -> met.containsKey("malformed") ? null : "a malformed body";
            case SLOW -> met.containsKey("timeouts") ? null : "a timeout";
            case TOKEN_EXPIRY -> met.containsKey("401_refreshed") ? null : "a token expiring";
            case INVALID_GRANT -> expired.isEmpty() ? "invalid_grant" : null;
            default -> null;
          };
      if (fault != null) {
        problems.add("the day never met the profile's fault (" + fault + "): it proves nothing");
      }
    }

    /** The quarantined answers of this profile's runs. */
    private long quarantineFiles(Path landing) throws IOException {
      Path root = landing.resolve(LandingPartition.QUARANTINE_FOLDER);
      if (!Files.exists(root)) {
        return 0;
      }
      String mine = "-" + profile.wireName();
      try (Stream<Path> s = Files.walk(root)) {
        return s.filter(Files::isRegularFile)
            .filter(
                f -> {
                  for (Path d = f.getParent(); d != null && !d.equals(root); d = d.getParent()) {
                    String name = d.getFileName().toString();
                    if (name.startsWith(LandingPartition.RUN + "=")) {
                      return name.endsWith(mine);
                    }
                  }
                  return false;
                })
            .count();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }

    void close() {
      if (sim != null) {
        sim.close();
      }
    }
  }

  private static double round(Double seconds) {
    return seconds == null ? 0 : Math.round(seconds * 10) / 10.0;
  }
}
