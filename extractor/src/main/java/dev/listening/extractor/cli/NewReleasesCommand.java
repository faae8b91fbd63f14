package dev.listening.extractor.cli;

import dev.listening.extractor.config.ExtractionOptions;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.NewReleasesRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "new-releases",
    mixinStandardHelpOptions = true,
    description = {
      "Lands every page of new releases for each market (extended-mode apps only). In"
          + " development mode it says so, lands nothing and exits 0."
    })
final class NewReleasesCommand implements Callable<Integer> {
  @Mixin ExtractionOptions options;

  @Option(
      names = "--markets",
      split = ",",
      defaultValue = "${env:MARKETS:-US,GB,SE,DE,JP,BR}",
      description = "ISO 3166-1 alpha-2 markets, comma-separated. Default: ${DEFAULT-VALUE}.")
  List<String> markets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> problems = new ArrayList<>();
    ExtractorConfig config = Commands.config(options, null, false, null, problems);
    List<String> normalized = new ArrayList<>();
    for (String m : markets) {
      String v = m.trim().toUpperCase(Locale.ROOT);
      if (!v.matches("[A-Z]{2}")) {
        problems.add("--markets: '" + m + "' is not a two-letter country code");
      } else if (!normalized.contains(v)) {
        normalized.add(v);
      }
    }
    return Commands.execute(
        "new-releases", config, problems, x -> new NewReleasesRun(x, normalized));
  }
}
