package dev.listening.submit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The jar's entry point: submits one Spark job of the pipeline as a Dataproc Serverless batch.
 * Airflow calls it once per task; the exit code says how the batch ended.
 */
@Command(
    name = "dataproc-submit",
    mixinStandardHelpOptions = true,
    version = "dataproc-submit 0.1.0",
    sortOptions = false,
    description = {
      "Submits one Spark job of the listening pipeline (main class "
          + SubmitConfig.JOBS_MAIN_CLASS
          + ") as a Dataproc Serverless batch, by default waits for it, and exits with how it"
          + " ended. Submitting an existing batch id again follows that batch instead of failing.",
      ""
    },
    footer = {
      "",
      "Exit codes:",
      "  0 succeeded (also: accepted with --no-wait, already succeeded, dry run)",
      "  1 failed or cancelled, or refused by Google",
      "  2 bad arguments",
      "  3 still running at --timeout (the batch keeps running)",
      "",
      "Example:",
      "  java -jar dataproc-submit.jar --project my-proj --region europe-west1 \\",
      "    --jobs-jar gs://my-artifacts/spark-jobs.jar \\",
      "    --batch-id bronze-20261120-try1 --property spark.sql.shuffle.partitions=64 \\",
      "    -- bronze --landing gs://b/landing --bronze gs://b/bronze --date 2026-11-20"
    })
public final class SubmitBatch implements Callable<Integer> {
  /** Opens the Dataproc client for a region; tests hand in a fake. */
  interface BatchesFactory {
    Batches open(String region) throws IOException;
  }

  @Mixin SubmitOptions options;
  @Spec CommandSpec spec;

  private final BatchesFactory factory;
  private final Clock clock;
  private final Submitter.Sleeper sleeper;

  private SubmitBatch(BatchesFactory factory, Clock clock, Submitter.Sleeper sleeper) {
    this.factory = factory;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(
        execute(
            System.getenv(),
            DataprocBatches::open,
            Clock.systemUTC(),
            Submitter.THREAD_SLEEP,
            out,
            err,
            args));
  }

  /** Runs the command and returns its exit code; tests call this with fakes instead of main. */
  static int execute(
      Map<String, String> env,
      BatchesFactory factory,
      Clock clock,
      Submitter.Sleeper sleeper,
      PrintWriter out,
      PrintWriter err,
      String... args) {
    CommandLine cli = commandLine(env, new SubmitBatch(factory, clock, sleeper));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof SubmitOptions.InvalidOptionsException invalid) {
            commandLine.getErr().println("error: the command line has problems:");
            invalid.problems().forEach(p -> commandLine.getErr().println("  - " + p));
            commandLine.getErr().println("Run with --help for the options.");
            return ExitCode.USAGE;
          }
          throw e;
        });
    return cli.execute(args);
  }

  /** The validated config for a command line, as {@link #execute} would see it (for tests). */
  static SubmitConfig parse(Map<String, String> env, String... args) {
    SubmitBatch command = new SubmitBatch(r -> null, Clock.systemUTC(), d -> {});
    CommandLine.ParseResult result = commandLine(env, command).parseArgs(args);
    return command.options.toConfig(result.originalArgs().contains("--"));
  }

  private static CommandLine commandLine(Map<String, String> env, SubmitBatch command) {
    CommandLine cli = new CommandLine(command);
    // Job arguments go to Spark verbatim: no @file expansion.
    cli.setExpandAtFiles(false);
    cli.setDefaultValueProvider(
        arg -> {
          if (arg instanceof OptionSpec option) {
            String variable = SubmitOptions.ENV_VARS.get(option.longestName());
            String value = variable == null ? null : env.get(variable);
            return value == null || value.isBlank() ? null : value;
          }
          return null;
        });
    return cli;
  }

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    boolean doubleDash = spec.commandLine().getParseResult().originalArgs().contains("--");
    SubmitConfig config = options.toConfig(doubleDash);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    if (config.dryRun()) {
      out.println(JsonFormat.printer().print(BatchRequests.build(config)));
      return ExitCode.OK;
    }
    try (Batches batches = factory.open(config.region())) {
      return new Submitter(batches, clock, sleeper, out, err).submit(config);
    } catch (IOException e) {
      // Almost always missing Application Default Credentials; the message names no secret.
      err.println(
          "Could not open the Dataproc client for project "
              + config.project()
              + ", region "
              + config.region()
              + ": "
              + e.getMessage());
      err.println(
          "Credentials come from Application Default Credentials: in Composer the environment's"
              + " service account; locally, run 'gcloud auth application-default login'.");
      return ExitCode.FAILED;
    }
  }
}
