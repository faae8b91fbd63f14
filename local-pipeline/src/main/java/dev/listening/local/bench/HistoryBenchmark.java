package dev.listening.local.bench;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.gold.HistoryMerge;
import dev.listening.landing.Endpoint;
import dev.listening.local.Jars;
import dev.listening.local.LocalPipeline;
import dev.listening.local.Processes;
import dev.listening.simulator.HistoryExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Ten years of one heavy listener's streaming history: the simulator writes the export, the
 * extractor jar imports it (a process, as on Cloud Run) and imports it again, then Spark builds
 * bronze streams from the whole landing in one pass and matches them with nine tenths of them as
 * polled plays (1.5 s off, as the API's played_at is): about the share polling retrieves, so the
 * match works on a real day's number of pairs.
 */
@Command(
    name = "history-benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Times importing ten years of one heavy listener's streaming history (about 200,000"
          + " streams), importing it again, bronze over it and the polled/imported match, with"
          + " peak heap."
    })
public final class HistoryBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--work-dir",
      defaultValue = "target/history-benchmark",
      description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(
      names = "--years",
      defaultValue = "10",
      description = "Years of history (default: ${DEFAULT-VALUE}).")
  int years;

  @Option(
      names = "--streams-per-day",
      defaultValue = "55",
      description = "Streams a day on average (default: ${DEFAULT-VALUE}).")
  int streamsPerDay;

  @Option(
      names = "--extractor-heap",
      defaultValue = "1g",
      description = "The import's -Xmx (default: ${DEFAULT-VALUE}).")
  String heap;

  @Mixin Jars jars;

  @Override
  public Integer call() throws Exception {
    if (jars.missing() != null) {
      System.err.println("error: " + jars.missing());
      return 2;
    }
    LocalPipeline.deleteRecursively(work);
    Path export = work.resolve("export");
    Path landing = work.resolve("landing");
    Path log = Files.createDirectories(work.resolve("logs")).resolve("extractor.log");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("cores", Runtime.getRuntime().availableProcessors());

    long t0 = System.nanoTime();
    long streams =
        HistoryExport.writeLongHistory(
            42, LocalDate.parse("2026-11-20"), years, streamsPerDay, export);
    report.put("streams", streams);
    report.put("export_mb", size(export) >> 20);
    report.put("write_export_s", seconds(t0));

    List<String> args =
        List.of(
            "import-history",
            "--export",
            export.toString(),
            "--user",
            "heavy",
            "--landing",
            landing.toString());
    for (String pass : List.of("import", "reimport")) {
      long t = System.nanoTime();
      Processes.Run r = Processes.extractor(jars.extractor, heap, log, args);
      if (r.exitCode() != 0) {
        System.err.println(pass + " failed (exit " + r.exitCode() + "); see " + log);
        return 1;
      }
      JsonNode s = r.summary();
      report.put(pass + "_s", seconds(t));
      report.put(pass + "_peak_heap_mb", s.path("peak_heap_mb").asLong());
      report.put(pass + "_added", s.path("added").asLong());
      report.put(pass + "_days_written", s.path("days_written").asLong());
    }
    report.put("landing_gzip_mb", size(landing) >> 20);
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));

    SparkSession spark = LocalPipeline.spark();
    HeapSampler bronzeHeap = new HeapSampler();
    long t = System.nanoTime();
    String bronze = work.resolve("bronze-streams").toString();
    Dataset<Row> lines =
        spark
            .read()
            .text(landing.resolve(Endpoint.STREAMING_HISTORY.landingName()).toString())
            .select(
                col("value"),
                input_file_name().as("landing_file"),
                col("date").cast("string").as("date"));
    BronzeJob.Table.STREAMS
        .records(lines)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("date")
        .parquet(bronze);
    report.put("bronze_s", seconds(t));
    bronzeHeap.close();
    report.put("bronze_peak_heap_mb", bronzeHeap.peakMb());

    HeapSampler mergeHeap = new HeapSampler();
    t = System.nanoTime();
    Dataset<Row> all = spark.read().parquet(bronze);
    Dataset<Row> imported = HistoryMerge.importedPlays(all);
    // Nine tenths of the plays as if polled (the rest is what polling missed): the API's
    // played_at is a little after the export's ts.
    Dataset<Row> polled =
        imported
            .filter(pmod(hash(col("stream_key")), lit(10)).notEqual(0))
            .select(
                col("user_key"),
                col("track_uri"),
                (col("ts").cast("double").plus(1.5)).cast("timestamp").as("played_at"));
    long matched = HistoryMerge.matchAll(spark, polled, imported).count();
    long polledCount = polled.count();
    report.put("polled_sample", polledCount);
    report.put("matched", matched);
    report.put("merge_s", seconds(t));
    mergeHeap.close();
    report.put("merge_peak_heap_mb", mergeHeap.peakMb());

    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
    System.out.println(text);
    Files.writeString(work.resolve("report.json"), text);
    // Every polled play is one of the export's streams, so each must find its stream.
    if (matched != polledCount) {
      System.err.println(
          "history-benchmark: "
              + (polledCount - matched)
              + " polled plays found no stream; the match rule lost plays");
      return 1;
    }
    return 0;
  }

  private static double seconds(long since) {
    return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
  }

  private static long size(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sum();
    }
  }
}
