package dev.listening.simulator;

/**
 * Stateless hashing used for every seeded decision. A decision that hashes its inputs (instead of
 * drawing from a shared random stream) does not depend on the order in which threads ask.
 */
final class Mix {
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Mix() {}

  /** SplitMix64 finaliser: a bijective, well-spread mix of one long. */
  static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long hash(long a, long b) {
    return mix(a ^ mix(b ^ 0x632BE59BD9B4E019L));
  }

  static long hash(long a, long b, long c) {
    return hash(hash(a, b), c);
  }

  static long hash(long a, long b, long c, long d) {
    return hash(hash(hash(a, b), c), d);
  }

  /** FNV-1a over UTF-16 code units, then mixed: good enough to key maps and decisions. */
  static long hash(CharSequence s) {
    long h = 0xCBF29CE484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001B3L;
    }
    return mix(h);
  }

  /** A uniform double in [0, 1) from a hash. */
  static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }

  /** A 22-character base62 id, like Spotify's, derived from two hashes. */
  static String base62Id(long h1, long h2) {
    char[] out = new char[22];
    long x = h1;
    for (int i = 0; i < 11; i++) {
      out[i] = BASE62[(int) Long.remainderUnsigned(x, 62)];
      x = Long.divideUnsigned(x, 62);
    }
    x = h2;
    for (int i = 11; i < 22; i++) {
      out[i] = BASE62[(int) Long.remainderUnsigned(x, 62)];
      x = Long.divideUnsigned(x, 62);
    }
    return new String(out);
  }

  static boolean isBase62Id(String id) {
    if (id == null || id.length() != 22) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String hex(long h, int chars) {
    StringBuilder sb = new StringBuilder(chars);
    long x = h;
    for (int i = 0; i < chars; i++) {
      if (i % 16 == 0 && i > 0) {
        x = mix(x);
      }
      sb.append(Character.forDigit((int) ((x >>> ((i % 16) * 4)) & 0xF), 16));
    }
    return sb.toString();
  }
}
