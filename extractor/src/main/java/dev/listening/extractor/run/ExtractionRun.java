package dev.listening.extractor.run;

import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape every extraction command shares: {@link #open} what the run lands into (nothing to do
 * when this run id already landed completely), {@link #work}, then settle the status from what
 * happened (stopped by quota or a long Retry-After, some items failed, or complete), publish the
 * last parts and manifests, and return the {@link RunSummary}. One instance per run: the state its
 * workers share lives in fields.
 */
public abstract class ExtractionRun {
  private static final Logger log = LoggerFactory.getLogger(ExtractionRun.class);

  protected final Extraction x;
  protected final RunSummary summary;
  private final List<PartitionRun> landings = new ArrayList<>();
  private final AtomicReference<ApiException> stop = new AtomicReference<>();
  private volatile String unavailable;

  protected ExtractionRun(Extraction x, String command) {
    this.x = x;
    this.summary =
        new RunSummary(
            command, x.runId(), x.date().toString(), x.shard().toString(), x.clock().instant());
  }

  /**
   * Opens the run's landings (see {@link #landing}) and loads what the work needs.
   *
   * @return false when there is nothing to do; the summary then says why
   */
  protected abstract boolean open() throws IOException, InterruptedException;

  protected abstract void work() throws IOException, InterruptedException;

  /** What a failed entry is, for the partial message: "user(s)", "market(s)"... */
  protected abstract String failedUnit();

  /** Facts for the manifests before they are written last, e.g. the gaps found. */
  protected void beforeFinish() {}

  public final RunSummary run() throws IOException, InterruptedException {
    if (!open()) {
      return summary;
    }
    work();
    if (unavailable != null) {
      for (PartitionRun landing : landings) {
        landing.abandon();
      }
      summary.finish(RunSummary.Status.NOTHING_TO_DO, unavailable);
      return summary;
    }
    beforeFinish();
    summary.count("app_mode_source", x.modeSource());
    for (PartitionRun landing : landings) {
      landing.detail("app_mode_source", x.modeSource());
    }
    ApiException stopped = stop.get();
    RunSummary.Status status;
    String message;
    if (stopped != null) {
      status = RunSummary.Status.PARTIAL;
      message = "partial, resume next run: " + stopped.getMessage();
      if (stopped instanceof ApiException.StopRun s && s.retryAfter() != null) {
        summary.count("retry_after_seconds", s.retryAfter().toSeconds());
      }
    } else if (!summary.failed.isEmpty()) {
      status = RunSummary.Status.PARTIAL;
      message =
          "partial, resume next run: "
              + summary.failed.size()
              + " "
              + failedUnit()
              + " failed; re-running this run id retries only them";
    } else {
      status = RunSummary.Status.COMPLETE;
      message = "complete";
    }
    List<RunManifest.Part> parts = new ArrayList<>();
    for (PartitionRun landing : landings) {
      parts.addAll(landing.finish(status, message));
    }
    summary.parts(parts);
    summary.finish(status, message);
    if (stopped instanceof ApiException.InvalidClient) {
      throw stopped; // the app's credentials are wrong: a failure, not a partial run
    }
    return summary;
  }

  /**
   * A landing of this run, or null when this run id already landed it completely (a re-run adds no
   * file and changes no content).
   */
  protected PartitionRun landing(
      Endpoint endpoint, String appMode, PartitionRun.Committer committer) throws IOException {
    PartitionRun landing = new PartitionRun(x, endpoint, appMode, committer);
    if (landing.alreadyComplete()) {
      log.info(
          "{}: run {} shard {} already landed completely; skipped", endpoint, x.runId(), x.shard());
      return null;
    }
    landings.add(landing);
    return landing;
  }

  /** Ends {@link #open} when every landing of this run is already complete. */
  protected boolean alreadyComplete(String what) {
    summary.finish(
        RunSummary.Status.ALREADY_COMPLETE,
        "run "
            + x.runId()
            + " shard "
            + x.shard()
            + " already landed "
            + what
            + " completely; nothing to do (a re-run never adds files)");
    return false;
  }

  /** Stops the run at the first quota exhaustion, long Retry-After or rejected app credentials. */
  protected void stop(ApiException e) {
    if (stop.compareAndSet(null, e)) {
      log.warn("stopping the run: {}", e.getMessage());
    }
  }

  protected boolean stopped() {
    return stop.get() != null;
  }

  /**
   * An answered request as a landing line: fetched_at is the API's clock (its Date header), or this
   * machine's when the answer had none.
   */
  protected Envelope envelope(ApiResponse r, String userKey, String appMode, int items) {
    return new Envelope(
        r.endpoint(),
        r.path(),
        r.params(),
        userKey,
        r.serverTime() != null ? r.serverTime() : x.clock().instant(),
        x.runId(),
        appMode,
        r.status(),
        r.rawBody(),
        items);
  }

  /**
   * Keeps the answers to the same request that came with a body cut off (see {@link
   * ApiResponse#malformedAttempts()}) in the landing's quarantine folder, one file each (see {@link
   * LandingPartition#quarantineDirectory()}): the evidence of what the API sent. The page fetched
   * again whole is landed by the caller, so nothing is missing and bronze never sees them.
   */
  protected void quarantineMalformed(ApiResponse r, String userKey, String appMode)
      throws IOException {
    if (r.endpoint() == null) {
      return;
    }
    String dir = x.partition(r.endpoint()).quarantineDirectory();
    for (ApiResponse m : r.malformedAttempts()) {
      x.landing()
          .put(
              dir + "/" + UUID.randomUUID() + ".ndjson", envelope(m, userKey, appMode, 0).toLine());
      summary.malformedQuarantined.incrementAndGet();
    }
  }

  /** The endpoint is not available to this app (development mode): nothing lands, exit 0. */
  protected void unavailable(String message) {
    this.unavailable = message;
  }
}
