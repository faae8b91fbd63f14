package dev.listening.submit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One validated submission: every field has passed {@link SubmitOptions#toConfig}, so the request
 * builder and the lifecycle never re-check input.
 */
public record SubmitConfig(
    String project,
    String region,
    String jobsJarUri,
    String batchId,
    Optional<String> serviceAccount,
    Optional<String> subnet,
    String runtimeVersion,
    Map<String, String> properties,
    Map<String, String> labels,
    Duration ttl,
    boolean waitForEnd,
    Duration timeout,
    Duration poll,
    boolean dryRun,
    List<String> jobArgs) {

  /** The one main class of spark-jobs.jar; the Spark job is its first argument. */
  public static final String JOBS_MAIN_CLASS = "dev.listening.jobs.JobsMain";

  public SubmitConfig {
    properties = Map.copyOf(properties);
    labels = Map.copyOf(labels);
    jobArgs = List.copyOf(jobArgs);
  }

  public String parent() {
    return "projects/" + project + "/locations/" + region;
  }

  public String batchName() {
    return parent() + "/batches/" + batchId;
  }

  /** The Spark job, e.g. "bronze": the first argument JobsMain reads. */
  public String jobName() {
    return jobArgs.get(0);
  }

  public String consoleUrl() {
    return "https://console.cloud.google.com/dataproc/batches/"
        + region
        + "/"
        + batchId
        + "?project="
        + project;
  }

  /** What an operator runs to look at the batch from a shell. */
  public String describeCommand() {
    return "gcloud dataproc batches describe "
        + batchId
        + " --project="
        + project
        + " --region="
        + region;
  }

  /** One line for the log: nothing here is secret (a service account email is not a credential). */
  public String summary() {
    return "batch "
        + batchId
        + " in "
        + parent()
        + ": "
        + JOBS_MAIN_CLASS
        + " "
        + String.join(" ", jobArgs)
        + " from "
        + jobsJarUri
        + ", runtime "
        + runtimeVersion
        + serviceAccount.map(sa -> ", as " + sa).orElse("");
  }
}
