package dev.listening.landing;

import java.util.Map;

/**
 * One of {@code count} parallel workers of a run, and the {@code shard=i-of-n} segment of the
 * landing paths it writes. Which keys a shard owns is the extractor's business; the name is shared.
 */
public record Shard(int index, int count) {
  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "shard " + index + "/" + count + " is invalid: need 0 <= i < n, e.g. --shard 0/4");
    }
  }

  public static final Shard ONLY = new Shard(0, 1);

  /** Parses "i/n", e.g. "2/8". */
  public static Shard parse(String value) {
    String[] parts = value.trim().split("/");
    try {
      if (parts.length == 2) {
        return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "--shard '" + value + "' must look like i/n with 0 <= i < n, e.g. 0/4");
  }

  /**
   * The shard from Cloud Run's task variables (CLOUD_RUN_TASK_INDEX, CLOUD_RUN_TASK_COUNT), or the
   * only shard when they are absent.
   */
  public static Shard fromEnvironment(Map<String, String> env) {
    String index = env.get("CLOUD_RUN_TASK_INDEX");
    String count = env.get("CLOUD_RUN_TASK_COUNT");
    if (index == null || count == null) {
      return ONLY;
    }
    return parse(index + "/" + count);
  }

  /** Path segment: "shard=0-of-4". */
  public String pathSegment() {
    return LandingPartition.SHARD + "=" + index + "-of-" + count;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
