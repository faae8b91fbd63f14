package dev.listening.landing;

import java.util.Locale;

/**
 * The API surface a Spotify app has since 2026: most apps are in development mode (no batch
 * look-ups, no new releases, fewer fields); large businesses get extended quota mode. Every
 * envelope records the mode its page was fetched in ({@code app_mode}), since the two surfaces
 * carry different fields.
 */
public enum AppMode {
  DEVELOPMENT,
  EXTENDED;

  public static AppMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "app mode '" + value + "' is not one of: development, extended", e);
    }
  }

  /** As written in envelopes and manifests: "development", "extended". */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
