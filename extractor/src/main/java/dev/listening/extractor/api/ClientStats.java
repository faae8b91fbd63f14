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
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder malformedBodies = new LongAdder();
  private final LongAdder rateLimitedWithoutRetryAfter = new LongAdder();
  private final AtomicLong blockedByRateLimitNanos = new AtomicLong();
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

  void timeout() {
    timeouts.increment();
  }

  void malformedBody() {
    malformedBodies.increment();
  }

  void headerless429() {
    rateLimitedWithoutRetryAfter.increment();
  }

  void blockedByRateLimit(Duration added) {
    blockedByRateLimitNanos.addAndGet(added.toNanos());
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

  /** I/O errors that were the client's own timeout (a response slower than it). */
  public long timeouts() {
    return timeouts.sum();
  }

  /** 2xx answers whose body was not whole JSON: quarantined by the run, and fetched again. */
  public long malformedBodies() {
    return malformedBodies.sum();
  }

  /** 429s that came without a Retry-After header (the app backed off on its own). */
  public long rateLimitedWithoutRetryAfter() {
    return rateLimitedWithoutRetryAfter.sum();
  }

  /**
   * Wall time the whole app was held back by 429s (Retry-After, or its own backoff without one);
   * waits announced to several workers at once count once.
   */
  public Duration blockedByRateLimit() {
    return Duration.ofNanos(blockedByRateLimitNanos.get());
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

  /**
   * Waits announced with Retry-After (or backed off without one), summed over the 429s: several
   * workers told the same wait count it each; see {@link #blockedByRateLimit} for wall time.
   */
  public Duration retryAfterWaited() {
    return Duration.ofNanos(retryAfterNanos.get());
  }

  /** Client-side exponential backoff after 5xx, I/O errors and malformed bodies. */
  public Duration backoffWaited() {
    return Duration.ofNanos(backoffNanos.get());
  }
}
