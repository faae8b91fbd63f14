package dev.listening.extractor.users;

import dev.listening.extractor.api.Secret;
import java.io.IOException;
import java.util.List;

/** Where users and their refresh tokens come from, and where rotated tokens go back to. */
public interface UserSource {
  List<UserCredential> load() throws IOException, InterruptedException;

  /** Spotify issued a new refresh token for this user: store it so the next run uses it. */
  void rotated(UserCredential user, dev.listening.extractor.api.Secret newRefreshToken)
      throws IOException, InterruptedException;

  /** The key of a user that had none was looked up: store it, so no later run asks again. */
  void keyed(UserCredential user, String key) throws IOException, InterruptedException;

  /** A user authorized the app: add them, or replace their refresh token when already there. */
  void upsert(String key, Secret refreshToken) throws IOException, InterruptedException;

  /** For messages: where the users come from (never a token). */
  String describe();

  /**
   * False for a source that keeps no rotated token (the simulator's users, whose old tokens stay
   * valid): nothing to coordinate between shards then.
   */
  default boolean storesRotations() {
    return true;
  }

  /**
   * True when a write cannot lose another shard's concurrent write (a compare-and-set on the
   * document); false when the last writer wins (Secret Manager versions).
   */
  default boolean comparesAndSets() {
    return false;
  }

  /** The refresh token stored now for a user, which another shard may have rotated. */
  default java.util.Optional<Secret> storedToken(String key)
      throws IOException, InterruptedException {
    return load().stream()
        .filter(u -> key.equals(u.key()))
        .map(UserCredential::refreshToken)
        .findFirst();
  }
}
