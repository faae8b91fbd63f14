package dev.listening.extractor.landing;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Where one run's shard lands one endpoint's pages: {@code
 * <endpoint>/date=<date>/run=<runId>/shard=<i>-of-<n>/part-00000.ndjson.gz}, plus {@code
 * _manifest.json} beside the parts. Deterministic, so a re-run of the same run finds and replaces
 * its own files instead of adding new ones; Hive-style names, so Spark reads date, run and shard as
 * columns.
 */
public record LandingPartition(String endpoint, LocalDate date, String runId, Shard shard) {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  public LandingPartition {
    checkRunId(runId);
  }

  /** Run ids become path segments: only characters every filesystem and Hadoop path accepts. */
  public static String checkRunId(String runId) {
    if (runId == null || !SAFE.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "run id '"
              + runId
              + "' may only contain letters, digits, '.', '_' and '-' (1 to 128 of them),"
              + " because it becomes part of the landing path; from Airflow pass e.g. {{ ts_nodash }}");
    }
    return runId;
  }

  public String directory() {
    return endpoint + "/date=" + date + "/run=" + runId + "/" + shard.pathSegment();
  }

  public String partPath(int number) {
    return directory() + String.format("/part-%05d.ndjson.gz", number);
  }

  public String manifestPath() {
    return directory() + "/_manifest.json";
  }

  static boolean isPart(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.startsWith("part-") && name.endsWith(".ndjson.gz");
  }

  static int partNumber(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return Integer.parseInt(name.substring("part-".length(), name.indexOf('.')));
  }
}
