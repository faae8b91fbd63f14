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

  /**
   * The lease a shard holds while it refreshes a user's token and stores the rotated one, relative
   * to the landing root: every command that uses user tokens lands there, so they all see it. The
   * key is hashed into the name, which then needs no escaping.
   */
  public static String tokenLease(String userKey) {
    return DEFAULT_FOLDER + "/token_leases/user-" + sha256Hex(userKey).substring(0, 32) + ".json";
  }

  /** The lease a writer of a users document without compare-and-set (Secret Manager) holds. */
  public static String usersDocumentLease() {
    return DEFAULT_FOLDER + "/token_leases/users-document.json";
  }

  private static String sha256Hex(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Every user's recently-played watermark, relative to the state root. */
  public static String watermarks() {
    return Endpoint.RECENTLY_PLAYED.landingName() + "/watermarks.json";
  }
}
