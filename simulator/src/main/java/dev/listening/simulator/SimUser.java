package dev.listening.simulator;

import java.util.List;

/**
 * A simulated user as a consent database would hold them.
 *
 * @param key stable pseudonymous key like {@code u00001} (not a Spotify user id)
 * @param refreshToken the refresh token granted at consent
 * @param tokenExpired whether that refresh token has expired (refreshing answers invalid_grant)
 * @param playlistIds playlists the user owns
 */
public record SimUser(
    String key, String refreshToken, boolean tokenExpired, List<String> playlistIds) {
  public SimUser {
    playlistIds = List.copyOf(playlistIds);
  }

  /** Keeps the refresh token out of logs and assertion messages. */
  @Override
  public String toString() {
    return "SimUser[key="
        + key
        + ", tokenExpired="
        + tokenExpired
        + ", playlistIds="
        + playlistIds
        + "]";
  }
}
