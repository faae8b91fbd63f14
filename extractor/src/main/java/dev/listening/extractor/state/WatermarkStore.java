package dev.listening.extractor.state;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.listening.extractor.Json;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.storage.BlobStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-user recently-played watermarks (the newest {@code played_at} landed) in one JSON object.
 *
 * <p>Every commit is a compare-and-set on the object's generation: when two runs (or two shards)
 * write at once, the loser re-reads and merges instead of overwriting. Merging keeps the newest
 * watermark per user, which is safe because each run only commits watermarks whose pages are
 * already durable.
 */
public final class WatermarkStore {
  /** What the state says about one user. */
  public record UserState(Instant watermark, String lastRun, Instant updatedAt) {}

  private record Document(int schema, Map<String, UserState> users) {}

  private static final int MAX_CONFLICTS = 20;

  private final BlobStore store;
  private final String path;
  private final Timing timing;

  public WatermarkStore(BlobStore store, String path, Timing timing) {
    this.store = store;
    this.path = path;
    this.timing = timing;
  }

  public String uri() {
    return store.uri(path);
  }

  public Map<String, UserState> load() throws IOException {
    return read().users();
  }

  /**
   * Merges {@code updates} into the stored state: a user's watermark only ever moves forward; last
   * run and update time come from the update.
   */
  public void commit(Map<String, UserState> updates) throws IOException, InterruptedException {
    if (updates.isEmpty()) {
      return;
    }
    for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
      Optional<BlobStore.Blob> current = store.get(path);
      Map<String, UserState> users =
          new TreeMap<>(current.isEmpty() ? Map.of() : parse(current.get().bytes()).users());
      updates.forEach(
          (user, update) ->
              users.merge(
                  user,
                  update,
                  (old, neu) ->
                      new UserState(
                          later(old.watermark(), neu.watermark()),
                          neu.lastRun(),
                          neu.updatedAt())));
      byte[] bytes =
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(new Document(1, users));
      OptionalLong written =
          store.putIfGeneration(path, bytes, current.map(BlobStore.Blob::generation).orElse(0L));
      if (written.isPresent()) {
        return;
      }
      // Another writer committed in between: back off a little, then merge onto theirs.
      timing.sleep(Duration.ofMillis(10 + ThreadLocalRandom.current().nextInt(40 * attempt)));
    }
    throw new IOException(
        "watermark state "
            + uri()
            + " changed under this run "
            + MAX_CONFLICTS
            + " times in a row: another run keeps writing it; the landed data is safe, re-run"
            + " later to commit the watermarks");
  }

  private Document read() throws IOException {
    Optional<BlobStore.Blob> blob = store.get(path);
    return blob.isEmpty() ? new Document(1, Map.of()) : parse(blob.get().bytes());
  }

  private Document parse(byte[] bytes) throws IOException {
    try {
      Document d = Json.mapper().readValue(bytes, new TypeReference<Document>() {});
      return d.users() == null ? new Document(d.schema(), Map.of()) : d;
    } catch (IOException e) {
      throw new IOException(
          "watermark state "
              + uri()
              + " is not valid JSON ("
              + e.getMessage()
              + "); restore it from its previous generation or delete it to start from --start-from",
          e);
    }
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }
}
