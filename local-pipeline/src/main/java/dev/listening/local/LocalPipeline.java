package dev.listening.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole pipeline on one machine against the simulator: the README's run command. It starts the
 * production jars with production arguments, only pointed at local folders and a simulator, and
 * checks the result against the simulator's ground truth.
 */
@Command(
    name = "local-pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a simulated day end to end: simulator, hourly recently-played polls, look-ups,",
      "and a reconciliation against the simulator's ground truth. Exits 1 if anything is off."
    })
public final class LocalPipeline implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HH'00Z'").withZone(ZoneOffset.UTC);

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

  @Option(names = "--full-day", description = "The target scale: 20,000 users, 1.2 million plays.")
  boolean fullDay;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--day", defaultValue = "2026-11-20", description = "The simulated day.")
  LocalDate day;

  @Option(names = "--fresh", description = "Delete the output folder first.")
  boolean fresh;

  @Option(
      names = "--extractor-jar",
      defaultValue = "extractor/target/extractor.jar",
      description = "The extractor fat jar (default: ${DEFAULT-VALUE}).")
  Path extractorJar;

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
    if (!Files.isRegularFile(extractorJar)) {
      System.err.println("error: " + extractorJar + " is missing: build it first (./run.sh does)");
      return 2;
    }
    if (fresh) {
      deleteRecursively(out);
    }
    Path logs = Files.createDirectories(out.resolve("logs"));
    Path landing = out.resolve("landing");
    Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Map<String, Object> summary = new LinkedHashMap<>();
    System.out.printf(
        "local pipeline: %d users, %d plays on %s; output in %s%n",
        users, playsPerDay, day, out.toAbsolutePath());

    try (Simulator sim =
        stage(
            "start simulator",
            () ->
                Simulator.start(
                    extractorJar,
                    logs.resolve("simulator.log"),
                    List.of(
                        "--seed", Long.toString(seed),
                        "--day", day.toString(),
                        "--users", Integer.toString(users),
                        "--plays-per-day", Long.toString(playsPerDay),
                        "--faults", "default",
                        // The simulated day is compressed into seconds, so its rate limit is scaled
                        // up too; it still bites now and then.
                        "--rate-limit", "6000/30s")))) {
      List<String> common =
          List.of(
              "--api-base-url",
              sim.apiBase(),
              "--accounts-base-url",
              sim.root,
              "--client-secret-ref",
              "sim",
              "--landing",
              landing.toString(),
              "--max-rps",
              "300",
              "--concurrency",
              "8",
              "--no-progress");

      // Hourly polls through the day, plus two after midnight for the plays of its last hour.
      List<Instant> polls = new ArrayList<>();
      Map<String, Long> extraction = new LinkedHashMap<>();
      stage(
          "extract: recently-played, 26 hourly polls",
          () -> {
            for (int h = 1; h <= 26; h++) {
              Instant at = dayStart.plus(Duration.ofHours(h));
              polls.add(at);
              sim.setClock(at);
              List<String> args = new ArrayList<>(List.of("recently-played"));
              args.addAll(common);
              args.addAll(
                  List.of(
                      "--run-id", "poll-" + HOUR.format(at),
                      "--date", at.atZone(ZoneOffset.UTC).toLocalDate().toString(),
                      "--start-from", dayStart.toString()));
              Processes.Run r =
                  Processes.extractor(extractorJar, logs.resolve("extractor.log"), args);
              if (r.exitCode() != 0) {
                problems.add(
                    "recently-played at "
                        + at
                        + " exited "
                        + r.exitCode()
                        + ": "
                        + r.summary().path("message").asText());
              }
              add(extraction, "requests", r.summary().path("requests").asLong());
              add(extraction, "retries", r.summary().path("retries").asLong());
              add(extraction, "pages", r.summary().path("pages").asLong());
              add(extraction, "play_records", r.summary().path("items").asLong());
              add(extraction, "gaps_reported", r.summary().path("gaps").asLong());
              add(extraction, "users_skipped", r.summary().path("users_skipped").size());
              add(extraction, "bytes_landed", r.summary().path("bytes_landed").asLong());
            }
            return null;
          });
      summary.put("recently_played", extraction);

      Landing landed =
          stage("read landing", () -> Landing.read(landing.resolve("recently_played")));
      Path ids = out.resolve("lookup-ids.csv");
      Files.writeString(ids, landed.idsCsv());
      Processes.Run lookups =
          stage(
              "extract: look-ups",
              () -> {
                List<String> args = new ArrayList<>(List.of("lookups"));
                args.addAll(common);
                args.addAll(
                    List.of(
                        "--run-id",
                        "lookups-" + day,
                        "--date",
                        day.toString(),
                        "--ids",
                        ids.toString()));
                return Processes.extractor(extractorJar, logs.resolve("extractor.log"), args);
              });
      if (lookups.exitCode() != 0) {
        problems.add(
            "lookups exited "
                + lookups.exitCode()
                + ": "
                + lookups.summary().path("message").asText());
      }
      summary.put(
          "lookups",
          Map.of(
              "requests", lookups.summary().path("requests").asLong(),
              "objects", lookups.summary().path("items").asLong(),
              "not_found", lookups.summary().path("not_found").asLong()));

      JsonNode truth =
          stage(
              "reconcile with the simulator's truth",
              () ->
                  sim.post(
                      "/_sim/truth/retrievability",
                      JSON.writeValueAsString(
                          Map.of(
                              "polls",
                              polls.stream().map(Instant::toString).toList(),
                              "start_from",
                              dayStart.toString()))));
      Set<String> expected = new HashSet<>();
      truth
          .path("retrievable")
          .forEach(
              k -> expected.add(k.path("user_key").asText() + "|" + k.path("played_at").asText()));
      Map<String, Object> reconciliation = new LinkedHashMap<>();
      reconciliation.put("plays_retrievable", expected.size());
      reconciliation.put("plays_landed_distinct", landed.plays.size());
      reconciliation.put(
          "plays_lost_to_the_horizon", truth.path("counts").path("lost_in_gaps").asLong());
      reconciliation.put("gaps_in_truth", truth.path("counts").path("gaps").asLong());
      if (!expected.equals(landed.plays)) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(landed.plays);
        Set<String> extra = new HashSet<>(landed.plays);
        extra.removeAll(expected);
        problems.add(
            "landed plays differ from the retrievable truth: "
                + missing.size()
                + " missing, "
                + extra.size()
                + " unexpected");
      }
      if (truth.path("counts").path("gaps").asLong()
          != extraction.getOrDefault("gaps_reported", 0L)) {
        problems.add(
            "gaps reported "
                + extraction.get("gaps_reported")
                + " but the truth has "
                + truth.path("counts").path("gaps").asLong());
      }
      summary.put("reconciliation", reconciliation);
    }

    summary.put("seconds_per_stage", stageSeconds);
    summary.put("problems", problems);
    summary.put("status", problems.isEmpty() ? "ok" : "failed");
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    Files.writeString(
        out.resolve("summary.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    if (!problems.isEmpty()) {
      System.err.println("local pipeline FAILED:\n  - " + String.join("\n  - ", problems));
      return 1;
    }
    System.out.println("local pipeline OK; logs in " + logs.toAbsolutePath());
    return 0;
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

  private static void add(Map<String, Long> m, String key, long v) {
    m.merge(key, v, Long::sum);
  }

  /** The landed recently-played pages: distinct plays and the catalog ids they mention. */
  static final class Landing {
    final Set<String> plays = new HashSet<>();
    final Set<String> ids = new LinkedHashSet<>();

    static Landing read(Path root) throws IOException {
      Landing l = new Landing();
      List<Path> parts;
      try (Stream<Path> s = Files.walk(root)) {
        parts = s.filter(p -> p.toString().endsWith(".ndjson.gz")).sorted().toList();
      }
      for (Path part : parts) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(part))) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
              continue;
            }
            JsonNode e = JSON.readTree(line);
            for (JsonNode item : e.path("response").path("items")) {
              l.plays.add(e.path("user_key").asText() + "|" + item.path("played_at").asText());
              JsonNode t = item.path("track");
              id(l.ids, "track", t.path("id"));
              id(l.ids, "album", t.path("album").path("id"));
              t.path("artists").forEach(a -> id(l.ids, "artist", a.path("id")));
            }
          }
        }
      }
      return l;
    }

    private static void id(Set<String> ids, String kind, JsonNode id) {
      if (id.isTextual()) {
        ids.add(kind + "," + id.asText());
      }
    }

    String idsCsv() {
      return "entity_type,id\n" + String.join("\n", ids) + "\n";
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
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
