package dev.listening.submit;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.dataproc.v1.Batch;
import com.google.cloud.dataproc.v1.CreateBatchRequest;
import com.google.cloud.dataproc.v1.SparkBatch;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Submits one batch and follows it to its end. Every outcome is an exit code plus a message an
 * operator can act on; Google's errors are turned into advice, never rethrown.
 */
final class Submitter {
  /** Waits between polls; tests pass one that only moves a fake clock. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  private final Batches batches;
  private final Clock clock;
  private final Sleeper sleeper;
  private final PrintWriter out;
  private final PrintWriter err;

  Submitter(Batches batches, Clock clock, Sleeper sleeper, PrintWriter out, PrintWriter err) {
    this.batches = batches;
    this.clock = clock;
    this.sleeper = sleeper;
    this.out = out;
    this.err = err;
  }

  int submit(SubmitConfig c) {
    CreateBatchRequest request = BatchRequests.build(c);
    out.println("Submitting " + c.summary());
    try {
      batches.create(request);
    } catch (ApiException e) {
      if (code(e) == StatusCode.Code.ALREADY_EXISTS) {
        return followExisting(c, request.getBatch());
      }
      return googleError(c, "create", e, false);
    }
    out.println("Batch " + c.batchId() + " accepted. Console: " + c.consoleUrl());
    if (!c.waitForEnd()) {
      out.println("Not waiting (--no-wait). Check it with: " + c.describeCommand());
      return ExitCode.OK;
    }
    return waitForEnd(c);
  }

  /**
   * A retried task submits the same id again. Dataproc keeps every batch id for good, so the
   * existing batch decides: done, still going, or dead for good.
   */
  private int followExisting(SubmitConfig c, Batch wanted) {
    Batch existing;
    try {
      existing = batches.get(c.batchName());
    } catch (ApiException e) {
      return googleError(c, "look up the existing", e, false);
    }
    // An id reused for other work (say another date) must not pass for this job's success.
    if (!sameWork(existing.getSparkBatch(), wanted.getSparkBatch())) {
      err.println(
          "Batch "
              + c.batchId()
              + " already exists for different work: "
              + existing.getSparkBatch().getMainClass()
              + " "
              + String.join(" ", existing.getSparkBatch().getArgsList())
              + ". Batch ids are unique per project and region: submit with a new --batch-id.");
      err.println("Console: " + c.consoleUrl());
      return ExitCode.FAILED;
    }
    switch (existing.getState()) {
      case SUCCEEDED -> {
        out.println("Batch " + c.batchId() + " already succeeded; nothing to do.");
        return ExitCode.OK;
      }
      case FAILED, CANCELLED -> {
        err.println(
            "Batch "
                + c.batchId()
                + " already exists and ended "
                + existing.getState()
                + stateMessage(existing)
                + ".");
        err.println(
            "Dataproc never reuses a batch id: to run the job again, submit with a new"
                + " --batch-id (e.g. one that ends in Airflow's try number).");
        printWhereToLook(c, existing);
        return ExitCode.FAILED;
      }
      default -> {
        out.println(
            "Batch "
                + c.batchId()
                + " already exists ("
                + existing.getState()
                + "): following it instead of submitting again.");
        if (!c.waitForEnd()) {
          out.println("Not waiting (--no-wait). Check it with: " + c.describeCommand());
          return ExitCode.OK;
        }
        return waitForEnd(c);
      }
    }
  }

