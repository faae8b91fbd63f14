package dev.listening.local.robust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Failpoints;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import dev.listening.local.Jars;
import dev.listening.local.LocalJobs;
import dev.listening.local.LocalPipeline;
import dev.listening.local.Processes;
import dev.listening.local.Reconciliation;
import dev.listening.local.SimulatedDay;
import dev.listening.simulator.SimulatorProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;

/**
 * A simulated day in which the extractor is killed hard, again and again, and resumed each time: by
 * SIGKILL at a random moment, and by halting at the moments that matter for durability (a part
 * written but not published, published but not listed, listed but its watermarks not committed).
 * Then bronze and gold, and the checks: gold equals the retrievable truth (nothing lost, nothing
 * twice), every landed part is whole and listed in a complete manifest, every gap the truth knows
 * is reported, no temp file is left, and what the crashes cost in requests.
 */
public final class CrashDrill {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HH'00Z'").withZone(ZoneOffset.UTC);
  private static final String[] FAILPOINTS = {
    Failpoints.PART_WRITTEN, Failpoints.PART_PUBLISHED, Failpoints.PART_LISTED
  };
  // Each drill attempt is a short CLI run: skip the optimising JIT so that starting dozens of
  // JVMs costs less; what is measured is correctness, not throughput.
  private static final List<String> SHORT_LIVED_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  /** What the drill found; {@code problems} is empty when everything held. */
  public record Result(Map<String, Object> figures, List<String> problems) {}

  private final Jars jars;
  private final Path out;
  private final int users;
  private final long plays;
  private final int pollEveryHours;
  private final int killsPerRun;
  private final Random random;
  private final LocalDate day = LocalDate.parse("2026-11-20");
  private final List<String> problems = new ArrayList<>();
  private int kills;
  private int attempts;

  /**
   * A day of {@code users} and {@code plays}, polled every {@code pollEveryHours} until two hours
   * past midnight, each extractor run killed {@code killsPerRun} times before it may complete.
   */
  public CrashDrill(
      Jars jars, Path out, int users, long plays, int pollEveryHours, int killsPerRun, long seed) {
    this.jars = jars;
    this.out = out;
    this.users = users;
    this.plays = plays;
    this.pollEveryHours = pollEveryHours;
    this.killsPerRun = killsPerRun;
    this.random = new Random(seed);
  }

