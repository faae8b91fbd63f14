package dev.listening.extractor.run;

import dev.listening.extractor.api.ClientStats;
import dev.listening.landing.RunManifest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a run did, for the operator: printed as one JSON object on stdout at the end, with the
 * status that decides the exit code. Never holds a token.
 */
public final class RunSummary {
  /** Outcome of a run, and the process exit code it maps to. */
  public enum Status {
    COMPLETE(0),
    ALREADY_COMPLETE(0),
    NOTHING_TO_DO(0),
    PARTIAL(3),
    FAILED(1);

    private final int exitCode;

    Status(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final String command;
  private final String runId;
  private final String date;
  private final String shard;
  private final Instant startedAt;
  private final long startNanos = System.nanoTime();
  private volatile Status status = Status.COMPLETE;
  private volatile String message = "";
  private volatile String appMode;
  final AtomicLong pages = new AtomicLong();
  final AtomicLong items = new AtomicLong();
  final AtomicLong gaps = new AtomicLong();
  final AtomicLong notFound = new AtomicLong();
  final AtomicLong malformedQuarantined = new AtomicLong();
  final Map<String, Long> gapsByUser = new ConcurrentHashMap<>();
  final Map<String, String> skipped = new ConcurrentHashMap<>();
  final Map<String, String> failed = new ConcurrentHashMap<>();
  private final Map<String, Object> counts = new ConcurrentHashMap<>();
  private volatile List<RunManifest.Part> parts = List.of();

  public RunSummary(String command, String runId, String date, String shard, Instant startedAt) {
    this.command = command;
    this.runId = runId;
    this.date = date;
    this.shard = shard;
    this.startedAt = startedAt;
  }

  public Status status() {
    return status;
  }

  public String message() {
    return message;
  }

  public long pages() {
    return pages.get();
  }

  public long items() {
    return items.get();
  }

  public long gaps() {
    return gaps.get();
  }

  public Map<String, Long> gapsByUser() {
    return new TreeMap<>(gapsByUser);
  }

  public Map<String, String> skipped() {
    return new TreeMap<>(skipped);
  }

  public Map<String, String> failed() {
    return new TreeMap<>(failed);
  }

  public List<RunManifest.Part> parts() {
    return parts;
  }

  /** Bodies that came cut off, kept in the quarantine folder; their pages were fetched again. */
  public long malformedQuarantined() {
    return malformedQuarantined.get();
  }

  public long bytesLanded() {
    return parts.stream().mapToLong(RunManifest.Part::bytes).sum();
  }

  void finish(Status status, String message) {
    this.status = status;
    this.message = message;
  }

  void appMode(String mode) {
    this.appMode = mode;
  }

  void parts(List<RunManifest.Part> parts) {
    this.parts = List.copyOf(parts);
  }

  void count(String name, Object value) {
    counts.put(name, value);
  }

  public Map<String, Object> toMap(ClientStats stats) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", command);
    m.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
    m.put("message", message);
    m.put("run_id", runId);
    m.put("date", date);
    m.put("shard", shard);
    m.put("app_mode", appMode);
    m.put("started_at", startedAt.toString());
    m.put("seconds", round(Duration.ofNanos(System.nanoTime() - startNanos)));
    if (stats != null) {
      m.put("requests", stats.requests());
      m.put("requests_by_status", stats.responsesByStatus());
      m.put("io_errors", stats.ioErrors());
      m.put("timeouts", stats.timeouts());
      // Bodies cut off: fetched again, and kept in the landing's _quarantine folder.
      m.put("malformed_bodies", stats.malformedBodies());
      m.put("malformed_bodies_quarantined", malformedQuarantined.get());
      m.put("rate_limited_without_retry_after", stats.rateLimitedWithoutRetryAfter());
      m.put("token_requests", stats.tokenRequests());
      m.put("token_refreshes_after_401", stats.tokenRefreshesOn401());
      m.put("retries", stats.retries());
      m.put("seconds_waited_retry_after", round(stats.retryAfterWaited()));
      m.put("seconds_waited_backoff", round(stats.backoffWaited()));
      m.put("seconds_blocked_by_rate_limit", round(stats.blockedByRateLimit()));
    }
    m.put("pages", pages.get());
    m.put("items", items.get());
    m.put("gaps", gaps.get());
    m.put("gaps_by_user", gapsByUser());
    m.put("not_found", notFound.get());
    m.put("users_skipped", skipped());
    m.put("failed", failed());
    m.put("parts", parts.size());
    m.put("bytes_landed", bytesLanded());
    // What a Cloud Run job's memory must hold: the JVM's peak heap use over the run.
    m.put("peak_heap_used_mb", peakHeapUsedMb());
    m.putAll(new TreeMap<>(counts));
    return m;
  }

  private static long peakHeapUsedMb() {
    return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
            .mapToLong(p -> p.getPeakUsage().getUsed())
            .sum()
        >> 20;
  }

  private static double round(Duration d) {
    return Math.round(d.toMillis() / 10.0) / 100.0;
  }
}