  private int waitForEnd(SubmitConfig c) {
    Instant start = clock.instant();
    Instant deadline = start.plus(c.timeout());
    Batch.State last = null;
    while (true) {
      Batch batch;
      try {
        batch = batches.get(c.batchName());
      } catch (ApiException e) {
        return googleError(c, "check on the", e, true);
      }
      Batch.State state = batch.getState();
      if (state != last) {
        out.println("Batch " + c.batchId() + ": " + state);
        last = state;
      }
      switch (state) {
        case SUCCEEDED -> {
          out.println(
              "Batch "
                  + c.batchId()
                  + " succeeded after "
                  + DurationText.format(Duration.between(start, clock.instant()))
                  + " of waiting.");
          return ExitCode.OK;
        }
        case FAILED, CANCELLED -> {
          err.println("Batch " + c.batchId() + " " + state + stateMessage(batch) + ".");
          printWhereToLook(c, batch);
          err.println(
              "To run the job again, submit with a new --batch-id: Dataproc never reuses one.");
          return ExitCode.FAILED;
        }
        default -> {
          // PENDING, RUNNING, CANCELLING, or a state newer than this client: keep waiting.
        }
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        err.println(
            "Stopped waiting after "
                + DurationText.format(c.timeout())
                + " (--timeout). Batch "
                + c.batchId()
                + " is "
                + state
                + " and keeps running; Dataproc ends it at its TTL of "
                + DurationText.format(c.ttl())
                + " at the latest.");
        err.println("Check it with: " + c.describeCommand());
        err.println("Console: " + c.consoleUrl());
        return ExitCode.TIMED_OUT;
      }
      Duration left = Duration.between(now, deadline);
      try {
        sleeper.sleep(left.compareTo(c.poll()) < 0 ? left : c.poll());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println(
            "Interrupted while waiting; batch "
                + c.batchId()
                + " keeps running. Check it with: "
                + c.describeCommand());
        return ExitCode.FAILED;
      }
    }
  }

  private void printWhereToLook(SubmitConfig c, Batch batch) {
    err.println("Console: " + c.consoleUrl());
    String output = batch.getRuntimeInfo().getOutputUri();
    if (!output.isEmpty()) {
      err.println("Driver output: " + output);
    }
    String diagnostics = batch.getRuntimeInfo().getDiagnosticOutputUri();
    if (!diagnostics.isEmpty()) {
      err.println("Diagnostics: " + diagnostics);
    }
  }

  /** Names the project and region and says what to check; the batch may already be running. */
  private int googleError(SubmitConfig c, String action, ApiException e, boolean batchExists) {
    StatusCode.Code code = code(e);
    err.println(
        "Could not "
            + action
            + " batch "
            + c.batchId()
            + " in project "
            + c.project()
            + ", region "
            + c.region()
            + ": "
            + code
            + ": "
            + e.getMessage());
    String advice =
        switch (code) {
          case PERMISSION_DENIED ->
              "The caller (in Composer, the environment's service account)"
                  + " needs roles/dataproc.editor on project "
                  + c.project()
                  + " and roles/iam.serviceAccountUser on "
                  + c.serviceAccount()
                      .map(sa -> "the batch service account " + sa)
                      .orElse("the Compute Engine default service account, which the batch runs as")
                  + ". Check also that the Dataproc API is enabled in the project.";
          case UNAUTHENTICATED ->
              "No valid Google credentials: Composer uses its environment's"
                  + " service account; locally, run 'gcloud auth application-default login'.";
          case NOT_FOUND ->
              batchExists
                  ? "The batch is gone (deleted?). Check the project's batches in the console."
                  : "Check --project and --region, and that the Dataproc API is enabled there.";
          case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE ->
              "Dataproc rejected the"
                  + " request: check --runtime-version, --property, --subnet (region "
                  + c.region()
                  + ", Private Google Access on), --service-account and --jobs-jar."
                  + " --dry-run prints the request.";
          case RESOURCE_EXHAUSTED ->
              "A Dataproc quota is used up in region "
                  + c.region()
                  + " (CPUs, disks or concurrent batches): see the project's quotas, or retry later.";
          case UNAVAILABLE, DEADLINE_EXCEEDED ->
              "Dataproc did not answer in time; retry with"
                  + " the same --batch-id: if the batch was created meanwhile, the retry follows it.";
          default -> "";
        };
    if (!advice.isEmpty()) {
      err.println(advice);
    }
    if (batchExists) {
      err.println(
          "The batch may still be running. Check it with: "
              + c.describeCommand()
              + " or "
              + c.consoleUrl());
    }
    return ExitCode.FAILED;
  }

  private static boolean sameWork(SparkBatch existing, SparkBatch wanted) {
    return existing.getMainClass().equals(wanted.getMainClass())
        && existing.getJarFileUrisList().equals(wanted.getJarFileUrisList())
        && existing.getArgsList().equals(wanted.getArgsList());
  }

  private static String stateMessage(Batch batch) {
    return batch.getStateMessage().isEmpty() ? "" : ": " + batch.getStateMessage();
  }

  private static StatusCode.Code code(ApiException e) {
    return e.getStatusCode().getCode();
  }
}
