package dev.listening.extractor.api;

import java.util.Locale;

/** Catalog objects the extractor looks up, with the batch size each batch endpoint allows. */
public enum EntityKind {
  TRACK("tracks", 50),
  ALBUM("albums", 20),
  ARTIST("artists", 50);

  private final String pathSegment;
  private final int maxBatch;

  EntityKind(String pathSegment, int maxBatch) {
    this.pathSegment = pathSegment;
    this.maxBatch = maxBatch;
  }

  /** Path segment and landing endpoint name: "tracks", "albums", "artists". */
  public String plural() {
    return pathSegment;
  }

  public int maxBatch() {
    return maxBatch;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EntityKind parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (EntityKind k : values()) {
      if (k.wireName().equals(v) || k.plural().equals(v)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "entity type '" + value + "' is not one of: track, album, artist");
  }
}
