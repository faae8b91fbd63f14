package dev.listening.extractor.config;

import java.util.Locale;

/**
 * Which Spotify a run talks to. The simulator by default, so a local run never reaches the real
 * Spotify by accident; {@code spotify} is the one switch to production. Each target's URLs can
 * still be overridden (a proxy, a simulator elsewhere).
 */
public enum Target {
  /** The local simulator (java -jar simulator.jar), on its default port. */
  SIMULATOR("http://127.0.0.1:8090/v1", "http://127.0.0.1:8090"),
  /** The real Web API and accounts service. */
  SPOTIFY("https://api.spotify.com/v1", "https://accounts.spotify.com");

  private final String apiBaseUrl;
  private final String accountsBaseUrl;

  Target(String apiBaseUrl, String accountsBaseUrl) {
    this.apiBaseUrl = apiBaseUrl;
    this.accountsBaseUrl = accountsBaseUrl;
  }

  public String apiBaseUrl() {
    return apiBaseUrl;
  }

  public String accountsBaseUrl() {
    return accountsBaseUrl;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Target parse(String value) {
    for (Target t : values()) {
      if (t.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "--target '" + value + "' is not one of: simulator, spotify (env SPOTIFY_TARGET)");
  }
}
