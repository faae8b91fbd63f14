package dev.listening.extractor.api;

import java.time.Duration;

/** Failures of a Spotify call, split by what the caller should do about them. */
public class ApiException extends RuntimeException {
  private final int status;

  public ApiException(String message, int status) {
    super(message);
    this.status = status;
  }

  public ApiException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  /** Worth another attempt: 429 with a known wait, 5xx, an I/O error or a truncated body. */
  public static class Retryable extends ApiException {
    private final Duration retryAfter;

    public Retryable(String message, int status, Duration retryAfter, Throwable cause) {
      super(message, status, cause);
      this.retryAfter = retryAfter;
    }

    /** Server-announced wait (429), or null when the client should back off on its own. */
    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /** The access token was rejected; the client refreshes it once and tries again. */
  public static final class TokenRejected extends Retryable {
    public TokenRejected(String message) {
      super(message, 401, null, null);
    }
  }

  /**
   * Ends the run cleanly: the daily quota is spent, or Spotify asked for a wait longer than the run
   * may sleep. What was landed stays landed; the next run resumes.
   */
  public static final class StopRun extends ApiException {
    private final Duration retryAfter;
    private final boolean quotaExhausted;

    public StopRun(String message, int status, Duration retryAfter, boolean quotaExhausted) {
      super(message, status);
      this.retryAfter = retryAfter;
      this.quotaExhausted = quotaExhausted;
    }

    public Duration retryAfter() {
      return retryAfter;
    }

    public boolean quotaExhausted() {
      return quotaExhausted;
    }
  }

  /** A user's refresh token is no longer valid: that user must consent again. */
  public static final class InvalidGrant extends ApiException {
    public InvalidGrant(String message) {
      super(message, 400);
    }
  }

  /** The client id or secret was rejected: nothing in this run can work. */
  public static final class InvalidClient extends ApiException {
    public InvalidClient(String message) {
      super(message, 400);
    }
  }
}
