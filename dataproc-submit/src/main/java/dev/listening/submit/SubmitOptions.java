package dev.listening.submit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line as typed. Everything is kept as text and checked in {@link #toConfig}, so one
 * run reports every problem at once instead of stopping at picocli's first conversion error.
 */
final class SubmitOptions {
  /** Option to environment variable: how the Cloud Composer environment configures the tool. */
  static final Map<String, String> ENV_VARS =
      Map.of(
          "--project", "GOOGLE_CLOUD_PROJECT",
          "--region", "DATAPROC_REGION",
          "--jobs-jar", "JOBS_JAR_URI",
          "--service-account", "DATAPROC_SERVICE_ACCOUNT",
          "--subnet", "DATAPROC_SUBNET");

  static final String APP_LABEL = "listening-pipeline";

  // Dataproc's batch id rule: 4-63 characters of [a-z0-9-], first a letter, last not a hyphen.
  private static final Pattern BATCH_ID = Pattern.compile("[a-z][a-z0-9-]{2,61}[a-z0-9]");
  private static final String BATCH_ID_RULE =
      "4-63 characters, lowercase letters, digits and hyphens, starting with a letter and not"
          + " ending with a hyphen (e.g. bronze-20261120-try1)";
  private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9.:-]{4,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");
  private static final Pattern GCS_OBJECT = Pattern.compile("gs://[a-z0-9][a-z0-9._-]{1,221}/\\S+");
  private static final Pattern SERVICE_ACCOUNT =
      Pattern.compile("[a-z0-9-]+@[a-z0-9.-]+\\.gserviceaccount\\.com");
  private static final Pattern SUBNET_REGION = Pattern.compile(".*/regions/([^/]+)/subnetworks/.+");
  private static final Pattern RUNTIME = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");
  // Google Cloud label rules (ASCII subset): keys start with a letter, both at most 63 characters.
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");
  private static final int MAX_LABELS = 64;
  // Dataproc's bounds on a batch TTL.
  private static final Duration MIN_TTL = Duration.ofMinutes(10);
  private static final Duration MAX_TTL = Duration.ofDays(14);
  // getBatch counts against the Dataproc API quota; a second is plenty often.
  private static final Duration MIN_POLL = Duration.ofSeconds(1);

  @Option(
      names = "--project",
      paramLabel = "ID",
      description = "Google Cloud project of the batch (env GOOGLE_CLOUD_PROJECT).")
  String project;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "Dataproc region, e.g. europe-west1 (env DATAPROC_REGION).")
  String region;

  @Option(
      names = "--jobs-jar",
      paramLabel = "GS_URI",
      description = "gs:// URI of spark-jobs.jar (env JOBS_JAR_URI).")
  String jobsJar;

  @Option(
      names = "--batch-id",
      paramLabel = "ID",
      description =
          "Required. Unique in the project and region and never reused by Dataproc, even after"
              + " a failure: include the try number (Airflow: {{ ti.try_number }}). Rule: "
              + BATCH_ID_RULE
              + ".")
  String batchId;

  @Option(
      names = "--service-account",
      paramLabel = "EMAIL",
      description =
          "Service account the batch runs as (env DATAPROC_SERVICE_ACCOUNT; default: the"
              + " Compute Engine default service account).")
  String serviceAccount;

  @Option(
      names = "--subnet",
      paramLabel = "URI",
      description =
          "Subnetwork URI for the batch, in the batch's region with Private Google Access"
              + " (env DATAPROC_SUBNET; default: the project's 'default' network).")
  String subnet;

  @Option(
      names = "--runtime-version",
      paramLabel = "VERSION",
      defaultValue = "2.3",
      description =
          "Dataproc Serverless runtime (default: ${DEFAULT-VALUE} = Spark 3.5, Scala 2.13,"
              + " Java 17).")
  String runtimeVersion;

  @Option(
      names = "--property",
      paramLabel = "KEY=VALUE",
      description = "Spark property, repeatable, e.g. --property spark.sql.shuffle.partitions=64.")
  List<String> properties = new ArrayList<>();

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description =
          "Label on the batch, repeatable. app="
              + APP_LABEL
              + " and job=<the Spark job> are always added.")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      defaultValue = "4h",
      description =
          "Dataproc ends the batch after this long, whatever it is doing (10m to 14d;"
              + " default: ${DEFAULT-VALUE}).")
  String ttl;

  @Option(
      names = "--wait",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Wait until the batch ends and exit with its outcome (default); --no-wait exits 0"
              + " as soon as Dataproc has accepted it.")
  boolean waitForEnd;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "3h",
      description =
          "Longest wait; then exit 3 and leave the batch running (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--poll",
      paramLabel = "DURATION",
      defaultValue = "15s",
      description = "Time between status checks while waiting (default: ${DEFAULT-VALUE}).")
  String poll;

  @Option(
      names = "--dry-run",
      description = "Print the CreateBatchRequest as JSON and exit 0 without calling Google.")
  boolean dryRun;

  @Parameters(
      paramLabel = "JOB_ARG",
      description =
          "After --: the Spark job and its arguments, passed verbatim to "
              + SubmitConfig.JOBS_MAIN_CLASS
              + ", e.g. bronze --landing gs://b/landing --date 2026-11-20")
  List<String> jobArgs = new ArrayList<>();

  /**
   * The validated config, or every problem found.
   *
   * @param jobArgsAfterDoubleDash whether the command line had "--": job arguments are only taken
   *     from after it, so that a job option can never be mistaken for one of ours.
   */
  SubmitConfig toConfig(boolean jobArgsAfterDoubleDash) {
    List<String> p = new ArrayList<>();

    if (blank(project)) {
      p.add("--project is required (or set GOOGLE_CLOUD_PROJECT)");
    } else if (!PROJECT.matcher(project).matches()) {
      p.add("--project '" + project + "' is not a Google Cloud project id");
    }
    if (blank(region)) {
      p.add("--region is required (or set DATAPROC_REGION)");
    } else if (!REGION.matcher(region).matches()) {
      p.add("--region '" + region + "' is not a Google Cloud region such as europe-west1");
    }
    if (blank(jobsJar)) {
      p.add("--jobs-jar is required (or set JOBS_JAR_URI): the gs:// URI of spark-jobs.jar");
    } else if (!GCS_OBJECT.matcher(jobsJar).matches()) {
      p.add("--jobs-jar '" + jobsJar + "' is not a gs://bucket/path URI");
    }
    if (blank(batchId)) {
      p.add("--batch-id is required: " + BATCH_ID_RULE);
    } else if (!BATCH_ID.matcher(batchId).matches()) {
      p.add("--batch-id '" + batchId + "' breaks Dataproc's rule: " + BATCH_ID_RULE);
    }
    if (!blank(serviceAccount) && !SERVICE_ACCOUNT.matcher(serviceAccount).matches()) {
      p.add("--service-account '" + serviceAccount + "' is not a service account email");
    }
    if (!blank(subnet)) {
      var m = SUBNET_REGION.matcher(subnet);
      if (subnet.chars().anyMatch(Character::isWhitespace)) {
        p.add("--subnet '" + subnet + "' contains spaces");
      } else if (m.matches() && !blank(region) && !m.group(1).equals(region)) {
        p.add(
            "--subnet is in region "
                + m.group(1)
                + " but the batch runs in "
                + region
                + ": Dataproc needs a subnet of the batch's region");
      }
    }
    if (blank(runtimeVersion) || !RUNTIME.matcher(runtimeVersion).matches()) {
      p.add("--runtime-version '" + runtimeVersion + "' is not a runtime version such as 2.3");
    }

    Map<String, String> props = keyValues("--property", properties, p);
    props.keySet().stream()
        .filter(k -> k.chars().anyMatch(Character::isWhitespace))
        .forEach(k -> p.add("--property key '" + k + "' contains spaces"));

    Map<String, String> labelMap = keyValues("--label", labels, p);
    for (var e : labelMap.entrySet()) {
      if (e.getKey().equals("app") || e.getKey().equals("job")) {
        p.add("--label " + e.getKey() + " is set by this tool and cannot be given");
      } else if (!LABEL_KEY.matcher(e.getKey()).matches()) {
        p.add(
            "--label key '"
                + e.getKey()
                + "': use lowercase letters, digits, _ and -, starting with a letter, at most 63");
      } else if (!LABEL_VALUE.matcher(e.getValue()).matches()) {
        p.add(
            "--label "
                + e.getKey()
                + " value '"
                + e.getValue()
                + "': use lowercase letters, digits, _ and -, at most 63");
      }
    }
    if (labelMap.size() + 2 > MAX_LABELS) {
      p.add("--label: at most " + (MAX_LABELS - 2) + " labels besides app and job");
    }

    Duration ttlValue = duration("--ttl", ttl, p);
    if (ttlValue != null && (ttlValue.compareTo(MIN_TTL) < 0 || ttlValue.compareTo(MAX_TTL) > 0)) {
      p.add("--ttl " + ttl + " is outside Dataproc's bounds of 10m to 14d");
    }
    Duration timeoutValue = duration("--timeout", timeout, p);
    if (timeoutValue != null && (timeoutValue.isZero() || timeoutValue.isNegative())) {
      p.add("--timeout must be positive");
    }
    Duration pollValue = duration("--poll", poll, p);
    if (pollValue != null && pollValue.compareTo(MIN_POLL) < 0) {
      p.add("--poll " + poll + " is too short: at least 1s, each check is an API call");
    }

    if (jobArgs.isEmpty()) {
      p.add(
          "no Spark job given: put the job and its arguments after --, e.g."
              + " -- bronze --date 2026-11-20");
    } else if (!jobArgsAfterDoubleDash) {
      p.add("put the Spark job and its arguments after --, e.g. -- " + String.join(" ", jobArgs));
    }

    if (!p.isEmpty()) {
      throw new InvalidOptionsException(p);
    }

    Map<String, String> allLabels = new TreeMap<>(labelMap);
    allLabels.put("app", APP_LABEL);
    allLabels.put("job", labelValue(jobArgs.get(0)));
    return new SubmitConfig(
        project,
        region,
        jobsJar,
        batchId,
        optional(serviceAccount),
        optional(subnet),
        runtimeVersion,
        props,
        allLabels,
        ttlValue,
        waitForEnd,
        timeoutValue,
        pollValue,
        dryRun,
        jobArgs);
  }

  /** A job name as a label value: the job names are plain words, but a label must never fail. */
  static String labelValue(String text) {
    String v = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return v.length() > 63 ? v.substring(0, 63) : v;
  }

  private static Map<String, String> keyValues(
      String option, List<String> pairs, List<String> problems) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || pair.substring(0, eq).isBlank()) {
        problems.add(option + " '" + pair + "' is not KEY=VALUE");
        continue;
      }
      String key = pair.substring(0, eq).trim();
      String previous = out.put(key, pair.substring(eq + 1));
      if (previous != null) {
        problems.add(option + " " + key + " is given twice");
      }
    }
    return out;
  }

  private static Duration duration(String option, String text, List<String> problems) {
    Duration d = DurationText.parse(text);
    if (d == null) {
      problems.add(option + " '" + text + "' is not a duration: use e.g. 15s, 30m, 4h or PT4H");
    }
    return d;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Optional<String> optional(String s) {
    return blank(s) ? Optional.empty() : Optional.of(s.trim());
  }

  /** Every problem with the command line, reported together (exit 2). */
  static final class InvalidOptionsException extends RuntimeException {
    private final List<String> problems;

    InvalidOptionsException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    List<String> problems() {
      return problems;
    }
  }
}
