package dev.listening.extractor.cli;

import dev.listening.extractor.api.Timing;
import dev.listening.extractor.config.ExtractionOptions;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.Extraction;
import dev.listening.extractor.run.ExtractionFactory;
import dev.listening.extractor.run.ExtractionRun;
import dev.listening.extractor.users.SecretAccess;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The jar's subcommands, and the one way each of them runs once its config is valid. */
public final class Commands {
  private static final Logger log = LoggerFactory.getLogger(Commands.class);

  private Commands() {}

  public static CommandLine register(CommandLine root) {
    root.addSubcommand(new RecentlyPlayedCommand());
    root.addSubcommand(new LookupsCommand());
    root.addSubcommand(new NewReleasesCommand());
    root.addSubcommand(new PlaylistItemsCommand());
    root.addSubcommand(new ImportHistoryCommand());
    root.addSubcommand(new AuthorizeCommand());
    root.addSubcommand(new CommandLine.HelpCommand());
    return root;
  }

  /** A command's run factory, given the opened extraction. */
  @FunctionalInterface
  interface RunFactory {
    ExtractionRun create(Extraction x) throws Exception;
  }

  /**
   * The command's validated config from its options and the environment, with problems added to
   * {@code problems} (null when there are any).
   */
  static ExtractorConfig config(
      ExtractionOptions options,
      String users,
      boolean keepsState,
      String state,
      List<String> problems) {
    return ExtractorConfig.from(
        options, users, keepsState, state, System.getenv(), Clock.systemUTC(), problems);
  }

  /**
   * Fails listing every problem, or logs the config once (no secret in it), opens the run, runs it
   * and prints its summary; returns the exit code.
   */
  static int execute(String command, ExtractorConfig config, List<String> problems, RunFactory run)
      throws Exception {
    ExtractorConfig.failOn(problems);
    LoggingSetup.configure(config.logFormat());
    log.info("{}: {}", command, config.describe());
    try (Extraction x = ExtractionFactory.open(config, Timing.SYSTEM, SecretAccess.google())) {
      return Report.print(run.create(x).run(), x.client().stats(), System.out);
    }
  }
}
