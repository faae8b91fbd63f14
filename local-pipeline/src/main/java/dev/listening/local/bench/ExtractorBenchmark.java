package dev.listening.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.landing.AppMode;
import dev.listening.landing.CatalogKind;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.LookupList;
import dev.listening.landing.RunManifest;
import dev.listening.local.Jars;
import dev.listening.local.LocalPipeline;
import dev.listening.local.Processes;
import dev.listening.local.SimulatedDay;
import dev.listening.simulator.SimulatorProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures the extractor on simulated days: a large extended-mode day (1.2 million plays by
 * default) and a development-mode day (5 users), then a run where the rate limit is the bottleneck.
 * Prints requests per 1,000 landed plays against the minimum the mode allows, plays landed per
 * second, the share of the allowed request rate used, retries and peak heap. The extractor runs as
 * its production jar, one JVM per command as on Cloud Run, with a small heap that proves its bound;
 * the simulator runs in its own JVM; the reference (a bare OkHttp loop making the same requests)
 * runs in a fresh JVM too, so both start cold.
 */
@Command(
    name = "extractor-benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates a day (default 1.2 million plays) and prints the extractor's figures: requests"
          + " per 1,000 landed plays vs the minimum, plays/s, share of the allowed rate, retries,"
          + " peak heap, and a bare OkHttp loop on the same poll. Takes several minutes."
    })
