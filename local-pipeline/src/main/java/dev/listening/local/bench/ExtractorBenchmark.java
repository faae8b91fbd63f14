package dev.listening.extractor.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.AppMode;
import dev.listening.extractor.ExtractorMain;
import dev.listening.extractor.Json;
import dev.listening.extractor.api.EntityKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the extractor on simulated days: a large extended-mode day (1.2 million plays by
 * default) and a development-mode day (5 users), then a run where the rate limit is the bottleneck.
 * Prints requests per 1,000 landed plays against the minimum the mode allows, plays landed per
 * second, the share of the allowed request rate used, retries and peak heap, each next to a
 * reference measured in the same process.
 */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates a day (default 1.2 million plays) and prints the extractor's figures:",
      "requests per 1,000 landed plays vs the minimum, plays/s, share of the allowed rate,",
      "retries, peak heap. The simulator runs in a child JVM. Takes several minutes."
    })
public final class BenchmarkCommand implements Callable<Integer> {
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

  @Option(names = "--seed", defaultValue = "42")
  long seed;

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

  @Option(names = "--work-dir", defaultValue = "target/benchmark", description = "Scratch folder.")
  Path workDir;

  @Option(names = "--skip-rate", description = "Skip the rate-bound run.")
  boolean skipRate;

  private final OkHttpClient http = new OkHttpClient();
  private final Map<String, Object> report = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    System.err.printf(
        "benchmark: logs of the runs go to %s; this takes several minutes%n",
        workDir.toAbsolutePath());
    report.put("java_max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("extended_day", day(AppMode.EXTENDED, users, plays));
    report.put("development_day", day(AppMode.DEVELOPMENT, 5, 750));
    if (!skipRate) {
      report.put("rate_bound_run", rateBound());
    }
    System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    http.dispatcher().executorService().shutdown();
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
            http,
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
              "--date",
              DAY.toString(),
              "--app-mode",
              name,
              "--max-rps",
              "100000",
              "--concurrency",
              Integer.toString(concurrency),
              "--no-progress");

