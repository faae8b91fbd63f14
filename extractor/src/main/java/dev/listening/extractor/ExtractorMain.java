package dev.listening.extractor;

import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.cli.Commands;
import dev.listening.extractor.users.BadUsersInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Pattern;
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

  /** Option names that hold secrets elsewhere; given on the command line, they are refused. */
  private static final Pattern SECRET_LIKE =
      Pattern.compile("(?i).*(secret|token|password|passwd|credential|api-?key).*");

  /**
   * One or two lines for a bad command line, never the 80-line usage, and never an argument's value
   * when it could be a secret pasted in the wrong place: unknown options are named without their
   * values, stray arguments are not shown at all.
   */
  private static int badArguments(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> names =
          u.getUnmatched().stream()
              .filter(a -> a.startsWith("-"))
              .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a)
              .distinct()
              .toList();
      if (names.isEmpty() && !cmd.getSubcommands().isEmpty()) {
        // Not echoed either: a token pasted in the wrong place lands here too.
        err.println(
            "error: the first argument is not a command (not shown); the commands are: "
                + String.join(", ", cmd.getSubcommands().keySet()));
      } else if (names.isEmpty()) {
        err.println(
            "error: unexpected argument(s), not shown: '"
                + cmd.getCommandName()
                + "' takes options only");
      } else {
        err.println("error: unknown option(s) " + String.join(", ", names) + " (values not shown)");
        if (names.stream().anyMatch(n -> SECRET_LIKE.matcher(n).matches())) {
          err.println(
              "Secrets are never accepted on the command line: set SPOTIFY_CLIENT_SECRET (or"
                  + " --client-secret-ref sm://projects/P/secrets/S); users' refresh tokens live in"
                  + " the users file or secret (see 'extractor authorize').");
        } else if (!u.getSuggestions().isEmpty()) {
          err.println("Did you mean: " + String.join(", ", u.getSuggestions()) + "?");
        }
      }
    } else {
      err.println("error: " + ex.getMessage());
    }
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return 2;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cli = Commands.register(new CommandLine(new ExtractorMain()));
    cli.setParameterExceptionHandler(ExtractorMain::badArguments);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          Integer code = exitCodeOf(e, commandLine.getErr());
          if (code == null) {
            throw e;
          }
          return code;
        });
    return cli.execute(args);
  }

  /**
   * What the jar prints and exits with when a command throws: {@code 2} for bad arguments, {@code
   * 1} for a failed run (API, storage, another attempt of the run); null for anything else, a bug
   * that is not hidden behind an exit code.
   */
  public static Integer exitCodeOf(Exception e, PrintWriter err) {
    if (e instanceof IllegalArgumentException || e instanceof BadUsersInput) {
      err.println("error: " + e.getMessage());
      err.println("Run with --help for the options.");
      return 2;
    }
    if (e instanceof ApiException || e instanceof IOException) {
      err.println("failed: " + e.getMessage());
      return 1;
    }
    return null;
  }
}
