package dev.listening.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.local.bench.ExtractorBenchmark;
import dev.listening.local.bench.HistoryBenchmark;
import dev.listening.local.bench.SparkBenchmark;
import dev.listening.local.robust.Robustness;
import dev.listening.local.robust.SecretScan;
import dev.listening.local.robust.SecretScanCommand;
import dev.listening.simulator.SimulatorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole pipeline on one machine against the simulator: the README's run command. It runs the
 * production entry points with production arguments, only pointed at local folders and a simulator:
 * the extractor jar as its own process per run (as Cloud Run does), the Spark jobs through their
 * main class in this JVM (Spark is on the classpath here, as the Dataproc runtime provides it
 * there). Then it checks gold against the simulator's ground truth.
 */
@Command(
    name = "local-pipeline",
    mixinStandardHelpOptions = true,
    subcommands = {
      SparkBenchmark.class,
      HistoryBenchmark.class,
      ExtractorBenchmark.class,
      Robustness.class,
      SecretScanCommand.class
    },
    description = {
      "Runs a simulated day end to end: simulator, hourly recently-played polls, bronze, the"
          + " look-up list, look-ups, bronze again, gold with its quality gates, and a"
          + " reconciliation against the simulator's ground truth. Exits 1 if anything is off.",
      "",
      "The console shows the stages and the summary; the simulator's, the extractor's and"
          + " Spark's logs go to <out>/logs/."
    })