public final class ExtractorBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final LocalDate DAY = LocalDate.parse("2026-11-20");
  private static final Instant DAY_START = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();

  @Option(names = "--plays", defaultValue = "1200000", description = "Plays in the extended day.")
  long plays;

  @Option(names = "--users", defaultValue = "20000", description = "Users in the extended day.")
  int users;

  @Option(names = "--polls", defaultValue = "24", description = "Hourly polls.")
  int polls;

  @Option(names = "--concurrency", defaultValue = "16", description = "Extractor concurrency.")
  int concurrency;

  @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--extractor-heap",
      defaultValue = "96m",
      description =
          "-Xmx of every extractor run: the bound being proven (default: ${DEFAULT-VALUE}).")
  String extractorHeap;

  @Mixin Jars jars;

  @Option(
      names = "--rate-limit",
      defaultValue = "300/30s",
      description = "Simulated limit for the rate-bound run (default: ${DEFAULT-VALUE}).")
  String rateLimit;

  @Option(
      names = "--rate-seconds",
      defaultValue = "120",
      description = "About how long the rate-bound run lasts.")
  int rateSeconds;

  @Option(
      names = "--work-dir",
      defaultValue = "target/extractor-benchmark",
      description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--skip-rate", description = "Skip the rate-bound run.")
  boolean skipRate;

  private final Map<String, Object> report = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    LocalPipeline.deleteRecursively(workDir);
    Files.createDirectories(workDir);
    System.err.printf(
        "benchmark: logs of the runs go to %s; this takes several minutes%n",
        workDir.toAbsolutePath());
    report.put("extractor_heap", extractorHeap);
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("extended_day", day(AppMode.EXTENDED, users, plays));
    report.put("development_day", day(AppMode.DEVELOPMENT, 5, 750));
    if (!skipRate) {
      report.put("rate_bound_run", rateBound());
    }
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  private Map<String, Object> day(AppMode mode, int userCount, long playCount) throws Exception {
    String name = mode.wireName();
    Path dir = workDir.resolve(name);
    Path landing = dir.resolve("landing");
    Files.createDirectories(dir);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("users", userCount);
    out.put("plays_generated", playCount);
    out.put("polls", polls);
    try (SimulatorProcess sim =
        SimulatorProcess.start(
            jars.simulator,
            "3g",
            dir.resolve("simulator.log"),
            List.of(
                "--seed",
                Long.toString(seed),
                "--profile",
                name,
                "--users",
                Integer.toString(userCount),
                "--plays-per-day",
                Long.toString(playCount),
                "--heavy-listener-share",
                "0.10",
                "--expired-token-users",
                "1",
                "--faults",
                "none",
                "--rate-limit",
                "none"))) {
      List<String> common = SimulatedDay.extractorArgs(sim, landing.toString());
      common.addAll(
          List.of(
              "--landing-date",
              DAY.toString(),
              "--app-mode",
              name,
              "--max-rps",
              "100000",
              "--concurrency",
              Integer.toString(concurrency)));

      long pollPeak = 0;
      long apiRequests = 0;
      long retries = 0;
      long tokenRequests = 0;
      List<Instant> pollTimes = new ArrayList<>();
      long start = System.nanoTime();
      double referencePollExtractorSeconds = 0;
      int referencePoll = Math.max(1, Math.min(polls, 13));
      for (int h = 1; h <= polls; h++) {
        Instant at = DAY_START.plus(Duration.ofHours(h));
        pollTimes.add(at);
        sim.setClock(at);
        JsonNode s =
            run(
                dir,
                "recently-played",
                common,
                "--run-id",
                String.format("h%02d", h),
                "--start-from",
                DAY_START.toString());
        apiRequests += s.path("requests").asLong();
        pollPeak = Math.max(pollPeak, s.path("peak_heap_used_mb").asLong());
        retries += s.path("retries").asLong();
        tokenRequests += s.path("token_requests").asLong();
        if (h == referencePoll) {
          referencePollExtractorSeconds = s.path("seconds").asDouble();
        }
      }
      double pollSeconds = (System.nanoTime() - start) / 1e9;

      // What landed, read back like a downstream reader would; also the look-up list.
      long readStart = System.nanoTime();
      Landing landed =
          Landing.read(
              landing.resolve(Endpoint.RECENTLY_PLAYED.landingName()),
              String.format("h%02d", referencePoll));
      double readSeconds = (System.nanoTime() - readStart) / 1e9;
      JsonNode truth = SimulatedDay.retrievability(sim, pollTimes, DAY_START);
      long retrievable = truth.path("counts").path("retrievable").asLong();

      // Reference: the same requests of one poll with a bare OkHttp loop (no retries, gate,
      // landing or state), same concurrency, same simulator, same process.
      sim.setClock(DAY_START.plus(Duration.ofHours(referencePoll)));
      Reference ref = reference(sim, dir, landed.referenceRequests);

      Path ids = dir.resolve("ids.csv");
      landed.writeIds(ids);
      long distinctPlays = landed.plays.values().stream().mapToLong(Set::size).sum();
      long playRecords = landed.records;
      long landingBytes = landed.bytes;
      long gapPolls = landed.gaps;
      Map<CatalogKind, Integer> idCounts = new EnumMap<>(CatalogKind.class);
      landed.ids.forEach((k, v) -> idCounts.put(k, v.size()));
      landed = null; // the read-back is the benchmark's memory, not the extractor's
      long lookupStart = System.nanoTime();
      JsonNode lookups =
          run(dir, "lookups", common, "--run-id", "lookups", "--ids", ids.toString());
      double lookupSeconds = (System.nanoTime() - lookupStart) / 1e9;
      long lookupPeak = lookups.path("peak_heap_used_mb").asLong();

      long minimumPolls = (long) (userCount - 1) * polls; // one user's consent expired
      long minimumLookups = 0;
      for (CatalogKind k : CatalogKind.values()) {
        long n = idCounts.get(k);
        minimumLookups += mode == AppMode.EXTENDED ? (n + k.maxBatch() - 1) / k.maxBatch() : n;
      }
      long lookupRequests = lookups.path("requests").asLong();
      long total = apiRequests + lookupRequests;
      out.put("plays_landed_distinct", distinctPlays);
      out.put("plays_retrievable_truth", retrievable);
      out.put("landed_equals_truth", distinctPlays == retrievable);
      out.put("play_records_landed_with_overlap", playRecords);
      out.put("gap_polls", gapPolls);
      out.put("api_requests_recently_played", apiRequests);
      out.put("api_requests_lookups", lookupRequests);
      out.put("minimum_requests_recently_played", minimumPolls);
      out.put("minimum_requests_lookups", minimumLookups);
      out.put("requests_per_1000_plays", round(total * 1000.0 / distinctPlays));
      out.put(
          "minimum_per_1000_plays",
          round((minimumPolls + minimumLookups) * 1000.0 / distinctPlays));
      out.put("requests_over_minimum", round((double) total / (minimumPolls + minimumLookups)));
      out.put("token_requests", tokenRequests + lookups.path("token_requests").asLong());
      out.put("retries", retries + lookups.path("retries").asLong());
      out.put("ids_looked_up", idCounts.values().stream().mapToInt(Integer::intValue).sum());
      out.put("poll_seconds_total", round(pollSeconds));
      out.put("plays_landed_per_second", round(distinctPlays / pollSeconds));
      out.put("lookup_seconds", round(lookupSeconds));
      out.put("landing_bytes", landingBytes);
      out.put("landing_read_back_seconds", round(readSeconds));
      // Each extractor run's own peak heap (its JVM's pools), under -Xmx<extractor-heap>.
      out.put("peak_heap_used_mb_polls", pollPeak);
      out.put("peak_heap_used_mb_lookups", lookupPeak);
      Map<String, Object> reference = new LinkedHashMap<>();
      reference.put("poll", referencePoll);
      reference.put("requests", ref.requests);
      reference.put("extractor_seconds", round(referencePollExtractorSeconds));
      reference.put("bare_okhttp_seconds", round(ref.seconds));
      reference.put(
          "ratio_extractor_over_bare", round(referencePollExtractorSeconds / ref.seconds));
      out.put("reference_same_poll", reference);
    }
    return out;
  }

  private Map<String, Object> rateBound() throws Exception {
    Path dir = workDir.resolve("rate");
    Files.createDirectories(dir);
    String[] limit = rateLimit.split("/");
    double allowedRps =
        Double.parseDouble(limit[0]) / Double.parseDouble(limit[1].replace("s", ""));
    int rateUsers = 20_000;
    int wanted = (int) Math.max(50, allowedRps * rateSeconds);
    int shards = Math.max(1, rateUsers / wanted);
    Map<String, Object> out = new LinkedHashMap<>();
    try (SimulatorProcess sim =
        SimulatorProcess.start(
            jars.simulator,
            "3g",
            dir.resolve("simulator.log"),
            List.of(
                "--seed", Long.toString(seed),
                "--users", Integer.toString(rateUsers),
                "--plays-per-day", Long.toString(rateUsers * 60L),
                "--faults", "none",
                "--rate-limit", rateLimit))) {
      sim.setClock(DAY_START.plus(Duration.ofHours(13)));
      long start = System.nanoTime();
      JsonNode s =
          run(
              dir,
              "recently-played",
              rateArgs(sim, dir, allowedRps),
              "--run-id",
              "rate",
              "--shard",
              "0/" + shards);
      double seconds = (System.nanoTime() - start) / 1e9;
      long ok = s.path("requests_by_status").path("200").asLong();
      long limited = s.path("requests_by_status").path("429").asLong();
      out.put("allowed_requests_per_second", round(allowedRps));
      out.put("client_max_rps", round(allowedRps * 4));
      out.put("users_polled", s.path("pages").asLong());
      out.put("seconds", round(seconds));
      out.put("accepted_requests_per_second", round(ok / seconds));
      double windowSeconds = Double.parseDouble(limit[1].replace("s", ""));
      double rollingMax = Double.parseDouble(limit[0]) * (Math.floor(seconds / windowSeconds) + 1);
      out.put("share_of_allowed_rate_used", round(ok / seconds / allowedRps));
      out.put("share_of_rolling_window_maximum", round(ok / rollingMax));
      out.put("responses_429", limited);
      out.put(
          "seconds_waited_retry_after_all_workers",
          s.path("seconds_waited_retry_after").asDouble());
      out.put("status", s.path("status").asText());
    }
    return out;
  }

  private static List<String> rateArgs(SimulatorProcess sim, Path dir, double allowedRps) {
    List<String> args = SimulatedDay.extractorArgs(sim, dir.resolve("landing").toString());
    args.addAll(
        List.of(
            "--landing-date",
            DAY.toString(),
            "--max-rps",
            Double.toString(allowedRps * 4),
            "--concurrency",
            "8"));
    return args;
  }

  /** Runs one extractor command as its own JVM, as Cloud Run would; returns its summary. */
  private JsonNode run(Path dir, String command, List<String> common, String... more)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(common);
    args.addAll(List.of(more));
    Processes.Run r =
        Processes.extractor(jars.extractor, extractorHeap, dir.resolve("extractor.log"), args);
    if (r.exitCode() != 0 || r.summary().isEmpty()) {
      throw new IOException(
          command + " exited " + r.exitCode() + "; see " + dir.resolve("extractor.log"));
    }
    return r.summary();
  }

  private record Reference(long requests, double seconds) {}

  /**
   * The bare loop in a fresh JVM (so it starts as cold as the extractor): a token per user, then
   * the same GET the extractor made, body parsed and dropped.
   */
  private Reference reference(SimulatorProcess sim, Path dir, List<String[]> requests)
      throws IOException, InterruptedException {
    JsonNode app = JSON.readTree(sim.get("/_sim/users"));
    Map<String, String> tokens = new LinkedHashMap<>();
    app.path("users")
        .forEach(u -> tokens.put(u.path("key").asText(), u.path("refresh_token").asText()));
    StringBuilder plan = new StringBuilder();
    for (String[] r : requests) {
      plan.append(r[0])
          .append('\t')
          .append(tokens.get(r[0]))
          .append('\t')
          .append(r[1])
          .append('\n');
    }
    Path planFile = dir.resolve("reference-requests.tsv");
    Files.writeString(planFile, plan);
    // The credentials travel in the child's environment, never on its command line.
    ProcessBuilder pb =
        new ProcessBuilder(
                Processes.java(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                BareOkHttpPoll.class.getName(),
                sim.root(),
                planFile.toString(),
                Integer.toString(concurrency))
            .redirectError(dir.resolve("reference.log").toFile());
    pb.environment().put("SIM_CLIENT_ID", app.path("client_id").asText());
    pb.environment().put("SIM_CLIENT_SECRET", app.path("client_secret").asText());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IOException("the reference loop failed; see " + dir.resolve("reference.log"));
    }
    JsonNode result = JSON.readTree(out);
    return new Reference(result.path("requests").asLong(), result.path("seconds").asDouble());
  }

  /** The recently-played landing read back: distinct plays, ids seen, and each page's request. */
  private static final class Landing {
    final Map<String, Set<Long>> plays = new java.util.HashMap<>();
    final Map<CatalogKind, Set<String>> ids = new EnumMap<>(CatalogKind.class);
    final List<String[]> referenceRequests = new ArrayList<>();
    long records;
    long bytes;
    long gaps;

    static Landing read(Path root, String referenceRun) throws IOException {
      Landing l = new Landing();
      for (CatalogKind k : CatalogKind.values()) {
        l.ids.put(k, new HashSet<>());
      }
      List<Path> parts;
      try (Stream<Path> s = Files.walk(root)) {
        parts =
            s.filter(p -> LandingPartition.isPart(p.getFileName().toString()))
                .sorted(Comparator.naturalOrder())
                .toList();
      }
      for (Path part : parts) {
        l.bytes += Files.size(part);
        String run =
            part.getParent()
                .getParent()
                .getFileName()
                .toString()
                .substring(LandingPartition.RUN.length() + 1);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(part), 1 << 16)) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
              continue;
            }
            JsonNode e = JSON.readTree(line);
            String user = e.path(Envelope.USER_KEY).asText();
            if (run.equals(referenceRun)) {
              l.referenceRequests.add(
                  new String[] {
                    user,
                    e.path(Envelope.REQUEST).path(Envelope.REQUEST_PARAMS).path("after").asText()
                  });
            }
            for (JsonNode item : e.path(Envelope.RESPONSE).path("items")) {
              l.records++;
              l.plays
                  .computeIfAbsent(user, u -> new HashSet<>())
                  .add(Instant.parse(item.path("played_at").asText()).toEpochMilli());
              JsonNode track = item.path("track");
              addId(l.ids.get(CatalogKind.TRACK), track.path("id"));
              addId(l.ids.get(CatalogKind.ALBUM), track.path("album").path("id"));
              track
                  .path("artists")
                  .forEach(a -> addId(l.ids.get(CatalogKind.ARTIST), a.path("id")));
            }
          }
        }
        Path manifest = part.getParent().resolve(LandingPartition.MANIFEST);
        if (LandingPartition.partNumber(part.getFileName().toString()) == 0
            && Files.exists(manifest)) {
          l.gaps +=
              JSON.readTree(manifest.toFile())
                  .path(RunManifest.DETAILS)
                  .path(RunManifest.DETAIL_GAPS)
                  .size();
        }
      }
      return l;
    }

    private static void addId(Set<String> ids, JsonNode id) {
      if (id.isTextual() && !id.asText().isEmpty()) {
        ids.add(id.asText());
      }
    }

    void writeIds(Path file) throws IOException {
      StringBuilder sb = new StringBuilder(LookupList.HEADER).append('\n');
      ids.forEach((k, v) -> v.forEach(id -> sb.append(LookupList.line(k, id))));
      Files.writeString(file, sb);
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
