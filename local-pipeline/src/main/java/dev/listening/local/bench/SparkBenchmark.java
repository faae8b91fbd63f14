package dev.listening.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.jobs.JobsMain;
import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.gold.GoldTable;
import dev.listening.landing.AppMode;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import dev.listening.landing.Shard;
import dev.listening.local.Jars;
import dev.listening.local.LocalPipeline;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Bronze and gold at 1.2 and 12 million plays, with DuckDB doing the same work on the same landing
 * files ({@link DuckDbReference}: the parse floor, a fair bronze, gold) side by side in this
 * process, printed as one table with CPU seconds beside wall seconds. Spark's own floors on the
 * same files ({@link SparkFloors}: reading the lines, parsing them) show how close to DuckDB
 * Spark's bronze can come at all. The 1.2-million-play landing comes from the real extractor
 * against the simulator (a full local run, reconciled); larger scales replicate it under new user
 * keys, which keeps every shape and scales the volume.
 */
@Command(
    name = "spark-benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Times bronze and gold at 1.2 and 12 million plays (wall and CPU seconds, peak driver"
          + " heap) next to DuckDB doing the same work, DuckDB's parse floor and Spark's read"
          + " and parse floors. Takes a while."
    })
public final class SparkBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate DAY = LocalDate.parse("2026-11-20");

  @Option(
      names = "--work-dir",
      defaultValue = "target/spark-benchmark",
      description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(
      names = "--scales",
      split = ",",
      description =
          "Multiples of the base landing, each copy under new user keys (default: 1,10 of the"
              + " 1.2M-play day; 1 with --landing).")
  List<Integer> scales;

  @Option(
      names = "--landing",
      description =
          "Measure this landing (recently-played on 2026-11-20 and 21) and its multiples instead"
              + " of producing the 1.2M-play day (default: none, the day is produced).")
  Path landingDir;

  @Mixin Jars jars;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    Path base = work.resolve("x1");
    if (landingDir == null && !Files.exists(base.resolve("summary.json"))) {
      System.out.println(
          "producing the 1.2M-play landing with the extractor and the simulator (full local run) ...");
      List<String> args =
          new java.util.ArrayList<>(List.of("--full-day", "--fresh", "--out", base.toString()));
      args.addAll(jars.asArgs());
      int code = new CommandLine(new LocalPipeline()).execute(args.toArray(String[]::new));
      if (code != 0) {
        System.err.println("the full-day local run failed; see " + base.resolve("logs"));
        return 1;
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("spark-benchmark")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    Path baseLanding = landingDir != null ? landingDir : base.resolve("landing");
    List<Integer> multiples =
        scales != null ? scales : landingDir != null ? List.of(1) : List.of(1, 10);
    for (int scale : multiples) {
      String name = landingDir != null ? "given x" + scale : (scale * 1.2) + "M";
      Path landing = scale == 1 ? baseLanding : replicate(baseLanding, scale);
      report.put(
          name.replace(' ', '_') + "_plays",
          measure(spark, landing, work.resolve("x" + scale + "-out"), name));
    }
    Files.writeString(
        work.resolve("report.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    System.out.println(table());
    Files.writeString(work.resolve("table.md"), table());
    return 0;
  }

  /** Wall and process CPU seconds of one step (the CPU of every thread: Spark's and DuckDB's). */
  record Timing(double wall, double cpu, double jit, double gc) {
    static Timing of(Step step) throws Exception {
      long w = System.nanoTime();
      long c = cpuNanos();
      double[] before = jvmThreadCpu();
      step.run();
      double[] after = jvmThreadCpu();
      return new Timing(
          (System.nanoTime() - w) / 1e9,
          (cpuNanos() - c) / 1e9,
          after[0] - before[0],
          after[1] - before[1]);
    }

    String cell() {
      return String.format("%.1f (%.1f)", wall, cpu);
    }

    /** The CPU seconds of the JIT compiler and of the collector within {@link #cpu}. */
    String jvmCell() {
      return String.format("%.1f / %.1f", jit, gc);
    }
  }

  /**
   * CPU seconds so far of this JVM's JIT compiler threads and of its collector threads, from
   * /proc/self/task (Linux; zeros elsewhere): in a short Spark job the JIT can cost as much as the
   * tasks, which the process's CPU alone does not show.
   */
  static double[] jvmThreadCpu() {
    double[] jitAndGc = new double[2];
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return jitAndGc;
    }
    for (java.io.File task : tasks) {
      String stat;
      try {
        stat = Files.readString(task.toPath().resolve("stat"));
      } catch (IOException gone) {
        continue; // the thread ended between the listing and the read
      }
      String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime, in clock ticks (100 per second on Linux).
      double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
      if (name.contains("CompilerThre")) {
        jitAndGc[0] += seconds;
      } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
        jitAndGc[1] += seconds;
      }
    }
    return jitAndGc;
  }

  interface Step {
    void run() throws Exception;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private final List<String> table = new java.util.ArrayList<>();

  private Map<String, Object> measure(SparkSession spark, Path landing, Path out, String scale)
      throws Exception {
    LocalPipeline.deleteRecursively(out);
    Files.createDirectories(out);
    String bronze = out.resolve("bronze").toString();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("landing_gzip_mb", size(landing.resolve(Endpoint.RECENTLY_PLAYED.landingName())) >> 20);
    Path temp = Files.createDirectories(out.resolve("duckdb-tmp"));

    // The parse floor first: it also warms the page cache for both engines alike.
    long[] floorPlays = new long[1];
    Timing floor = Timing.of(() -> floorPlays[0] = DuckDbReference.parseFloor(landing, temp));

    HeapSampler bronzeHeap = new HeapSampler();
    Timing sparkBronze =
        Timing.of(
            () -> {
              for (String date : List.of(DAY.toString(), DAY.plusDays(1).toString())) {
                require(
                    JobsMain.run(
                        "bronze",
                        "--landing",
                        landing.toString(),
                        "--bronze",
                        bronze,
                        "--landing-date",
                        date,
                        "--endpoints",
                        Endpoint.RECENTLY_PLAYED.landingName()));
              }
            });
    bronzeHeap.close();
    long bronzeRows = spark.read().parquet(bronze + "/" + BronzeJob.Table.PLAYS.table()).count();

    HeapSampler goldHeap = new HeapSampler();
    Timing sparkGold =
        Timing.of(
            () ->
                require(
                    JobsMain.run(
                        "gold",
                        "--bronze",
                        bronze,
                        "--gold",
                        out.resolve("gold").toString(),
                        "--play-date",
                        DAY.toString(),
                        "--lateness",
                        "2h")));
    goldHeap.close();
    long listens =
        spark
            .read()
            .parquet(out.resolve("gold").resolve(GoldTable.FCT_LISTENS.tableName()).toString())
            .count();

    long[] duckSplit = new long[2];
    Timing duckBronze =
        Timing.of(
            () ->
                System.arraycopy(
                    DuckDbReference.bronze(landing, out.resolve("duckdb-bronze"), temp),
                    0,
                    duckSplit,
                    0,
                    2));
    long[] duckListens = new long[1];
    Timing duckGold =
        Timing.of(
            () ->
                duckListens[0] =
                    DuckDbReference.gold(
                        out.resolve("duckdb-bronze"),
                        out.resolve("duckdb-gold"),
                        temp,
                        DAY,
                        java.time.Duration.ofHours(2)));

    // Spark's own floors last, so that they do not warm the JIT for Spark's bronze above.
    long[] sparkFloorCounts = new long[2];
    Timing sparkReadFloor =
        Timing.of(() -> sparkFloorCounts[0] = SparkFloors.lines(spark, landing));
    Timing sparkParseFloor =
        Timing.of(() -> sparkFloorCounts[1] = SparkFloors.parse(spark, landing));

    m.put("landed_plays", floorPlays[0]);
    m.put("landed_pages", sparkFloorCounts[0]);
    m.put("spark_parse_floor_plays", sparkFloorCounts[1]);
    m.put("bronze_rows", bronzeRows);
    m.put("duckdb_bronze_rows", duckSplit[0]);
    m.put("duckdb_bronze_quarantined", duckSplit[1]);
    m.put("gold_fct_listens_rows", listens);
    m.put("duckdb_fct_listens_rows", duckListens[0]);
    m.put("parse_floor_seconds", round(floor.wall()));
    m.put("parse_floor_cpu_seconds", round(floor.cpu()));
    m.put("spark_read_floor_seconds", round(sparkReadFloor.wall()));
    m.put("spark_read_floor_cpu_seconds", round(sparkReadFloor.cpu()));
    m.put("spark_parse_floor_seconds", round(sparkParseFloor.wall()));
    m.put("spark_parse_floor_cpu_seconds", round(sparkParseFloor.cpu()));
    m.put("bronze_seconds", round(sparkBronze.wall()));
    m.put("bronze_cpu_seconds", round(sparkBronze.cpu()));
    m.put("duckdb_bronze_seconds", round(duckBronze.wall()));
    m.put("duckdb_bronze_cpu_seconds", round(duckBronze.cpu()));
    m.put("gold_seconds", round(sparkGold.wall()));
    m.put("gold_cpu_seconds", round(sparkGold.cpu()));
    m.put("duckdb_gold_seconds", round(duckGold.wall()));
    m.put("duckdb_gold_cpu_seconds", round(duckGold.cpu()));
    m.put("ratio_spark_over_duckdb_bronze", round(sparkBronze.wall() / duckBronze.wall()));
    m.put("ratio_spark_over_duckdb_gold", round(sparkGold.wall() / duckGold.wall()));
    m.put("bronze_jit_cpu_seconds", round(sparkBronze.jit()));
    m.put("bronze_gc_cpu_seconds", round(sparkBronze.gc()));
    m.put("gold_jit_cpu_seconds", round(sparkGold.jit()));
    m.put("gold_gc_cpu_seconds", round(sparkGold.gc()));
    m.put("bronze_peak_heap_used_mb", bronzeHeap.peakMb());
    m.put("bronze_peak_heap_after_gc_mb", bronzeHeap.peakAfterGcMb());
    m.put("gold_peak_heap_used_mb", goldHeap.peakMb());
    m.put("gold_peak_heap_after_gc_mb", goldHeap.peakAfterGcMb());
    String label = scale + " (" + floorPlays[0] + " landed)";
    table.add(
        row(
            "bronze",
            label,
            sparkBronze.cell(),
            duckBronze.cell(),
            floor.cell(),
            sparkReadFloor.cell(),
            sparkParseFloor.cell(),
            String.format(
                "%.2f (%.2f)",
                sparkBronze.wall() / duckBronze.wall(), sparkBronze.cpu() / duckBronze.cpu()),
            bronzeHeap.peakMb() + " / " + bronzeHeap.peakAfterGcMb(),
            sparkBronze.jvmCell()));
    table.add(
        row(
            "gold",
            label,
            sparkGold.cell(),
            duckGold.cell(),
            "-",
            "-",
            "-",
            String.format(
                "%.2f (%.2f)",
                sparkGold.wall() / duckGold.wall(), sparkGold.cpu() / duckGold.cpu()),
            goldHeap.peakMb() + " / " + goldHeap.peakAfterGcMb(),
            sparkGold.jvmCell()));
    return m;
  }

  private static String row(String... cells) {
    return String.format(
        "| %-6s | %-25s | %-15s | %-15s | %-15s | %-15s | %-15s | %-13s | %-13s | %-13s |",
        (Object[]) cells);
  }

  /** The run's one table: every step and scale, wall seconds with CPU seconds in brackets. */
  String table() {
    StringBuilder b = new StringBuilder();
    b.append(
            row(
                "step",
                "scale (plays)",
                "Spark s (cpu)",
                "DuckDB s (cpu)",
                "DuckDB parse floor s",
                "Spark read floor s",
                "Spark parse floor s",
                "Spark/DuckDB",
                "heap MB used/after GC",
                "Spark's JIT / GC cpu s"))
        .append('\n');
    b.append(row("---", "---", "---", "---", "---", "---", "---", "---", "---", "---"))
        .append('\n');
    for (String r : table) {
      b.append(r).append('\n');
    }
    return b.toString();
  }

  private static void require(int exitCode) {
    if (exitCode != 0) {
      throw new IllegalStateException("a job exited " + exitCode);
    }
  }

  /**
   * The base recently-played landing copied {@code scale} times, each copy under its own user keys
   * and run ids, so every copy is new data to the pipeline with the same shapes.
   */
  private Path replicate(Path baseLanding, int scale) throws IOException {
    // Named after the base too: copies of another landing are not reused for this one.
    Path target =
        work.resolve(
            "landing-x"
                + scale
                + "-"
                + Integer.toHexString(baseLanding.toAbsolutePath().hashCode()));
    if (Files.exists(target.resolve("_complete"))) {
      return target;
    }
    LocalPipeline.deleteRecursively(target);
    System.out.println("replicating the landing x" + scale + " ...");
    Path root = baseLanding.resolve(Endpoint.RECENTLY_PLAYED.landingName());
    List<Path> parts;
    try (Stream<Path> s = Files.walk(root)) {
      parts = s.filter(p -> LandingPartition.isPart(p.getFileName().toString())).toList();
    }
    // Each part is read once and written once per copy; two parts at a time (two cores); gzip at
    // level 1, since this is scaffolding for the benchmark, not landing.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (Path part : parts) {
        done.add(pool.submit(() -> copyPart(root, part, target, scale)));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IOException("replicating the landing failed", e);
    } finally {
      pool.shutdown();
    }
    writeManifests(target.resolve(Endpoint.RECENTLY_PLAYED.landingName()), target);
    Files.writeString(target.resolve("_complete"), "");
    return target;
  }

  /**
   * A complete run manifest for every copied run and shard, listing its parts with their sizes:
   * bronze reads what a manifest lists, as it does on a landing the extractor wrote.
   */
  static void writeManifests(Path endpointRoot, Path landing) throws IOException {
    Map<Path, List<Path>> byShard;
    try (Stream<Path> s = Files.walk(endpointRoot)) {
      byShard =
          s.filter(p -> LandingPartition.isPart(p.getFileName().toString()))
              .sorted()
              .collect(
                  java.util.stream.Collectors.groupingBy(
                      Path::getParent,
                      java.util.TreeMap::new,
                      java.util.stream.Collectors.toList()));
    }
    java.time.Instant now = java.time.Instant.now();
    for (Map.Entry<Path, List<Path>> e : byShard.entrySet()) {
      Path shardDir = e.getKey();
      LandingPartition partition =
          new LandingPartition(
              Endpoint.RECENTLY_PLAYED,
              LocalDate.parse(value(shardDir.getParent().getParent())),
              value(shardDir.getParent()),
              Shard.parse(value(shardDir).replace("-of-", "/")));
      List<RunManifest.Part> parts = new java.util.ArrayList<>();
      for (Path part : e.getValue()) {
        parts.add(
            new RunManifest.Part(
                landing.relativize(part).toString(), 0, 0, Files.size(part), null));
      }
      RunManifest manifest =
          RunManifest.of(
              partition,
              RunManifest.Status.COMPLETE,
              AppMode.EXTENDED.wireName(),
              now,
              now,
              List.of(),
              parts,
              "replicated for the Spark benchmark",
              Map.of());
      Files.write(
          landing.resolve(partition.manifestPath()), JSON.writeValueAsBytes(manifest.toMap()));
    }
  }

  /** The value of a {@code name=value} path segment. */
  private static String value(Path segment) {
    String name = segment.getFileName().toString();
    return name.substring(name.indexOf('=') + 1);
  }

  private static Void copyPart(Path root, Path part, Path target, int scale) throws IOException {
    List<String> lines;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(part), 1 << 16),
                StandardCharsets.UTF_8))) {
      lines = in.lines().toList();
    }
    String userKeyField = "\"" + Envelope.USER_KEY + "\":\"";
    // .../date=D/run=R/shard=S/part-N.ndjson.gz goes to run=R-cK: a distinct run per copy.
    Path rel = root.relativize(part);
    for (int copy = 0; copy < scale; copy++) {
      String prefix = "c" + copy;
      Path dest =
          target
              .resolve(Endpoint.RECENTLY_PLAYED.landingName())
              .resolve(rel.getName(0))
              .resolve(rel.getName(1) + "-" + prefix)
              .resolve(rel.subpath(2, rel.getNameCount()));
      Files.createDirectories(dest.getParent());
      try (BufferedWriter w =
          new BufferedWriter(
              new OutputStreamWriter(
                  new GZIPOutputStream(Files.newOutputStream(dest), 1 << 16) {
                    {
                      def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                    }
                  },
                  StandardCharsets.UTF_8),
              1 << 16)) {
        for (String line : lines) {
          w.write(line.replace(userKeyField, userKeyField + prefix + "-"));
          w.write('\n');
        }
      }
    }
    return null;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
