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
  /**
   * What the state says about one user.
   *
   * @param watermark the newest {@code played_at} landed
   * @param polledAt the API's clock ({@code Date} header) at the poll that saw that watermark; null
   *     in state written before it was kept, or when the API sent no {@code Date}
   */
  public record UserState(Instant watermark, Instant polledAt, String lastRun, Instant updatedAt) {}

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
   * Merges {@code updates} into the stored state: a user's watermark only ever moves forward and
   * keeps the poll time it was seen at (the pair bounds what a late play can be, see {@code
   * RecentlyPlayedRun}); last run and update time come from the update.
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
                  (old, neu) -> {
                    UserState newer = newerWatermark(old, neu);
                    return new UserState(
                        newer.watermark(), newer.polledAt(), neu.lastRun(), neu.updatedAt());
                  }));
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

  /**
   * The state with the newer watermark; on equal watermarks the later poll (both polls saw the same
   * plays, and the later one saw more time pass). A poll time is only ever kept with the watermark
   * of its own poll: paired with another poll's watermark it would not bound the plays still
   * unseen.
   */
  private static UserState newerWatermark(UserState old, UserState neu) {
    if (old.watermark() == null) {
      return neu.watermark() == null ? later(old, neu) : neu;
    }
    if (neu.watermark() == null || old.watermark().isAfter(neu.watermark())) {
      return old;
    }
    return neu.watermark().isAfter(old.watermark()) ? neu : later(old, neu);
  }

  private static UserState later(UserState a, UserState b) {
    if (a.polledAt() == null) {
      return b;
    }
    return b.polledAt() == null || a.polledAt().isAfter(b.polledAt()) ? a : b;
  }
}
