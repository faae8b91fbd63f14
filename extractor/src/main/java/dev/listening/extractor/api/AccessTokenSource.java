package dev.listening.extractor.api;

/** Hands out a valid access token, refreshing it when it is near expiry or was rejected. */
public interface AccessTokenSource {
  Secret token() throws InterruptedException;

  /** The API rejected this token (401): the next {@link #token()} fetches a new one. */
  void invalidate(Secret token);
}
