package dev.listening.landing;

/**
 * Where the extractor keeps its state: under {@code --state}, or {@code <landing>/_state} by
 * default. Readers that audit a run (or clean up after one) find it here.
 */
public final class StateLayout {
  private StateLayout() {}

  /** The default state folder, under the landing root. */
  public static final String DEFAULT_FOLDER = "_state";

  /** Every user's recently-played watermark, relative to the state root. */
  public static String watermarks() {
    return Endpoint.RECENTLY_PLAYED.landingName() + "/watermarks.json";
  }
}
