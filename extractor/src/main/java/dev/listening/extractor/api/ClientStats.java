package dev.listening.extractor.api;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters for the run summary; thread-safe, shared by every worker. */
public final class ClientStats {
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final LongAdder ioErrors = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder tokenRequests = new LongAdder();
  private final LongAdder tokenRefreshesOn401 = new LongAdder();
  private final AtomicLong retryAfterNanos = new AtomicLong();
  private final AtomicLong backoffNanos = new AtomicLong();

  void response(int status) {
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  void ioError() {
    ioErrors.increment();
  }

  void retry() {
    retries.increment();
  }

  void tokenRequest() {
    tokenRequests.increment();
  }

  void refreshedOn401() {
    tokenRefreshesOn401.increment();
  }

  void retryAfter(Duration wait) {
    retryAfterNanos.addAndGet(wait.toNanos());
  }

  void backoff(Duration wait) {
    backoffNanos.addAndGet(wait.toNanos());
  }

  /** API responses (not token calls) by HTTP status, sorted. */
  public Map<Integer, Long> responsesByStatus() {
    Map<Integer, Long> out = new TreeMap<>();
    byStatus.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** API requests sent, whatever the outcome (I/O failures included). */
  public long requests() {
    return byStatus.values().stream().mapToLong(LongAdder::sum).sum() + ioErrors.sum();
  }

  public long ioErrors() {
    return ioErrors.sum();
  }

  public long retries() {
    return retries.sum();
  }

  public long tokenRequests() {
    return tokenRequests.sum();
  }

  public long tokenRefreshesOn401() {
    return tokenRefreshesOn401.sum();
  }

  /** Waits Spotify announced with Retry-After (or the default when it left the header out). */
  public Duration retryAfterWaited() {
    return Duration.ofNanos(retryAfterNanos.get());
  }

  /** Client-side exponential backoff after 5xx, I/O errors and malformed bodies. */
  public Duration backoffWaited() {
    return Duration.ofNanos(backoffNanos.get());
  }
}
