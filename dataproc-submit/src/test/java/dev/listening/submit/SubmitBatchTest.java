package dev.listening.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.dataproc.v1.CreateBatchRequest;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command as Airflow runs it: arguments in, exit code and text out. */
class SubmitBatchTest {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final FakeBatches fake = new FakeBatches();
  final List<String> opened = new ArrayList<>();

  int run(String... args) {
    return SubmitBatch.execute(
        Map.of(),
        region -> {
          opened.add(region);
          return fake;
        },
        Clock.systemUTC(),
        d -> {
          throw new AssertionError("no waiting expected in these tests");
        },
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        args);
  }

  static final String[] FULL = {
    "--project=listening-dev",
    "--region=europe-west1",
    "--jobs-jar=gs://artifacts/spark-jobs.jar",
    "--batch-id=bronze-20261120-try1",
    "--property=spark.sql.shuffle.partitions=64",
    "--dry-run",
    "--",
    "bronze",
    "--date",
    "2026-11-20"
  };

  @Test
  void dryRunPrintsTheRequestAsJsonAndCallsNothing() throws Exception {
    int code = run(FULL);

    assertThat(code).isZero();
    assertThat(opened).as("no Dataproc client opened, so no credentials needed").isEmpty();
    assertThat(fake.calls).as("no calls to Dataproc").isEmpty();
    CreateBatchRequest.Builder parsed = CreateBatchRequest.newBuilder();
    JsonFormat.parser().merge(out.toString(), parsed);
    assertThat(parsed.build())
        .as("stdout is exactly the JSON of the request that would be sent")
        .isEqualTo(BatchRequests.build(SubmitBatch.parse(Map.of(), FULL)));
    assertThat(parsed.getBatch().getSparkBatch().getArgsList())
        .containsExactly("bronze", "--date", "2026-11-20");
  }

  @Test
  void badOptionsExitTwoListingEveryProblemAndCallNothing() {
    int code = run("--batch-id=X", "--ttl=forever", "--", "bronze");

    assertThat(code).isEqualTo(2);
    assertThat(opened).isEmpty();
    assertThat(err.toString())
        .contains("--project is required")
        .contains("--region is required")
        .contains("--jobs-jar is required")
        .contains("--batch-id 'X'")
        .contains("--ttl 'forever'");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run("--batch-idd=bronze-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--batch-idd");
  }

  @Test
  void helpDocumentsTheEnvironmentVariables() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "GOOGLE_CLOUD_PROJECT",
            "DATAPROC_REGION",
            "JOBS_JAR_URI",
            "DATAPROC_SERVICE_ACCOUNT",
            "DATAPROC_SUBNET",
            "--[no-]wait",
            "Exit codes");
  }

  @Test
  void submitsThroughTheRegionalClientAndClosesIt() {
    fake.states(FakeBatches.batch(com.google.cloud.dataproc.v1.Batch.State.SUCCEEDED));
    String[] args =
        java.util.Arrays.stream(FULL).filter(a -> !a.equals("--dry-run")).toArray(String[]::new);

    assertThat(run(args)).isZero();
    assertThat(opened).containsExactly("europe-west1");
    assertThat(fake.calls)
        .containsExactly(
            "create bronze-20261120-try1",
            "get projects/listening-dev/locations/europe-west1/batches/bronze-20261120-try1");
    assertThat(fake.closed).isTrue();
  }
}
