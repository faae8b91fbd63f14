package dev.listening.landing;

import java.util.Locale;

/**
 * What is looked up by id: the {@code entity_type} of the look-up list, and the landing endpoint
 * each look-up lands under. Tracks, albums and artists are catalog objects ({@code GET
 * /tracks/{id}} or {@code /tracks?ids=}, ...); an album's track list is asked for by the album's id
 * ({@code GET /albums/{id}/tracks}, paged, with no batch form).
 */
public enum CatalogKind {
  TRACK(Endpoint.TRACKS, 50),
  ALBUM(Endpoint.ALBUMS, 20),
  ARTIST(Endpoint.ARTISTS, 50),
  /** The complete track list of an album, by the album's id ("album_tracks,&lt;album id&gt;"). */
  ALBUM_TRACKS(Endpoint.ALBUM_TRACKS, 1);

  private final Endpoint endpoint;
  private final int maxBatch;

  CatalogKind(Endpoint endpoint, int maxBatch) {
    this.endpoint = endpoint;
    this.maxBatch = maxBatch;
  }

  /**
   * The most ids one batch look-up takes (Spotify's limits: 50 tracks, 20 albums, 50 artists), so
   * the most objects one landed batch page holds; 1 for album track lists, which have no batch
   * form.
   */
  public int maxBatch() {
    return maxBatch;
  }

  /** Whether one call can look up several ids ({@code ?ids=}, extended-mode apps only). */
  public boolean hasBatchForm() {
    return this != ALBUM_TRACKS;
  }

  /** "track", "album", "artist", "album_tracks": the look-up list's {@code entity_type}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Where this kind's look-ups land; for tracks, albums and artists its landing name is also the
   * API path segment.
   */
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
        "entity type '" + value + "' is not one of: track, album, artist, album_tracks");
  }
}
