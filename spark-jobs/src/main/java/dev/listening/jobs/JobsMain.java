package dev.listening.jobs;

import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.enrich.EnrichmentListJob;
import dev.listening.jobs.gold.GoldJob;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jar's one main class. Dataproc's batch console, {@code spark-submit --class} and the
 * local pipeline all start this class; the job is the first argument, its options follow:
 *
 * <pre>JobsMain bronze --landing gs://b/landing --bronze gs://b/bronze --date 2026-11-20</pre>
 *
 * Exit codes: 0 done, 1 failed, 2 bad arguments, 4 a quality gate failed.
 */
public final class JobsMain {
  private static final Logger log = LoggerFactory.getLogger(JobsMain.class);

  /** The registry: job name to factory. */
  static final Map<String, Job.Factory> JOBS = new LinkedHashMap<>();

  /** What each job does, for its --help. */
  static final Map<String, String> SUMMARIES = new LinkedHashMap<>();

  static {
    register(
        "bronze",
        BronzeJob::create,
        "Landing NDJSON of one landing date to bronze Parquet, one table per endpoint, with a"
            + " quarantine of what breaks the declared schemas.");
    register(
        "enrichment-list",
        EnrichmentListJob::create,
        "The catalog ids the plays of one landing date name that have no fresh look-up: the CSV"
            + " the extractor's lookups --ids reads.");
    register(
        "gold",
        GoldJob::create,
        "Gold for one play date: fct_listens (reading the landing dates of the lateness window),"
            + " the dimensions and the catalog facts, with quality gates; Parquet or BigQuery.");
  }

  private static void register(String name, Job.Factory factory, String summary) {
    JOBS.put(name, factory);
    SUMMARIES.put(name, summary);
  }

  private JobsMain() {}

  public static void main(String[] args) {
    System.exit(run(args, true));
  }

  /** Runs one job in the current (or a new) session and returns its exit code. */
  public static int run(String... args) {
    return run(args, false);
  }

  private static int run(String[] args, boolean stopSession) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.err.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    Job.Factory factory = JOBS.get(args[0]);
    if (factory == null) {
      System.err.println("error: no job named '" + args[0] + "'\n" + usage());
      return 2;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.contains("--help") || rest.contains("-h")) {
      JobArgs doc = JobArgs.forHelp(args[0]);
      try {
        factory.create(doc);
      } catch (IllegalArgumentException expected) {
        // Reading with no values reports every required option: only the usage matters here.
      }
      System.out.println(doc.usage(SUMMARIES.get(args[0])));
      return 0;
    }
    Job job;
    try {
      job = factory.create(JobArgs.parse(args[0], rest));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    SparkSession spark = SparkSessions.getOrCreate("listening-" + args[0]);
    int code;
    String failure = null;
    try {
      Map<String, Object> metrics = job.run(spark);
      log.info("{} done: {}", args[0], metrics);
      code = 0;
    } catch (QualityGateFailed e) {
      failure = e.getMessage();
      code = 4;
    } catch (InputMissing e) {
      failure = "error: " + e.getMessage();
      code = 2;
    } catch (Exception e) {
      log.error("the {} job failed", args[0], e);
      failure = "the " + args[0] + " job failed: " + e;
      code = 1;
    }
    if (stopSession) {
      if (failure != null) {
        // Spark logs its own shutdown (and "exitCode 0") after the job: quiet it, so that what
        // failed is the last thing a data engineer reads in the driver output.
        spark.sparkContext().setLogLevel("WARN");
      }
      spark.stop();
    }
    if (failure != null) {
      System.err.println(failure);
      System.err.println("exit code " + code + " (" + EXIT_CODES + ")");
    }
    return code;
  }

  private static final String EXIT_CODES =
      "0 done, 1 failed, 2 bad arguments or missing input, 4 quality gate failed";

  static String usage() {
    return "usage: JobsMain <job> [--option value ...]    (JobsMain <job> --help: its options)\njobs: "
        + String.join(", ", JOBS.keySet())
        + "\nexit codes: "
        + EXIT_CODES;
  }

  static List<String> jobNames() {
    return List.copyOf(JOBS.keySet());
  }
}
