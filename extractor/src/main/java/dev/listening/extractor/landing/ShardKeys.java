package dev.listening.extractor.landing;

import com.google.common.hash.Hashing;
import dev.listening.landing.Shard;
import java.nio.charset.StandardCharsets;

/**
 * Which keys (user keys, ids, markets) a shard works on: a stable hash, so a re-run of shard i sees
 * exactly the keys the first run saw, and every key belongs to exactly one shard.
 */
public final class ShardKeys {
  private ShardKeys() {}

  public static boolean owns(Shard shard, String key) {
    if (shard.count() == 1) {
      return true;
    }
    int hash = Hashing.murmur3_32_fixed().hashString(key, StandardCharsets.UTF_8).asInt();
    return Math.floorMod(hash, shard.count()) == shard.index();
  }
}
