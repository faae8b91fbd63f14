package dev.listening.landing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named points in the landing protocol where a crash test can stop the process dead, as a SIGKILL
 * would, at the moments that matter for durability: a part written but not published, published but
 * not listed, listed but its watermarks not committed. Off unless the JVM is started with {@code
 * -Dextractor.failpoint=<name>:<n>} (halt at the n-th time the point is reached); production never
 * sets it.
 */
public final class Failpoints {
  /** The JVM option that names the failpoint and the hit to halt at. */
  public static final String PROPERTY = "extractor.failpoint";

  public static final String PART_WRITTEN = "part-written";
  public static final String PART_PUBLISHED = "part-published";
  public static final String PART_LISTED = "part-listed";

  private static final String SETTING = System.getProperty(PROPERTY, "");
  private static final AtomicInteger HITS = new AtomicInteger();

  private Failpoints() {}

  /** Halts the JVM here (no shutdown hook, no flush) when this point is the configured one. */
  public static void reach(String name) {
    if (SETTING.isEmpty() || !SETTING.startsWith(name + ":")) {
      return;
    }
    int at = Integer.parseInt(SETTING.substring(name.length() + 1));
    if (HITS.incrementAndGet() == at) {
      Runtime.getRuntime().halt(137);
    }
  }
}
