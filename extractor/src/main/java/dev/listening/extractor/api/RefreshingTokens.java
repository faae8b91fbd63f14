package dev.listening.extractor.api;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Caches one access token and fetches a new one shortly before it expires or after the API rejected
 * it. Two flavours: the app's client-credentials token (catalog calls) and a user's token from
 * their refresh token (recently-played, playlists).
 */
public final class RefreshingTokens implements AccessTokenSource {
  /** Refresh this long before expiry, so a token never dies in flight. */
  private static final Duration EARLY = Duration.ofSeconds(60);

  /**
   * Gets a grant for the refresh token held. Its {@code newRefreshToken} is the one to hold from
   * now on: rotated by Spotify, or found newer where tokens are stored (another shard rotated it).
   */
  @FunctionalInterface
  public interface Grantor {
    TokenGrant grant(Secret refreshToken) throws InterruptedException;
  }

  private final Grantor grantor;
  private final Timing timing;
  private final Consumer<Secret> onRotated;
  private Secret refreshToken;
  private Secret accessToken;
  private long expiresAtNanos;

  private RefreshingTokens(
      Grantor grantor, Secret refreshToken, Timing timing, Consumer<Secret> onRotated) {
    this.grantor = grantor;
    this.refreshToken = refreshToken;
    this.timing = timing;
    this.onRotated = onRotated;
  }

  /** The app's own token (client-credentials grant): catalog endpoints only. */
  public static RefreshingTokens forApp(AccountsClient accounts, Timing timing) {
    return new RefreshingTokens(rt -> accounts.clientCredentials(), null, timing, rt -> {});
  }

  /**
   * A user's token. When Spotify rotates the refresh token, {@code onRotated} receives the new one
   * so it can be stored; when it does not, the old one is kept.
   */
  public static RefreshingTokens forUser(
      AccountsClient accounts, Secret refreshToken, Timing timing, Consumer<Secret> onRotated) {
    return new RefreshingTokens(accounts::refresh, refreshToken, timing, onRotated);
  }

  /**
   * A user's token from a grantor that stores rotated tokens itself (under a lease shared with
   * other shards, see {@code Extraction#userTokens}).
   */
  public static RefreshingTokens forUser(Grantor grantor, Secret refreshToken, Timing timing) {
    return new RefreshingTokens(grantor, refreshToken, timing, rt -> {});
  }

  @Override
  public synchronized Secret token() throws InterruptedException {
    if (accessToken == null || timing.nanoTime() >= expiresAtNanos) {
      TokenGrant grant = grantor.grant(refreshToken);
      accessToken = grant.accessToken();
      expiresAtNanos = timing.nanoTime() + grant.expiresIn().minus(EARLY).toNanos();
      if (grant.newRefreshToken() != null && !grant.newRefreshToken().equals(refreshToken)) {
        refreshToken = grant.newRefreshToken();
        onRotated.accept(refreshToken);
      }
    }
    return accessToken;
  }

  /** The refresh token in use: the one given, or the last one Spotify rotated it to. */
  public synchronized Secret refreshToken() {
    return refreshToken;
  }

  @Override
  public synchronized void invalidate(Secret token) {
    if (token.equals(accessToken)) {
      accessToken = null;
    }
  }
}