      HeapSampler heap = HeapSampler.start();
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
        retries += s.path("retries").asLong();
        tokenRequests += s.path("token_requests").asLong();
        if (h == referencePoll) {
          referencePollExtractorSeconds = s.path("seconds").asDouble();
        }
      }
      double pollSeconds = (System.nanoTime() - start) / 1e9;
      long pollPeak = heap.stop();
      long pollLive = heap.peakAfterGc();

      // What landed, read back like a downstream reader would; also the look-up list.
      long readStart = System.nanoTime();
      Landing landed =
          Landing.read(landing.resolve("recently_played"), String.format("h%02d", referencePoll));
      double readSeconds = (System.nanoTime() - readStart) / 1e9;
      JsonNode truth =
          sim.post(
              "/_sim/truth/retrievability",
              Json.mapper()
                  .writeValueAsString(
                      Map.of(
                          "polls",
                          pollTimes.stream().map(Instant::toString).toList(),
                          "start_from",
                          DAY_START.toString())));
      long retrievable = truth.path("counts").path("retrievable").asLong();

      // Reference: the same requests of one poll with a bare OkHttp loop (no retries, gate,
      // landing or state), same concurrency, same simulator, same process.
      sim.setClock(DAY_START.plus(Duration.ofHours(referencePoll)));
      Reference ref = reference(sim, landed.referenceRequests);

      Path ids = dir.resolve("ids.csv");
      landed.writeIds(ids);
      long distinctPlays = landed.plays.values().stream().mapToLong(Set::size).sum();
      long playRecords = landed.records;
      long landingBytes = landed.bytes;
      long gapPolls = landed.gaps;
      Map<EntityKind, Integer> idCounts = new EnumMap<>(EntityKind.class);
      landed.ids.forEach((k, v) -> idCounts.put(k, v.size()));
      landed = null; // the read-back is the benchmark's memory, not the extractor's
      HeapSampler lookupHeap = HeapSampler.start();
      long lookupStart = System.nanoTime();
      JsonNode lookups =
          run(dir, "lookups", common, "--run-id", "lookups", "--ids", ids.toString());
      double lookupSeconds = (System.nanoTime() - lookupStart) / 1e9;
      long lookupPeak = lookupHeap.stop();
      long lookupLive = lookupHeap.peakAfterGc();

      long minimumPolls = (long) (userCount - 1) * polls; // one user's consent expired
      long minimumLookups = 0;
      for (EntityKind k : EntityKind.values()) {
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
      out.put("peak_heap_used_mb_polls", pollPeak >> 20);
      out.put("peak_heap_after_gc_mb_polls", pollLive >> 20);
      out.put("peak_heap_used_mb_lookups", lookupPeak >> 20);
      out.put("peak_heap_after_gc_mb_lookups", lookupLive >> 20);
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
            http,
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
              List.of(
                  "--api-base-url",
                  sim.apiBase(),
                  "--accounts-base-url",
                  sim.root,
                  "--client-secret-ref",
                  "sim",
                  "--landing",
                  dir.resolve("landing").toString(),
                  "--date",
                  DAY.toString(),
                  "--max-rps",
                  Double.toString(allowedRps * 4),
                  "--concurrency",
                  "8",
                  "--no-progress"),
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

  /** Runs one extractor command in this JVM; its stdout summary is returned, its log kept. */
  private JsonNode run(Path dir, String command, List<String> common, String... more)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(common);
    args.addAll(List.of(more));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream log =
        new PrintStream(
            Files.newOutputStream(
                dir.resolve("extractor.log"),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND),
            true,
            StandardCharsets.UTF_8)) {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.setErr(log);
      code = ExtractorMain.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = captured.toString(StandardCharsets.UTF_8).strip();
    if (code != 0 || text.isEmpty()) {
      throw new IOException(command + " exited " + code + "; see " + dir.resolve("extractor.log"));
    }
    String[] lines = text.split("\n");
    return Json.mapper().readTree(lines[lines.length - 1]);
  }

  private record Reference(long requests, double seconds) {}

  /**
   * The bare loop: a token per user, then the same GET the extractor made, body read and dropped.
   */
  private Reference reference(SimulatorProcess sim, List<String[]> requests) throws Exception {
    JsonNode app = sim.get("/_sim/users");
    Map<String, String> tokens = new LinkedHashMap<>();
    app.path("users")
        .forEach(u -> tokens.put(u.path("key").asText(), u.path("refresh_token").asText()));
    String basic =
        Credentials.basic(app.path("client_id").asText(), app.path("client_secret").asText());
    OkHttpClient client =
        http.newBuilder()
            .dispatcher(new okhttp3.Dispatcher(Executors.newCachedThreadPool()))
            .connectionPool(new okhttp3.ConnectionPool(concurrency, 1, TimeUnit.MINUTES))
            .build();
    client.dispatcher().setMaxRequestsPerHost(concurrency * 2);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (String[] r : requests) {
      futures.add(
          pool.submit(
              () -> {
                Request token =
                    new Request.Builder()
                        .url(sim.root + "/api/token")
                        .header("Authorization", basic)
                        .post(
                            new FormBody.Builder()
                                .add("grant_type", "refresh_token")
                                .add("refresh_token", tokens.get(r[0]))
                                .build())
                        .build();
                String access;
                try (Response t = client.newCall(token).execute()) {
                  access = Json.mapper().readTree(t.body().bytes()).path("access_token").asText();
                }
                HttpUrl url =
                    HttpUrl.get(sim.apiBase() + "/me/player/recently-played")
                        .newBuilder()
                        .addQueryParameter("limit", "50")
                        .addQueryParameter("after", r[1])
                        .build();
                try (Response p =
                    client
                        .newCall(
                            new Request.Builder()
                                .url(url)
                                .header("Authorization", "Bearer " + access)
                                .build())
                        .execute()) {
                  Json.mapper().readTree(p.body().bytes());
                }
                done.incrementAndGet();
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    client.dispatcher().executorService().shutdown();
    return new Reference(done.get(), seconds);
  }

  /** The recently-played landing read back: distinct plays, ids seen, and each page's request. */
  private static final class Landing {
    final Map<String, Set<Long>> plays = new java.util.HashMap<>();
    final Map<EntityKind, Set<String>> ids = new EnumMap<>(EntityKind.class);
    final List<String[]> referenceRequests = new ArrayList<>();
    long records;
    long bytes;
    long gaps;

    static Landing read(Path root, String referenceRun) throws IOException {
      Landing l = new Landing();
      for (EntityKind k : EntityKind.values()) {
        l.ids.put(k, new HashSet<>());
      }
      List<Path> parts;
      try (Stream<Path> s = Files.walk(root)) {
        parts =
            s.filter(p -> p.toString().endsWith(".ndjson.gz"))
                .sorted(Comparator.naturalOrder())
                .toList();
      }
      for (Path part : parts) {
        l.bytes += Files.size(part);
        String run =
            part.getParent().getParent().getFileName().toString().substring("run=".length());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(part), 1 << 16)) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
              continue;
            }
            JsonNode e = Json.mapper().readTree(line);
            String user = e.path("user_key").asText();
            if (run.equals(referenceRun)) {
              l.referenceRequests.add(
                  new String[] {user, e.path("request").path("params").path("after").asText()});
            }
            for (JsonNode item : e.path("response").path("items")) {
              l.records++;
              l.plays
                  .computeIfAbsent(user, u -> new HashSet<>())
                  .add(Instant.parse(item.path("played_at").asText()).toEpochMilli());
              JsonNode track = item.path("track");
              addId(l.ids.get(EntityKind.TRACK), track.path("id"));
              addId(l.ids.get(EntityKind.ALBUM), track.path("album").path("id"));
              track.path("artists").forEach(a -> addId(l.ids.get(EntityKind.ARTIST), a.path("id")));
            }
          }
        }
        Path manifest = part.getParent().resolve("_manifest.json");
        if (part.getFileName().toString().equals("part-00000.ndjson.gz")
            && Files.exists(manifest)) {
          l.gaps += Json.mapper().readTree(manifest.toFile()).path("details").path("gaps").size();
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
      StringBuilder sb = new StringBuilder("entity_type,id\n");
      ids.forEach(
          (k, v) -> v.forEach(id -> sb.append(k.wireName()).append(',').append(id).append('\n')));
      Files.writeString(file, sb);
    }
  }

  /**
   * Samples heap use every 20 ms. "Used" includes garbage not yet collected, so the heap left after
   * each collection (the live set) is sampled too: that is what the run really needs.
   */
  private static final class HeapSampler {
    private final Thread thread;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private volatile boolean running = true;

    private HeapSampler() {
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(p -> p.resetPeakUsage());
      thread =
          new Thread(
              () -> {
                while (running) {
                  long used =
                      ManagementFactory.getMemoryPoolMXBeans().stream()
                          .filter(p -> p.getType() == MemoryType.HEAP)
                          .mapToLong(p -> p.getUsage().getUsed())
                          .sum();
                  peak.accumulateAndGet(used, Math::max);
                  long live =
                      ManagementFactory.getMemoryPoolMXBeans().stream()
                          .filter(
                              p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null)
                          .mapToLong(p -> p.getCollectionUsage().getUsed())
                          .sum();
                  peakAfterGc.accumulateAndGet(live, Math::max);
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    static HeapSampler start() {
      return new HeapSampler();
    }

    long peakAfterGc() {
      return peakAfterGc.get();
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join();
      return peak.get();
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
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
