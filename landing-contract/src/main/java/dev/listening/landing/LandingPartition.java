package dev.listening.landing;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Where one run's shard lands one endpoint's pages:
 *
 * <pre>
 * &lt;landing&gt;/&lt;endpoint&gt;/date=&lt;date&gt;/run=&lt;run id&gt;/shard=&lt;i&gt;-of-&lt;n&gt;/part-00000.ndjson.gz
 * &lt;landing&gt;/&lt;endpoint&gt;/date=&lt;date&gt;/run=&lt;run id&gt;/shard=&lt;i&gt;-of-&lt;n&gt;/_manifest.json
 * </pre>
 *
 * Deterministic, so a re-run of the same run finds and replaces its own files instead of adding new
 * ones; Hive-style names, so Spark and DuckDB read date, run and shard as columns. The date is the
 * landing date (when the pages were fetched), not the day the plays belong to.
 */
public record LandingPartition(Endpoint endpoint, LocalDate date, String runId, Shard shard) {
  /** The Hive partition column names of the landing paths. */
  public static final String DATE = "date";

  public static final String RUN = "run";
  public static final String SHARD = "shard";

  /**
   * The folder, at the landing root, where the extractor keeps answers whose body came cut off:
   * they were fetched again whole, so nothing is missing, and they stay out of the endpoint folders
   * that bronze reads. Each file holds one landing line as it would have been landed (its response
   * is what arrived, so the line is not JSON).
   */
  public static final String QUARANTINE_FOLDER = "_quarantine";

  /** The manifest's file name, beside the parts. */
  public static final String MANIFEST = "_manifest.json";

  private static final String PART_PREFIX = "part-";
  private static final String PART_SUFFIX = ".ndjson.gz";
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

  /** Every run and shard of one endpoint on one landing date: what bronze reads for that date. */
  public static String dateDirectory(Endpoint endpoint, LocalDate date) {
    return endpoint.landingName() + "/" + DATE + "=" + date;
  }

  /**
   * A glob of every part of one endpoint, relative to the landing root (for readers that take
   * globs, such as DuckDB's {@code read_json}).
   */
  public static String allPartsGlob(Endpoint endpoint) {
    return endpoint.landingName()
        + "/"
        + DATE
        + "=*/"
        + RUN
        + "=*/"
        + SHARD
        + "=*/"
        + PART_PREFIX
        + "*"
        + PART_SUFFIX;
  }

  public String directory() {
    return dateDirectory(endpoint, date) + "/" + RUN + "=" + runId + "/" + shard.pathSegment();
  }

  /** Where this run's shard keeps the cut-off answers of the endpoint, relative to the root. */
  public String quarantineDirectory() {
    return QUARANTINE_FOLDER + "/" + directory();
  }

  public String partPath(int number) {
    return directory() + "/" + String.format("%s%05d%s", PART_PREFIX, number, PART_SUFFIX);
  }

  public String manifestPath() {
    return directory() + "/" + MANIFEST;
  }

  /** True for a part's path or file name (not the manifest, not a temporary file). */
  public static boolean isPart(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.startsWith(PART_PREFIX) && name.endsWith(PART_SUFFIX);
  }

  /** The number of a part, from its path or file name. */
  public static int partNumber(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return Integer.parseInt(name.substring(PART_PREFIX.length(), name.indexOf('.')));
  }
}
