package dev.listening.extractor;

import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.cli.Commands;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The extractor jar's one entry point: {@code java -jar extractor.jar <command> [options]}. Cloud
 * Run, Airflow and local runs all start it the same way.
 */
@Command(
    name = "extractor",
    mixinStandardHelpOptions = true,
    version = "extractor 0.1.0",
    description = {"Pulls the Spotify Web API into landing JSON (a local folder or gs://)."},
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Exit codes: 0 done, 3 partial (resume with the next run), 1 failed, 2 bad arguments.",
      "Run 'extractor <command> --help' for a command's options."
    })
public final class ExtractorMain implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cli = Commands.register(new CommandLine(new ExtractorMain()));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println("error: " + e.getMessage());
            commandLine.getErr().println("Run with --help for the options.");
            return 2;
          }
          if (e instanceof ApiException || e instanceof IOException) {
            commandLine.getErr().println("failed: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cli.execute(args);
  }
}