  public Result run(SparkSession spark) throws Exception {
    LocalPipeline.deleteRecursively(out);
    Path logs = Files.createDirectories(out.resolve("logs"));
    String landing = out.resolve("landing").toString();
    String bronze = out.resolve("bronze").toString();
    String gold = out.resolve("gold").toString();
    Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    long started = System.currentTimeMillis();
    Map<String, Object> figures = new LinkedHashMap<>();
    try (SimulatorProcess sim =
        SimulatorProcess.start(
            jars.simulator,
            "1g",
            logs.resolve("simulator.log"),
            List.of(
                "--seed", "11",
                "--day", day.toString(),
                "--users", Integer.toString(users),
                "--plays-per-day", Long.toString(plays),
                "--expired-token-users", "0",
                "--faults", "none",
                "--rate-limit", "none"))) {
      List<String> common = SimulatedDay.extractorArgs(sim, landing);
      // Small parts, so that a poll publishes several and the failpoints fall mid-run.
      common.addAll(List.of("--part-max-pages", "4", "--concurrency", "4", "--max-rps", "1000"));
      List<Instant> polls = new ArrayList<>();
      for (int h = pollEveryHours; h <= 26; h += pollEveryHours) {
        Instant at = dayStart.plus(Duration.ofHours(h));
        polls.add(at);
        sim.setClock(at);
        String date = at.atZone(ZoneOffset.UTC).toLocalDate().toString();
        List<String> args = new ArrayList<>(List.of("recently-played"));
        args.addAll(common);
        args.addAll(
            List.of(
                "--run-id",
                "poll-" + HOUR.format(at),
                "--landing-date",
                date,
                "--start-from",
                dayStart.toString()));
        untilDone(args, logs);
      }
      Instant noon = dayStart.plus(Duration.ofHours(12));
      sim.setClock(noon);
      LocalJobs jobs =
          new LocalJobs(landing, bronze, out.resolve("lookup-list").toString(), gold, day);
      jobs.bronzeOfDay();
      jobs.bronzeOfNextDay();
      jobs.enrichmentList();
      List<String> lookups = new ArrayList<>(List.of("lookups"));
      lookups.addAll(common);
      lookups.addAll(
          List.of(
              "--run-id", "lookups-" + day,
              "--landing-date", day.toString(),
              "--ids", jobs.lookupListOfDay()));
      untilDone(lookups, logs);
      jobs.bronzeOfLookups();
      jobs.goldOfDay();

      JsonNode truth = SimulatedDay.retrievability(sim, polls, dayStart);
      Path truthDir = Files.createDirectories(out.resolve("truth"));
      StringBuilder keys = new StringBuilder();
      truth.path("retrievable").forEach(k -> keys.append(k).append('\n'));
      Files.writeString(truthDir.resolve("retrievable.ndjson"), keys);
      Files.writeString(truthDir.resolve("plays.ndjson"), sim.get("/_sim/truth/plays"));
      // The drill lands no new releases: no new-release tracks to compare.
      Files.writeString(truthDir.resolve("new_release_tracks.ndjson"), "");
      Reconciliation.Result r =
          Reconciliation.check(
              spark,
              gold,
              day,
              truthDir.resolve("retrievable.ndjson"),
              truthDir.resolve("plays.ndjson"),
              truthDir.resolve("new_release_tracks.ndjson"),
              Path.of(jobs.lookupListOfDay()));
      problems.addAll(r.problems());
      figures.put("gold", r.counts());
      long rows = spark.read().parquet(gold + "/fct_listens").count();
      long keysDistinct =
          spark
              .read()
              .parquet(gold + "/fct_listens")
              .select("user_key", "played_at")
              .distinct()
              .count();
      if (rows != keysDistinct) {
        problems.add((rows - keysDistinct) + " duplicate plays in gold");
      }
      figures.put("fct_listens_duplicates", rows - keysDistinct);

      Set<String> reported = reportedGaps(Path.of(landing));
      int trueGaps = truth.path("gaps").size();
      figures.put("gaps_true", trueGaps);
      figures.put("gaps_reported", reported.size());
      if (reported.size() != trueGaps) {
        problems.add(
            "gaps: "
                + reported.size()
                + " reported, "
                + trueGaps
                + " in the truth (a crash lost some)");
      }
      checkParts(Path.of(landing));
      checkNoTempFiles(Path.of(landing), started);

      JsonNode stats = JSON.readTree(sim.get("/_sim/stats"));
      long requests = stats.path("requests").asLong();
      long pollMinimum = (long) users * polls.size();
      figures.put("extractor_attempts", attempts);
      figures.put("hard_kills", kills);
      figures.put("api_requests", requests);
      figures.put(
          "recently_played_requests", stats.path("by_endpoint").path("recently-played").asLong());
      figures.put("recently_played_minimum", pollMinimum);
      figures.put(
          "extra_recently_played_requests_from_crashes",
          stats.path("by_endpoint").path("recently-played").asLong() - pollMinimum);
      // Killed processes leave what they had half-written: none of it may hold a credential.
      List<SecretScan.Finding> leaks = SecretScan.scan(out, SimulatedDay.credentials(sim));
      figures.put("secrets_found", leaks.size());
      leaks.forEach(f -> problems.add("secret found: " + f));
    }
    figures.put("problems", problems);
    return new Result(figures, problems);
  }

