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
 * Bronze and gold at 1.2 and 12 million plays, with a DuckDB run of the same bronze transformation
 * on the same landing files, side by side in this process. The 1.2-million-play landing comes from
 * the real extractor against the simulator (a full local run, reconciled); larger scales replicate
 * it under new user keys, which keeps every shape and scales the volume.
 */
@Command(
    name = "spark-benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Times bronze and gold at 1.2 and 12 million plays (seconds per stage, rows per second,"
          + " peak driver heap) next to DuckDB doing the same bronze transformation. Takes a"
          + " while."
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
      defaultValue = "1,10",
      description = "Multiples of the 1.2M-play day (default: ${DEFAULT-VALUE}).")
  List<Integer> scales;

  @Mixin Jars jars;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    Path base = work.resolve("x1");
    if (!Files.exists(base.resolve("summary.json"))) {
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
    for (int scale : scales) {
      Path landing =
          scale == 1 ? base.resolve("landing") : replicate(base.resolve("landing"), scale);
      report.put(
          (scale * 1.2) + "M_plays", measure(spark, landing, work.resolve("x" + scale + "-out")));
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
    Files.writeString(
        work.resolve("report.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  private Map<String, Object> measure(SparkSession spark, Path landing, Path out) throws Exception {
    LocalPipeline.deleteRecursively(out);
    Files.createDirectories(out);
    String bronze = out.resolve("bronze").toString();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("landing_gzip_mb", size(landing.resolve(Endpoint.RECENTLY_PLAYED.landingName())) >> 20);

    HeapSampler heap = new HeapSampler();
    long t0 = System.nanoTime();
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
    double bronzeSeconds = (System.nanoTime() - t0) / 1e9;
    long bronzeRows = spark.read().parquet(bronze + "/" + BronzeJob.Table.PLAYS.table()).count();
    long t1 = System.nanoTime();
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
            "2h"));
    double goldSeconds = (System.nanoTime() - t1) / 1e9;
    heap.close();
    long listens =
        spark
            .read()
            .parquet(out.resolve("gold").resolve(GoldTable.FCT_LISTENS.tableName()).toString())
            .count();

    long t2 = System.nanoTime();
    long[] duck =
        DuckDbBronze.run(
            landing,
            Files.createDirectories(out.resolve("duckdb")),
            Files.createDirectories(out.resolve("duckdb-tmp")));
    double duckSeconds = (System.nanoTime() - t2) / 1e9;

    m.put("bronze_rows", bronzeRows);
    m.put("bronze_seconds", round(bronzeSeconds));
    m.put("bronze_rows_per_second", Math.round(bronzeRows / bronzeSeconds));
    m.put("gold_fct_listens_rows", listens);
    m.put("gold_seconds", round(goldSeconds));
    m.put("gold_input_rows_per_second", Math.round(bronzeRows / goldSeconds));
    m.put("peak_driver_heap_used_mb", heap.peakMb());
    m.put("peak_driver_heap_after_gc_mb", heap.peakAfterGcMb());
    m.put("duckdb_bronze_rows", duck[0]);
    m.put("duckdb_bronze_seconds", round(duckSeconds));
    m.put("ratio_spark_over_duckdb_bronze", round(bronzeSeconds / duckSeconds));
    return m;
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
    Path target = work.resolve("landing-x" + scale);
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
  private static void writeManifests(Path endpointRoot, Path landing) throws IOException {
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
