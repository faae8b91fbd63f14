package dev.listening.extractor.landing;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One of {@code count} parallel workers. Keys (user keys, ids, markets) go to shards by a stable
 * hash, so a re-run of shard i sees exactly the keys the first run saw.
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

  public boolean owns(String key) {
    if (count == 1) {
      return true;
    }
    int hash = Hashing.murmur3_32_fixed().hashString(key, StandardCharsets.UTF_8).asInt();
    return Math.floorMod(hash, count) == index;
  }

  /** Path segment: "shard=0-of-4". */
  public String pathSegment() {
    return "shard=" + index + "-of-" + count;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
