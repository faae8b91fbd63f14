package dev.listening.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of what the simulator served: the cost side of an extractor run. */
public final class SimStats {
  private final LongAdder requests = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder quotaRejected = new LongAdder();
  private final LongAdder tokenRequests = new LongAdder();
  private final LongAdder adminRequests = new LongAdder();
  private final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> earlyByClient = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> injected = new ConcurrentHashMap<>();
  private final LongAdder retryAfterGiven = new LongAdder();
  private final LongAdder retryAfterMissing = new LongAdder();

  /** API requests received (not token, not admin). */
  public long requests() {
    return requests.sum();
  }

  /** API requests the rate limiter and quota let through. */
  public long accepted() {
    return accepted.sum();
  }

  /** 429s from the rolling window. */
  public long rateLimited() {
    return rateLimited.sum();
  }

  /** 429s with reason QUOTA_EXCEEDED. */
  public long quotaRejected() {
    return quotaRejected.sum();
  }

  /** API responses by HTTP status, sorted. */
  public Map<Integer, Long> byStatus() {
    Map<Integer, Long> out = new TreeMap<>();
    byStatus.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** API requests by endpoint name ("recently-played", "tracks", "tracks-batch", ...), sorted. */
  public Map<String, Long> byEndpoint() {
    Map<String, Long> out = new TreeMap<>();
    byEndpoint.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * API requests that arrived before a Retry-After this simulator had given their client had passed
   * (see {@link RetryAfterWatch}), by client id.
   */
  public Map<String, Long> earlyRequestsByClient() {
    Map<String, Long> out = new TreeMap<>();
    earlyByClient.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Every client's early requests together. */
  public long earlyRequests() {
    return earlyByClient.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** 429s (rate limit or quota) that carried a Retry-After header. */
  public long retryAfterGiven() {
    return retryAfterGiven.sum();
  }

  /** 429s that came without one, as Spotify's sometimes do. */
  public long retryAfterMissing() {
    return retryAfterMissing.sum();
  }

  /**
   * Faults injected, by kind: {@code server_error}, {@code slow}, {@code malformed}, {@code
   * token_expired} (an access token refused before its time), sorted. A drill checks that its
   * profile's fault happened at all.
   */
  public Map<String, Long> injected() {
    Map<String, Long> out = new TreeMap<>();
    injected.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Calls of the /_sim admin endpoints, which no real Spotify has. */
  public long adminRequests() {
    return adminRequests.sum();
  }

  /** Every request this simulator answered: API, accounts and admin. */
  public long totalRequests() {
    return requests() + tokenRequests() + adminRequests();
  }

  void countAdminRequest() {
    adminRequests.increment();
  }

  public long tokenRequests() {
    return tokenRequests.sum();
  }

  void countRequest(String endpoint) {
    requests.increment();
    byEndpoint.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
  }

  void countAccepted() {
    accepted.increment();
  }

  void countRateLimited() {
    rateLimited.increment();
  }

  void countQuotaRejected() {
    quotaRejected.increment();
  }

  void countStatus(int status) {
    byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
  }

  void countEarly(String clientId) {
    earlyByClient.computeIfAbsent(clientId, k -> new LongAdder()).increment();
  }

  void countRetryAfter(boolean given) {
    (given ? retryAfterGiven : retryAfterMissing).increment();
  }

  void countInjected(String kind) {
    injected.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void countTokenRequest() {
    tokenRequests.increment();
  }

  @Override
  public String toString() {
    return "SimStats[requests="
        + requests()
        + ", accepted="
        + accepted()
        + ", rateLimited="
        + rateLimited()
        + ", quotaRejected="
        + quotaRejected()
        + ", tokenRequests="
        + tokenRequests()
        + ", earlyRequests="
        + earlyRequests()
        + ", injected="
        + injected()
        + ", byStatus="
        + byStatus()
        + ", byEndpoint="
        + byEndpoint()
        + "]";
  }
}
