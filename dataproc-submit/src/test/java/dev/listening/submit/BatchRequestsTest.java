package dev.listening.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.dataproc.v1.CreateBatchRequest;
import com.google.cloud.dataproc.v1.ExecutionConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request Dataproc receives, built from command lines the way Airflow writes them. */
class BatchRequestsTest {
  static final String SUBNET =
      "https://www.googleapis.com/compute/v1/projects/net-host/regions/europe-west1/subnetworks/dataproc";

  @Test
  void fullSetOfOptionsEndsUpInTheRequest() {
    SubmitConfig config =
        SubmitBatch.parse(
            Map.of(),
            "--project=listening-dev",
            "--region=europe-west1",
            "--jobs-jar=gs://listening-artifacts/spark-jobs.jar",
            "--batch-id=bronze-20261120-try2",
            "--service-account=spark-jobs@listening-dev.iam.gserviceaccount.com",
            "--subnet=" + SUBNET,
            "--runtime-version=2.3",
            "--property=spark.sql.shuffle.partitions=64",
            "--property",
            "spark.executor.memory=8g",
            "--label=env=dev",
            "--ttl=2h",
            "--",
            "bronze",
            "--landing",
            "gs://b/landing",
            "--bronze",
            "gs://b/bronze",
            "--date",
            "2026-11-20");

    CreateBatchRequest request = BatchRequests.build(config);

    assertThat(request.getParent()).isEqualTo("projects/listening-dev/locations/europe-west1");
    assertThat(request.getBatchId()).isEqualTo("bronze-20261120-try2");
    var spark = request.getBatch().getSparkBatch();
    assertThat(spark.getMainClass()).isEqualTo("dev.listening.jobs.JobsMain");
    assertThat(spark.getJarFileUrisList())
        .containsExactly("gs://listening-artifacts/spark-jobs.jar");
    assertThat(spark.getArgsList())
        .as("everything after -- in its order, job options included")
        .containsExactly(
            "bronze",
            "--landing",
            "gs://b/landing",
            "--bronze",
            "gs://b/bronze",
            "--date",
            "2026-11-20");
    var runtime = request.getBatch().getRuntimeConfig();
    assertThat(runtime.getVersion()).isEqualTo("2.3");
    assertThat(runtime.getPropertiesMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("spark.sql.shuffle.partitions", "64", "spark.executor.memory", "8g"));
    ExecutionConfig execution = request.getBatch().getEnvironmentConfig().getExecutionConfig();
    assertThat(execution.getServiceAccount())
        .isEqualTo("spark-jobs@listening-dev.iam.gserviceaccount.com");
    assertThat(execution.getSubnetworkUri()).isEqualTo(SUBNET);
    assertThat(execution.getTtl().getSeconds()).isEqualTo(2 * 3600);
    assertThat(request.getBatch().getLabelsMap())
        .as("the user's label plus the two the tool always adds")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("env", "dev", "app", "listening-pipeline", "job", "bronze"));
  }

  @Test
  void environmentSuppliesWhatTheCommandLineLeavesOut() {
    Map<String, String> env =
        Map.of(
            "GOOGLE_CLOUD_PROJECT", "listening-prod",
            "DATAPROC_REGION", "europe-west1",
            "JOBS_JAR_URI", "gs://artifacts/spark-jobs.jar",
            "DATAPROC_SERVICE_ACCOUNT", "spark@listening-prod.iam.gserviceaccount.com",
            "DATAPROC_SUBNET", SUBNET);

    CreateBatchRequest request =
        BatchRequests.build(
            SubmitBatch.parse(
                env, "--project=listening-dev", "--batch-id=silver-1", "--", "silver"));

    assertThat(request.getParent())
        .as("the command line wins over GOOGLE_CLOUD_PROJECT")
        .isEqualTo("projects/listening-dev/locations/europe-west1");
    assertThat(request.getBatch().getSparkBatch().getJarFileUrisList())
        .containsExactly("gs://artifacts/spark-jobs.jar");
    ExecutionConfig execution = request.getBatch().getEnvironmentConfig().getExecutionConfig();
    assertThat(execution.getServiceAccount())
        .isEqualTo("spark@listening-prod.iam.gserviceaccount.com");
    assertThat(execution.getSubnetworkUri()).isEqualTo(SUBNET);
  }

  @Test
  void defaultsLeaveServiceAccountAndSubnetToDataproc() {
    CreateBatchRequest request =
        BatchRequests.build(
            SubmitBatch.parse(
                Map.of(),
                "--project=listening-dev",
                "--region=us-central1",
                "--jobs-jar=gs://artifacts/spark-jobs.jar",
                "--batch-id=gold-20261120-1",
                "--",
                "Gold.Daily"));

    ExecutionConfig execution = request.getBatch().getEnvironmentConfig().getExecutionConfig();
    assertThat(execution.getServiceAccount()).isEmpty();
    assertThat(execution.getSubnetworkUri()).isEmpty();
    assertThat(execution.getTtl().getSeconds()).as("default TTL 4h").isEqualTo(4 * 3600);
    assertThat(request.getBatch().getRuntimeConfig().getVersion()).isEqualTo("2.3");
    assertThat(request.getBatch().getLabelsMap())
        .as("a job name becomes a valid label value")
        .containsEntry("job", "gold-daily");
  }
}
