package dev.listening.landing;

/**
 * Where the extractor keeps its state: under {@code --state}, or {@code <landing>/_state} by
 * default. Readers that audit a run (or clean up after one) find it here.
 */
public final class StateLayout {
  private StateLayout() {}

  /** The default state folder, under the landing root. */
  public static final String DEFAULT_FOLDER = "_state";

  /**
   * What the extractor found out about the app's mode (development or extended) and how, relative
   * to the landing root: every command reads it, so a 403 seen once applies to all.
   */
  public static String appMode() {
    return DEFAULT_FOLDER + "/app_mode.json";
  }

  /** Every user's recently-played watermark, relative to the state root. */
  public static String watermarks() {
    return Endpoint.RECENTLY_PLAYED.landingName() + "/watermarks.json";
  }
}