public final class LocalPipeline implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HH'00Z'").withZone(ZoneOffset.UTC);

  /** Polls run hourly through the day and two hours past midnight, for the day's late plays. */
  static final int POLLS = 26;

  @Option(
      names = "--out",
      defaultValue = "data/local",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--users",
      defaultValue = "100",
      description = "Simulated users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--plays-per-day",
      defaultValue = "12000",
      description = "Simulated plays in the day (default: ${DEFAULT-VALUE}).")
  long playsPerDay;

  @Option(
      names = "--full-day",
      description = "The target scale: 20,000 users and 1.2 million plays.")
  boolean fullDay;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the simulated day (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--day",
      defaultValue = "2026-11-20",
      description = "The simulated day (default: ${DEFAULT-VALUE}).")
  LocalDate day;

  @Option(names = "--fresh", description = "Delete the output folder first.")
  boolean fresh;

  @Option(
      names = "--no-warehouse",
      description = "Stop after gold and its reconciliation: no dbt, checkpoint or report.")
  boolean noWarehouse;

  @Option(
      names = "--import-history",
      description =
          "After polling, import every user's streaming-history export (the simulator writes them"
              + " to <out>/exports/), twice: the second import must land nothing. Gold must then"
              + " hold every play of the day, not only the retrievable ones.")
  boolean importHistory;

  @Mixin Jars jars;

  @Option(
      names = "--repo",
      defaultValue = ".",
      description =
          "The repository: its .venv/warehouse, dbt_project, great_expectations (default:"
              + " ${DEFAULT-VALUE}).")
  Path repo;

  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalPipeline()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (fullDay) {
      users = 20_000;
      playsPerDay = 1_200_000;
    }
    if (jars.missing() != null) {
      System.err.println("error: " + jars.missing());
      return 2;
    }
    if (fresh) {
      deleteRecursively(out);
    }
    Path logs = Files.createDirectories(out.resolve("logs"));
    Path exports = out.resolve("exports").toAbsolutePath();
    SparkLogs.to(logs.resolve("spark.log"));
    String landing = out.resolve("landing").toString();
    String bronze = out.resolve("bronze").toString();
    String gold = out.resolve("gold").toString();
    String lookupList = out.resolve("lookup-list").toString();
    LocalJobs jobs = new LocalJobs(landing, bronze, lookupList, gold, day);
    Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Map<String, Object> summary = new LinkedHashMap<>();
    List<String> credentials = new ArrayList<>();
    System.out.printf(
        "local pipeline: %d users, %d plays on %s; output in %s%n",
        users, playsPerDay, day, out.toAbsolutePath());

    List<String> simulatorArgs =
        new ArrayList<>(
            List.of(
                "--seed", Long.toString(seed),
                "--day", day.toString(),
                "--users", Integer.toString(users),
                "--plays-per-day", Long.toString(playsPerDay),
                "--faults", "default",
                // The day runs in seconds, so the rate limit is scaled up with it (and off at full
                // scale, where the extractor benchmark measures the limit).
                "--rate-limit", fullDay ? "none" : "6000/30s"));
    if (importHistory) {
      deleteRecursively(exports);
      simulatorArgs.addAll(List.of("--write-history", exports.toString()));
    }
    try (SimulatorProcess sim =
        stage(
            "start the simulator",
            () ->
                SimulatorProcess.start(
                    jars.simulator, "1g", logs.resolve("simulator.log"), simulatorArgs))) {
      credentials.addAll(SimulatedDay.credentials(sim));
      List<String> common = SimulatedDay.extractorArgs(sim, landing);
      common.addAll(
          List.of("--max-rps", fullDay ? "10000" : "300", "--concurrency", fullDay ? "16" : "8"));
      Extractor extractor = new Extractor(jars.extractor, logs.resolve("extractor.log"), common);

      List<Instant> polls = new ArrayList<>();
      stage(
          "extract: recently-played, " + POLLS + " hourly polls",
          () -> {
            for (int h = 1; h <= POLLS; h++) {
              Instant at = dayStart.plus(Duration.ofHours(h));
              polls.add(at);
              sim.setClock(at);
              extractor.run(
                  "recently-played",
                  "--run-id",
                  "poll-" + HOUR.format(at),
                  "--landing-date",
                  dateOf(at),
                  "--start-from",
                  dayStart.toString());
            }
            return null;
          });
      // The day's catalog snapshots, at noon.
      sim.setClock(dayStart.plus(Duration.ofHours(12)));
      stage(
          "extract: new releases and playlist items",
          () -> {
            extractor.run(
                "new-releases",
                "--run-id",
                "new-releases-" + day,
                "--landing-date",
                day.toString());
            List<String> args =
                new ArrayList<>(
                    List.of(
                        "playlist-items",
                        "--run-id",
                        "playlists-" + day,
                        "--landing-date",
                        day.toString()));
            for (JsonNode u : JSON.readTree(sim.get("/_sim/users")).path("users")) {
              if (!u.path("token_expired").asBoolean()) {
                u.path("playlist_ids")
                    .forEach(
                        p ->
                            args.addAll(
                                List.of("--playlist", u.path("key").asText() + ":" + p.asText())));
              }
            }
            extractor.run(args.toArray(String[]::new));
            return null;
          });

      if (importHistory) {
        summary.put(
            "history_import",
            stage(
                "import streaming-history exports (twice)",
                () -> importHistory(exports, landing, logs.resolve("extractor.log"))));
      }

      SparkSession spark = stage("start Spark (local)", LocalPipeline::spark);
      stage(
          "bronze: landing to Parquet",
          () -> {
            job(jobs::bronzeOfDay);
            return job(jobs::bronzeOfNextDay);
          });
      stage("enrichment list", () -> job(jobs::enrichmentList));
      stage(
          "extract: look-ups",
          () ->
              extractor.run(
                  "lookups",
                  "--run-id",
                  "lookups-" + day,
                  "--landing-date",
                  day.toString(),
                  "--ids",
                  jobs.lookupListOfDay()));
      stage("bronze: look-ups", () -> job(jobs::bronzeOfLookups));
      stage("gold with quality gates", () -> job(jobs::goldOfDay));

      Reconciliation.Result r =
          stage(
              "reconcile gold with the simulator's truth",
              () -> {
                Path truth = Files.createDirectories(out.resolve("truth"));
                JsonNode retrievability = SimulatedDay.retrievability(sim, polls, dayStart);
                StringBuilder keys = new StringBuilder();
                retrievability.path("retrievable").forEach(k -> keys.append(k).append('\n'));
                Files.writeString(truth.resolve("retrievable.ndjson"), keys);
                StringBuilder gaps = new StringBuilder();
                retrievability.path("gaps").forEach(g -> gaps.append(g).append('\n'));
                Files.writeString(truth.resolve("gaps.ndjson"), gaps);
                Files.writeString(truth.resolve("plays.ndjson"), sim.get("/_sim/truth/plays"));
                // The new releases' tracks of the markets gold holds (none for development mode).
                List<String> markets = Reconciliation.newReleaseMarkets(spark, gold, day);
                Files.writeString(
                    truth.resolve("new_release_tracks.ndjson"),
                    markets.isEmpty()
                        ? ""
                        : sim.get(
                            "/_sim/truth/new-release-tracks?markets=" + String.join(",", markets)));
                summary.put("truth", retrievability.path("counts"));
                return Reconciliation.check(
                    spark,
                    gold,
                    day,
                    truth.resolve("retrievable.ndjson"),
                    truth.resolve("plays.ndjson"),
                    truth.resolve("new_release_tracks.ndjson"),
                    Path.of(jobs.lookupListOfDay()),
                    importHistory);
              });
      // Requests as the API saw them, per endpoint (retries and faults included).
      summary.put(
          "api_requests_by_endpoint", JSON.readTree(sim.get("/_sim/stats")).path("by_endpoint"));
      problems.addAll(r.problems());
      summary.put("reconciliation", r.counts());
      summary.put("extraction", extractor.totals());
      summary.put("users_skipped", extractor.skippedUsers());
      summary.put("tables", Tables.counts(spark, bronze, gold, day));
      summary.put("bronze_metrics", metrics(bronze + "/_metrics/bronze/date=" + day + ".json"));
    }
    if (!noWarehouse) {
      warehouse(summary, logs);
    }
    // Every file of the run, against the secrets the simulator handed out and token shapes.
    List<SecretScan.Finding> leaks =
        stage("scan the run for secrets", () -> SecretScan.scan(out, credentials));
    summary.put("secrets_found", leaks.size());
    leaks.forEach(f -> problems.add("secret found: " + f));

    summary.put("seconds_per_stage", stageSeconds);
    summary.put("problems", problems);
    summary.put("status", problems.isEmpty() ? "ok" : "failed");
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
    System.out.println(text);
    Files.writeString(out.resolve("summary.json"), text);
    if (!problems.isEmpty()) {
      System.err.println("local pipeline FAILED:\n  - " + String.join("\n  - ", problems));
      return 1;
    }
    System.out.println(
        "local pipeline OK: gold in "
            + Path.of(gold).toAbsolutePath()
            + ", logs in "
            + logs.toAbsolutePath());
    return 0;
  }

  /**
   * Imports every user's export in one extractor run, then again: the second must add nothing and
   * write no day. Returns the first run's summary with the second's days written.
   */
  private Map<String, Object> importHistory(Path exports, String landing, Path log)
      throws IOException, InterruptedException {
    List<String> args =
        List.of("import-history", "--exports", exports.toString(), "--landing", landing);
    Map<String, Object> result = new LinkedHashMap<>();
    for (String pass : List.of("first", "again")) {
      Processes.Run r = Processes.extractor(jars.extractor, log, args);
      if (r.exitCode() != 0) {
        problems.add("import-history exited " + r.exitCode() + "; see " + log);
        return result;
      }
      if (pass.equals("first")) {
        r.summary().fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue()));
      } else {
        long written = r.summary().path("days_written").asLong();
        long added = r.summary().path("added").asLong();
        result.put("reimport_days_written", written);
        result.put("reimport_added", added);
        if (written != 0 || added != 0) {
          problems.add("re-importing the same exports wrote " + written + " days, added " + added);
        }
      }
    }
    return result;
  }

  /** After gold: dbt build, the GX checkpoint, the report (see WarehouseStages). */
  private void warehouse(Map<String, Object> summary, Path logs) throws Exception {
    WarehouseStages w = WarehouseStages.of(repo, out, logs, day);
    if (w == null) {
      problems.add(WarehouseStages.missing(repo));
      return;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    summary.put("warehouse", result);
    result.put("dbt", stage("dbt build (local target)", w::dbtBuild));
    // The day's plays: at most what the simulator generated, and most of them retrievable.
    result.put(
        "checkpoint", stage("GX checkpoint", () -> w.checkpoint(playsPerDay / 2, playsPerDay)));
    problems.addAll(WarehouseStages.problems(result));
    result.put("report", stage("HTML report", () -> w.report(summary)));
  }

  /** The local session every in-process run shares (one per JVM; later callers get the same). */
  public static SparkSession spark() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("listening-local")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  /** One Spark job of the day (LocalJobs); a failed one is a problem, and stops the run. */
  private Object job(Runnable job) {
    try {
      job.run();
    } catch (IllegalStateException e) {
      problems.add(e.getMessage());
      throw new IllegalStateException("stopping: " + e.getMessage(), e);
    }
    return null;
  }

  private static String dateOf(Instant at) {
    return at.atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  private static Object metrics(String path) throws IOException {
    Path p = Path.of(path);
    return Files.exists(p) ? JSON.readTree(p.toFile()) : null;
  }

  /** The extractor jar, run once per command like Cloud Run would, with totals kept. */
  private final class Extractor {
    private final Path jar;
    private final Path log;
    private final List<String> common;
    private final Map<String, Long> totals = new LinkedHashMap<>();
    // A user skipped by every poll (say, an expired consent) is one user, not one per poll.
    private final Map<String, String> skipped = new java.util.TreeMap<>();

    Extractor(Path jar, Path log, List<String> common) {
      this.jar = jar;
      this.log = log;
      this.common = common;
    }

    Object run(String command, String... more) throws IOException, InterruptedException {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(common);
      args.addAll(List.of(more));
      Processes.Run r = Processes.extractor(jar, log, args);
      if (r.exitCode() != 0) {
        problems.add(
            command
                + " "
                + String.join(" ", more)
                + " exited "
                + r.exitCode()
                + ": "
                + r.summary().path("message").asText());
      }
      add("requests", r.summary().path("requests").asLong());
      add("token_requests", r.summary().path("token_requests").asLong());
      add("retries", r.summary().path("retries").asLong());
      add("pages", r.summary().path("pages").asLong());
      add("bytes_landed", r.summary().path("bytes_landed").asLong());
      if (command.equals("recently-played")) {
        add("play_records", r.summary().path("items").asLong());
        add("gaps", r.summary().path("gaps").asLong());
        r.summary()
            .path("users_skipped")
            .fields()
            .forEachRemaining(e -> skipped.put(e.getKey(), e.getValue().asText()));
      }
      if (command.equals("lookups")) {
        add("lookup_objects", r.summary().path("items").asLong());
        // Requests spent on album tracks (pages landed), and the track lists the album look-ups
        // carried whole, so that they cost none.
        add("album_tracks_pages", r.summary().path("album_tracks_pages").asLong());
        add(
            "album_tracks_carried_by_lookups",
            r.summary().path("album_tracks_carried_by_lookups").asLong());
      }
      return null;
    }

    Object run(String[] commandAndArgs) throws IOException, InterruptedException {
      return run(
          commandAndArgs[0],
          java.util.Arrays.copyOfRange(commandAndArgs, 1, commandAndArgs.length));
    }

    private void add(String key, long v) {
      totals.merge(key, v, Long::sum);
    }

    Map<String, Long> totals() {
      return totals;
    }

    /** Each skipped user once, with why. */
    Map<String, Object> skippedUsers() {
      return Map.of("count", skipped.size(), "users", skipped);
    }
  }

  @FunctionalInterface
  interface Step<T> {
    T run() throws Exception;
  }

  private <T> T stage(String name, Step<T> step) throws Exception {
    long start = System.nanoTime();
    System.out.printf("- %s ...%n", name);
    T result = step.run();
    double seconds = Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    stageSeconds.put(name, seconds);
    System.out.printf("  done in %.1f s%n", seconds);
    return result;
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
