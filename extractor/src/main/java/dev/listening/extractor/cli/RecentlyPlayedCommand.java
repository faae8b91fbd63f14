package dev.listening.extractor.cli;

import dev.listening.extractor.config.DurationConverter;
import dev.listening.extractor.config.ExtractionOptions;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.RecentlyPlayedRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "recently-played",
    mixinStandardHelpOptions = true,
    description = {
      "Polls GET /me/player/recently-played (limit=50) once for every user of this shard, lands"
          + " every page, and advances each user's watermark after the page is durable. Users"
          + " whose refresh token expired (invalid_grant) are skipped and reported.",
      "Exit codes: 0 complete, 3 partial (quota or long Retry-After: resume next run), 1 failed,"
          + " 2 bad arguments."
    })
final class RecentlyPlayedCommand implements Callable<Integer> {
  @Mixin ExtractionOptions options;

  @Option(
      names = "--users",
      defaultValue = "${env:USERS_URI:-sim}",
      description =
          "Users and refresh tokens: a JSON file (local or gs://), sm://projects/P/secrets/S,"
              + " or sim (the local simulator). Default: ${DEFAULT-VALUE}.")
  String users;

  @Option(
      names = "--state",
      defaultValue = "${env:STATE_URI}",
      description = "State root for watermarks (env STATE_URI). Default: <landing>/_state.")
  String state;

  @Option(
      names = "--late-lookback",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description =
          "How late Spotify may show a play: each poll also re-reads plays this far behind the"
              + " user's previous poll (or, without one, behind the watermark). Must exceed how"
              + " late Spotify shows plays. Default: ${DEFAULT-VALUE}.")
  Duration lateLookback;

  @Option(
      names = "--start-from",
      description =
          "Watermark for users with no state yet (ISO instant), so a first poll can detect gaps"
              + " too. Default: none (the first poll takes whatever is readable).")
  Instant startFrom;

  @Override
  public Integer call() throws Exception {
    List<String> problems = new ArrayList<>();
    ExtractorConfig config = Commands.config(options, users, true, state, problems);
    if (lateLookback.isNegative()) {
      problems.add("--late-lookback must not be negative");
    }
    return Commands.execute(
        "recently-played",
        config,
        problems,
        x -> new RecentlyPlayedRun(x, new RecentlyPlayedRun.Settings(lateLookback, startFrom)));
  }
}
