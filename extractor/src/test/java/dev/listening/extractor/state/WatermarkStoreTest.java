package dev.listening.extractor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.extractor.api.Timing;
import dev.listening.extractor.state.WatermarkStore.UserState;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.LocalBlobStore;
import dev.listening.landing.StateLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatermarkStoreTest {
  @TempDir Path root;
  private static final Instant T1 = Instant.parse("2026-11-20T10:00:00.123Z");
  private static final Instant T2 = Instant.parse("2026-11-20T11:00:00.456Z");

  private WatermarkStore store(BlobStore blobs) {
    return new WatermarkStore(blobs, StateLayout.watermarks(), Timing.SYSTEM);
  }

  @Test
  void watermarksOnlyMoveForward() throws Exception {
    WatermarkStore s = store(new LocalBlobStore(root));
    s.commit(Map.of("u1", new UserState(T2, T2, "run-a", T2)));
    s.commit(
        Map.of(
            "u1", new UserState(T1, T2, "run-b", T2), "u2", new UserState(null, T2, "run-b", T2)));

    Map<String, UserState> loaded = s.load();
    assertThat(loaded.get("u1").watermark()).isEqualTo(T2);
    assertThat(loaded.get("u1").lastRun()).isEqualTo("run-b");
    assertThat(loaded.get("u2").watermark()).isNull();
  }

  @Test
  void aWatermarkKeepsThePollTimeItWasSeenAt() throws Exception {
    WatermarkStore s = store(new LocalBlobStore(root));
    Instant t3 = Instant.parse("2026-11-20T12:00:00Z");
    s.commit(Map.of("u1", new UserState(T2, T2, "run-a", T2)));
    // An older watermark from a later poll (a run that read less): the pair stays as it was.
    s.commit(Map.of("u1", new UserState(T1, t3, "run-b", t3)));
    assertThat(s.load().get("u1").polledAt()).isEqualTo(T2);
    // The same watermark seen again later: the later poll bounds what is still unseen.
    s.commit(Map.of("u1", new UserState(T2, t3, "run-c", t3)));
    assertThat(s.load().get("u1").polledAt()).isEqualTo(t3);
    // State written before poll times were kept reads as null (the lookback falls back).
    LocalBlobStore blobs = new LocalBlobStore(root.resolve("old"));
    blobs.put(
        StateLayout.watermarks(),
        ("{\"schema\":1,\"users\":{\"u1\":{\"watermark\":\"2026-11-20T10:00:00.123Z\","
                + "\"last_run\":\"poll-10\",\"updated_at\":\"2026-11-20T10:00:05Z\"}}}")
            .getBytes(StandardCharsets.UTF_8));
    UserState old = store(blobs).load().get("u1");
    assertThat(old.watermark()).isEqualTo(T1);
    assertThat(old.polledAt()).isNull();
  }

  @Test
  void concurrentWritersMergeInsteadOfOverwritingEachOther() throws Exception {
    BlobStore blobs = new LocalBlobStore(root);
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      String user = "u" + i;
      done.add(
          pool.submit(
              () -> {
                go.await();
                store(blobs).commit(Map.of(user, new UserState(T1, T1, "run-" + user, T1)));
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(store(blobs).load()).hasSize(writers);
  }

  @Test
  void aCorruptStateFileIsReportedWithWhatToDo() throws Exception {
    BlobStore blobs = new LocalBlobStore(root);
    blobs.put(StateLayout.watermarks(), "{not json".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> store(blobs).load())
        .hasMessageContaining("watermarks.json")
        .hasMessageContaining("restore it");
  }
}
