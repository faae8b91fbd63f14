package dev.listening.submit;

import static com.google.cloud.dataproc.v1.Batch.State.CANCELLED;
import static com.google.cloud.dataproc.v1.Batch.State.FAILED;
import static com.google.cloud.dataproc.v1.Batch.State.PENDING;
import static com.google.cloud.dataproc.v1.Batch.State.RUNNING;
import static com.google.cloud.dataproc.v1.Batch.State.SUCCEEDED;
import static dev.listening.submit.FakeBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.dataproc.v1.Batch;
import com.google.cloud.dataproc.v1.RuntimeInfo;
import com.google.cloud.dataproc.v1.SparkBatch;
import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The batch lifecycle, from create to exit code. {@link FakeBatches} stands in for the real service
 * because Dataproc cannot run here; it answers the way the client does (gax exceptions carrying
 * gRPC codes), and {@link FakeTime} makes every wait instant.
 */
class SubmitterTest {
  static final String NAME =
      "projects/listening-dev/locations/europe-west1/batches/bronze-20261120-try1";
  static final String CONSOLE =
      "https://console.cloud.google.com/dataproc/batches/europe-west1/bronze-20261120-try1"
          + "?project=listening-dev";

  final FakeBatches fake = new FakeBatches();
  final FakeTime time = new FakeTime();
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  static SubmitConfig config(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--project=listening-dev",
                "--region=europe-west1",
                "--jobs-jar=gs://artifacts/spark-jobs.jar",
                "--batch-id=bronze-20261120-try1",
                "--service-account=spark-jobs@listening-dev.iam.gserviceaccount.com"));
    Collections.addAll(args, extra);
    Collections.addAll(args, "--", "bronze", "--date", "2026-11-20");
    return SubmitBatch.parse(Map.of(), args.toArray(String[]::new));
  }

  int submit(SubmitConfig config) {
    return new Submitter(fake, time, time, new PrintWriter(out, true), new PrintWriter(err, true))
        .submit(config);
  }

  /** The batch as Dataproc holds it for this job (what an earlier submit created). */
  static Batch existing(Batch.State state) {
    return batch(state).toBuilder()
        .setSparkBatch(
            SparkBatch.newBuilder()
                .setMainClass("dev.listening.jobs.JobsMain")
                .addJarFileUris("gs://artifacts/spark-jobs.jar")
                .addAllArgs(List.of("bronze", "--date", "2026-11-20")))
        .build();
  }

  static List<String> lines(StringWriter w) {
    return w.toString().lines().toList();
  }

  @Test
  void successPrintsEachStateChangeOnceAndExitsZero() {
    fake.states(batch(PENDING), batch(PENDING), batch(RUNNING), batch(RUNNING), batch(SUCCEEDED));

    assertThat(submit(config())).isZero();

    assertThat(fake.calls)
        .containsExactly(
            "create bronze-20261120-try1",
            "get " + NAME,
            "get " + NAME,
            "get " + NAME,
            "get " + NAME,
            "get " + NAME);
    assertThat(fake.created.getBatchId()).isEqualTo("bronze-20261120-try1");
    assertThat(lines(out))
        .filteredOn(l -> l.startsWith("Batch bronze-20261120-try1: "))
        .as("each state once, in order")
        .containsExactly(
            "Batch bronze-20261120-try1: PENDING",
            "Batch bronze-20261120-try1: RUNNING",
            "Batch bronze-20261120-try1: SUCCEEDED");
    assertThat(time.sleeps)
        .as("one poll interval between checks, never a busy loop")
        .containsExactly(
            Duration.ofSeconds(15),
            Duration.ofSeconds(15),
            Duration.ofSeconds(15),
            Duration.ofSeconds(15));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void failurePrintsStateMessageConsoleUrlAndOutputAndExitsOne() {
    fake.states(
        batch(RUNNING),
        batch(FAILED).toBuilder()
            .setStateMessage("Job failed with message [AnalysisException: Path does not exist]")
            .setRuntimeInfo(
                RuntimeInfo.newBuilder().setOutputUri("gs://dataproc-staging/driveroutput"))
            .build());

    assertThat(submit(config())).isEqualTo(1);

    assertThat(err.toString())
        .contains(
            "Batch bronze-20261120-try1 FAILED: Job failed with message [AnalysisException:"
                + " Path does not exist].")
        .contains("Console: " + CONSOLE)
        .contains("Driver output: gs://dataproc-staging/driveroutput")
        .contains("new --batch-id");
  }

  @Test
  void cancelledBatchExitsOne() {
    fake.states(batch(RUNNING), batch(CANCELLED));

    assertThat(submit(config())).isEqualTo(1);
    assertThat(err.toString()).contains("CANCELLED").contains(CONSOLE);
  }

  @Test
  void noWaitReturnsOnceAcceptedWithoutPolling() {
    assertThat(submit(config("--no-wait"))).isZero();

    assertThat(fake.calls).containsExactly("create bronze-20261120-try1");
    assertThat(out.toString()).contains("gcloud dataproc batches describe bronze-20261120-try1");
  }

  @Test
  void alreadyExistsAndSucceededIsDoneWithoutWaiting() {
    fake.failCreate(FakeBatches.error(Status.Code.ALREADY_EXISTS, "Batch already exists"))
        .states(existing(SUCCEEDED));

    assertThat(submit(config())).isZero();

    assertThat(out.toString()).contains("already succeeded");
    assertThat(fake.calls).containsExactly("create bronze-20261120-try1", "get " + NAME);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void alreadyExistsAndRunningIsFollowedToItsEnd() {
    fake.failCreate(FakeBatches.error(Status.Code.ALREADY_EXISTS, "Batch already exists"))
        .states(existing(RUNNING), existing(RUNNING), existing(SUCCEEDED));

    assertThat(submit(config())).isZero();

    assertThat(out.toString())
        .contains("already exists (RUNNING): following it")
        .contains("Batch bronze-20261120-try1: SUCCEEDED");
    assertThat(fake.calls).hasSize(4).first().isEqualTo("create bronze-20261120-try1");
  }

  @Test
  void alreadyExistsAndFailedAsksForANewBatchId() {
    fake.failCreate(FakeBatches.error(Status.Code.ALREADY_EXISTS, "Batch already exists"))
        .states(existing(FAILED).toBuilder().setStateMessage("Executor lost").build());

    assertThat(submit(config())).isEqualTo(1);

    assertThat(err.toString())
        .contains("already exists and ended FAILED: Executor lost")
        .contains("Dataproc never reuses a batch id")
        .contains("new --batch-id")
        .contains("try number")
        .contains(CONSOLE);
    assertThat(fake.calls).hasSize(2);
  }

  @Test
  void alreadyExistsForOtherWorkIsNotTakenForThisJob() {
    Batch otherDay =
        existing(SUCCEEDED).toBuilder()
            .setSparkBatch(existing(SUCCEEDED).getSparkBatch().toBuilder().setArgs(2, "2026-11-19"))
            .build();
    fake.failCreate(FakeBatches.error(Status.Code.ALREADY_EXISTS, "Batch already exists"))
        .states(otherDay);

    assertThat(submit(config()))
        .as("a success for 2026-11-19 must not count as 2026-11-20's")
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("already exists for different work")
        .contains("2026-11-19")
        .contains("new --batch-id");
  }

  @Test
  void timeoutExitsThreeAndLeavesTheBatchRunning() {
    fake.states(batch(PENDING), batch(RUNNING));

    assertThat(submit(config("--timeout=100s", "--poll=30s"))).isEqualTo(3);

    assertThat(time.sleeps)
        .as("polls every 30s and the last sleep ends at the deadline, not after it")
        .containsExactly(
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10));
    assertThat(fake.calls).as("one create and a check after each sleep").hasSize(1 + 5);
    assertThat(err.toString())
        .contains("Stopped waiting after 1m40s (--timeout)")
        .contains("is RUNNING and keeps running")
        .contains(
            "gcloud dataproc batches describe bronze-20261120-try1 --project=listening-dev"
                + " --region=europe-west1")
        .contains(CONSOLE);
  }

  @Test
  void defaultTimeoutOfThreeHoursWaitsThreeHoursOfFakeTime() {
    fake.states(batch(RUNNING));

    assertThat(submit(config())).isEqualTo(3);
    assertThat(time.slept()).isEqualTo(Duration.ofHours(3));
    assertThat(time.sleeps).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(15)));
  }

  @Test
  void permissionDeniedNamesProjectRegionAndTheRolesToGrant() {
    fake.failCreate(
        FakeBatches.error(
            Status.Code.PERMISSION_DENIED,
            "Permission 'dataproc.batches.create' denied on resource"));

    assertThat(submit(config())).isEqualTo(1);

    assertThat(err.toString())
        .contains("project listening-dev, region europe-west1")
        .contains("PERMISSION_DENIED")
        .contains("dataproc.batches.create")
        .contains("roles/dataproc.editor on project listening-dev")
        .contains(
            "roles/iam.serviceAccountUser on the batch service account"
                + " spark-jobs@listening-dev.iam.gserviceaccount.com");
    assertThat(fake.calls).containsExactly("create bronze-20261120-try1");
  }

  @Test
  void invalidArgumentPointsAtTheOptionsToCheck() {
    fake.failCreate(
        FakeBatches.error(Status.Code.INVALID_ARGUMENT, "Unsupported runtime version: 9.9"));

    assertThat(submit(config())).isEqualTo(1);
    assertThat(err.toString())
        .contains("Unsupported runtime version")
        .contains("check --runtime-version, --property, --subnet");
  }

  @Test
  void errorWhileWaitingSaysTheBatchMayStillRun() {
    fake.failGet(FakeBatches.error(Status.Code.NOT_FOUND, "Batch not found"));

    assertThat(submit(config())).isEqualTo(1);
    assertThat(err.toString())
        .contains("Could not check on the batch bronze-20261120-try1")
        .contains("may still be running");
  }
}
