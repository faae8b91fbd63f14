package dev.listening.extractor;

import dev.listening.extractor.config.ExtractionOptions;
import dev.listening.extractor.config.ExtractorConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Builds configs the way the commands do: from arguments and an environment, validated. */
public final class Configs {
  private Configs() {}

  /**
   * @param users the --users of the command, or null
   * @param state the --state of a command that keeps state, or null for the default
   */
  public static ExtractorConfig parse(
      Map<String, String> env, String users, boolean keepsState, String state, String... args) {
    List<String> problems = new ArrayList<>();
    ExtractorConfig config =
        ExtractorConfig.from(
            options(args), users, keepsState, state, env, Clock.systemUTC(), problems);
    ExtractorConfig.failOn(problems);
    return config;
  }

  /** The raw options, as picocli fills them from the arguments. */
  public static ExtractionOptions options(String... args) {
    ExtractionOptions o = new ExtractionOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }
}
