package dev.listening.landing;

import java.util.Locale;

/**
 * The catalog objects that are looked up by id: the {@code entity_type} of the look-up list, and
 * the landing endpoint each look-up lands under.
 */
public enum CatalogKind {
  TRACK(Endpoint.TRACKS, 50),
  ALBUM(Endpoint.ALBUMS, 20),
  ARTIST(Endpoint.ARTISTS, 50);

  private final Endpoint endpoint;
  private final int maxBatch;

  CatalogKind(Endpoint endpoint, int maxBatch) {
    this.endpoint = endpoint;
    this.maxBatch = maxBatch;
  }

  /**
   * The most ids one batch look-up takes (Spotify's limits: 50 tracks, 20 albums, 50 artists), so
   * the most objects one landed batch page holds.
   */
  public int maxBatch() {
    return maxBatch;
  }

  /** "track", "album", "artist": the look-up list's {@code entity_type}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Where this kind's look-ups land; its landing name is also the API path segment. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** Accepts the singular ("track") and the plural ("tracks"), any case. */
  public static CatalogKind parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (CatalogKind k : values()) {
      if (k.wireName().equals(v) || k.endpoint.landingName().equals(v)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "entity type '" + value + "' is not one of: track, album, artist");
  }
}