  /**
   * Runs a command until it completes: its first {@code killsPerRun} attempts are killed, in turn
   * by each failpoint (at its first or second hit) and by SIGKILL at a random moment; the next one
   * runs to the end.
   */
  private void untilDone(List<String> args, Path logs) throws Exception {
    for (int attempt = 1; attempt <= killsPerRun + 3; attempt++) {
      List<String> jvm = new ArrayList<>(SHORT_LIVED_JVM);
      // The drill's own temp folder: what its killed extractors leave there is checked, and no
      // other process of the machine writes there.
      jvm.add("-Djava.io.tmpdir=" + tempDir());
      boolean randomKill = false;
      if (attempt <= killsPerRun) {
        int kind = kills % (FAILPOINTS.length + 1);
        if (kind == FAILPOINTS.length) {
          randomKill = true;
        } else {
          jvm.add(
              "-D" + Failpoints.PROPERTY + "=" + FAILPOINTS[kind] + ":" + (1 + random.nextInt(2)));
        }
      }
      attempts++;
      Processes.Started p =
          Processes.startExtractor(
              jars.extractor, "256m", jvm, logs.resolve("extractor.log"), args);
      if (randomKill) {
        Thread.sleep(200 + random.nextInt(1200));
        p.process().destroyForcibly(); // SIGKILL
      }
      Processes.Run r = Processes.finish(p);
      if (r.exitCode() == 137) {
        kills++;
        continue;
      }
      if (r.exitCode() == 0) {
        return;
      }
      problems.add(args.get(0) + " exited " + r.exitCode() + " on attempt " + attempt);
      return;
    }
    problems.add(args.get(0) + " did not complete in " + (killsPerRun + 3) + " attempts");
  }

  /** Every gap the complete manifests list, once each (user, watermark, oldest play). */
  private static Set<String> reportedGaps(Path landing) throws IOException {
    Set<String> gaps = new HashSet<>();
    for (Path m :
        files(landing.resolve(Endpoint.RECENTLY_PLAYED.landingName()), LandingPartition.MANIFEST)) {
      for (JsonNode g :
          JSON.readTree(m.toFile()).path(RunManifest.DETAILS).path(RunManifest.DETAIL_GAPS)) {
        gaps.add(
            g.path(RunManifest.Gap.USER_KEY).asText()
                + "|"
                + g.path(RunManifest.Gap.WATERMARK).asText()
                + "|"
                + g.path(RunManifest.Gap.OLDEST_IN_PAGE).asText());
      }
    }
    return gaps;
  }

  /** Every part is a whole gzip file and listed in its partition's complete manifest. */
  private void checkParts(Path landing) throws IOException {
    int parts = 0;
    for (Path m : files(landing, LandingPartition.MANIFEST)) {
      JsonNode manifest = JSON.readTree(m.toFile());
      if (!RunManifest.Status.COMPLETE
          .wireName()
          .equals(manifest.path(RunManifest.STATUS).asText())) {
        problems.add(m + " is not complete");
      }
      Set<String> listed = new HashSet<>();
      manifest
          .path(RunManifest.PARTS)
          .forEach(p -> listed.add(p.path(RunManifest.PART_PATH).asText()));
      try (Stream<Path> s = Files.list(m.getParent())) {
        for (Path part :
            s.filter(p -> LandingPartition.isPart(p.getFileName().toString())).toList()) {
          parts++;
          if (!listed.contains(landing.relativize(part).toString())) {
            problems.add(part + " is not listed in its manifest");
          }
          try (InputStream in = new GZIPInputStream(Files.newInputStream(part))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
          } catch (IOException e) {
            problems.add(part + " is not a whole gzip file: " + e.getMessage());
          }
        }
      }
    }
    if (parts == 0) {
      problems.add("nothing landed");
    }
  }

  /** No hidden temp file in the landing, and none left in the extractor's part temp folders. */
  private void checkNoTempFiles(Path landing, long since) throws IOException {
    try (Stream<Path> s = Files.walk(landing)) {
      s.filter(p -> p.getFileName().toString().endsWith(".tmp"))
          .forEach(p -> problems.add("temp file left: " + p));
    }
    Path parts = tempDir().resolve("listening-landing");
    if (Files.isDirectory(parts)) {
      try (Stream<Path> s = Files.walk(parts)) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          if (Files.getLastModifiedTime(p).toMillis() >= since) {
            problems.add("part temp file left: " + p);
          }
        }
      }
    }
  }

  /** The java.io.tmpdir of the drill's extractor processes. */
  private Path tempDir() throws IOException {
    return Files.createDirectories(out.resolve("tmp"));
  }

  private static List<Path> files(Path root, String name) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().equals(name)).toList();
    }
  }
}
