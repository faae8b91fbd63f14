package dev.listening.extractor.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.Json;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.storage.BlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Leases on objects of a blob store, so that one holder at a time (across threads, processes and
 * machines) does something that must not interleave, such as spending a single-use refresh token. A
 * lease is taken by creating its object with a generation precondition (create if absent) and given
 * back by deleting it; one whose holder died is taken over once its term has passed.
 */
public final class Leases {
  /** Longer than a token refresh with all its retries takes; a dead holder blocks this long. */
  public static final Duration TERM = Duration.ofSeconds(90);

  private final BlobStore store;
  private final Clock clock;
  private final Timing timing;
  private final Duration term;
  private final String owner = UUID.randomUUID().toString();

  public Leases(BlobStore store, Clock clock, Timing timing) {
    this(store, clock, timing, TERM);
  }

  Leases(BlobStore store, Clock clock, Timing timing, Duration term) {
    this.store = store;
    this.clock = clock;
    this.timing = timing;
    this.term = term;
  }

  /** What runs under a lease. */
  @FunctionalInterface
  public interface Action<T> {
    T run() throws IOException, InterruptedException;
  }

  /** Runs {@code action} holding the lease at {@code path}, waiting while another holds it. */
  public <T> T holding(String path, Action<T> action) throws IOException, InterruptedException {
    long generation = take(path);
    try {
      return action.run();
    } finally {
      release(path, generation);
    }
  }

  private long take(String path) throws IOException, InterruptedException {
    Instant giveUp = clock.instant().plus(term.multipliedBy(2));
    long waitMs = 20;
    while (true) {
      byte[] mine = lease(clock.instant().plus(term));
      OptionalLong taken = store.putIfGeneration(path, mine, 0);
      if (taken.isPresent()) {
        return taken.getAsLong();
      }
      Optional<BlobStore.Blob> held = store.get(path);
      if (held.isPresent() && expired(held.get().bytes())) {
        taken = store.putIfGeneration(path, mine, held.get().generation());
        if (taken.isPresent()) {
          return taken.getAsLong();
        }
      }
      if (clock.instant().isAfter(giveUp)) {
        throw new IOException(
            "the lease "
                + store.uri(path)
                + " stayed taken for "
                + term.multipliedBy(2).toSeconds()
                + " s: another extractor holds it, or a clock is off; when no other extractor"
                + " runs, delete that object");
      }
      timing.sleep(Duration.ofMillis(waitMs + ThreadLocalRandom.current().nextLong(waitMs)));
      waitMs = Math.min(500, waitMs * 2);
    }
  }

  /** Deletes the lease when it is still this holder's (not taken over after its term). */
  private void release(String path, long generation) throws IOException {
    Optional<BlobStore.Blob> held = store.get(path);
    if (held.isPresent() && held.get().generation() == generation) {
      store.delete(path);
    }
  }

  private byte[] lease(Instant expiresAt) {
    return ("{\"owner\":\"" + owner + "\",\"expires_at\":\"" + expiresAt + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Past its term, or unreadable (nothing a holder wrote): free to take over. */
  private boolean expired(byte[] bytes) {
    try {
      JsonNode lease = Json.mapper().readTree(bytes);
      return !Instant.parse(lease.path("expires_at").asText()).isAfter(clock.instant());
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }
}
