package dev.listening.extractor.config;

import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every extraction command shares, as typed on the command line or set in the
 * environment (how Cloud Run and Airflow configure the job). Raw: {@link ExtractorConfig#from}
 * validates them all at once. The target defaults to the local simulator, so a local run never
 * reaches the real Spotify by accident.
 */
public final class ExtractionOptions {
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--landing",
      defaultValue = "${env:LANDING_URI:-data/landing}",
      description =
          "Landing root: a local folder or gs://bucket/prefix (env LANDING_URI)."
              + " Default: ${DEFAULT-VALUE}.")
  String landing;

  @Option(
      names = "--run-id",
      defaultValue = "${env:RUN_ID}",
      description =
          "Run id, part of every landing path; a re-run with the same id never duplicates."
              + " Default: env RUN_ID, else CLOUD_RUN_EXECUTION, else manual-<UTC time>.")
  String runId;

  @Option(
      names = {"--landing-date", "--date"},
      description =
          "The landing date the pages land under (the date= folder), YYYY-MM-DD; not the day of"
              + " the plays: a play date's gold reads the landing dates of its lateness window."
              + " Default: today (UTC).")
  String date;

  @Option(
      names = "--shard",
      description =
          "This worker's shard i/n. Default: CLOUD_RUN_TASK_INDEX/CLOUD_RUN_TASK_COUNT, else 0/1.")
  String shard;

  @Option(
      names = "--app-mode",
      defaultValue = "${env:SPOTIFY_APP_MODE:-auto}",
      description =
          "development, extended or auto (find out from a 403 on a batch call)."
              + " Default: ${DEFAULT-VALUE}.")
  String appMode;

  @Option(
      names = "--max-rps",
      defaultValue = "10",
      description =
          "Requests per second at most; slowed down automatically on 429. Default:"
              + " ${DEFAULT-VALUE}.")
  double maxRps;

  @Option(
      names = "--concurrency",
      defaultValue = "4",
      description = "Requests in flight at most. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--max-attempts",
      defaultValue = "8",
      description = "Attempts per request. Default: ${DEFAULT-VALUE}.")
  int maxAttempts;

  @Option(
      names = "--max-wait",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "Longest Retry-After the run sits out; a longer one ends the run (partial, exit 3)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration maxWait;

  @Option(
      names = "--default-retry-after",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Longest wait after a 429 that has no Retry-After header: the run backs off from 1 s,"
              + " doubling while such 429s keep coming, up to this (Spotify's window is 30 s)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration defaultRetryAfter;

  @Option(
      names = "--request-timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Longest a request may take, answer included; a slower one is abandoned and tried again"
              + " (its attempts count). Default: ${DEFAULT-VALUE}.")
  Duration requestTimeout;

  @Option(
      names = "--part-max-pages",
      defaultValue = "5000",
      description = "Pages per landing part. Default: ${DEFAULT-VALUE}.")
  int partMaxPages;

  @Option(
      names = "--part-max-mb",
      defaultValue = "128",
      description = "Uncompressed MB per landing part. Default: ${DEFAULT-VALUE}.")
  int partMaxMb;

  @Option(names = "--no-progress", description = "No progress bar or progress log lines.")
  boolean noProgress;
}
