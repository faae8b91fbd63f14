package dev.listening.extractor.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.extractor.storage.BlobStore.Blob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link BlobStore} promises. Each implementation's test extends this and supplies a
 * fresh, empty store per test.
 */
abstract class BlobStoreContractTest {

  /** A fresh store with nothing in it. */
  protected abstract BlobStore newStore() throws Exception;

  protected BlobStore store;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @TempDir Path scratch;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("worker threads stop").isTrue();
    store.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void putThenGetReturnsTheBytesAndTheGenerationPutReturned() throws Exception {
    long generation = store.put("raw/plays/part-0.json", utf8("{\"a\":1}"));

    Optional<Blob> read = store.get("raw/plays/part-0.json");

    assertThat(generation).as("a stored object has a positive generation").isPositive();
    assertThat(read).isPresent();
    assertThat(read.get().bytes()).isEqualTo(utf8("{\"a\":1}"));
    assertThat(read.get().generation()).isEqualTo(generation);
  }

  @Test
  void getOfAMissingObjectIsEmpty() throws Exception {
    assertThat(store.get("raw/none.json")).isEmpty();
  }

  @Test
  void emptyObjectsRoundTrip() throws Exception {
    long generation = store.put("raw/_SUCCESS", new byte[0]);

    assertThat(store.get("raw/_SUCCESS"))
        .hasValueSatisfying(
            blob -> {
              assertThat(blob.bytes()).isEmpty();
              assertThat(blob.generation()).isEqualTo(generation);
            });
  }

  @Test
  void replacingAnObjectChangesItsGeneration() throws Exception {
    long first = store.put("state/cursor.json", utf8("{\"after\":1}"));
    long second = store.put("state/cursor.json", utf8("{\"after\":2}"));

    assertThat(second).isNotEqualTo(first);
    Blob now = store.get("state/cursor.json").orElseThrow();
    assertThat(now.generation()).isEqualTo(second);
    assertThat(now.bytes()).isEqualTo(utf8("{\"after\":2}"));
  }

  @Test
  void putIfGenerationWithTheCurrentGenerationReplaces() throws Exception {
    long current = store.put("state/cursor.json", utf8("1"));

    OptionalLong written = store.putIfGeneration("state/cursor.json", utf8("2"), current);

    assertThat(written).isPresent();
    assertThat(written.getAsLong()).isNotEqualTo(current);
    Blob now = store.get("state/cursor.json").orElseThrow();
    assertThat(now.bytes()).isEqualTo(utf8("2"));
    assertThat(now.generation()).isEqualTo(written.getAsLong());
  }

  @Test
  void putIfGenerationWithAStaleGenerationLeavesTheObjectAlone() throws Exception {
    long stale = store.put("state/cursor.json", utf8("1"));
    long current = store.put("state/cursor.json", utf8("2"));

    OptionalLong written = store.putIfGeneration("state/cursor.json", utf8("3"), stale);

    assertThat(written).isEmpty();
    Blob now = store.get("state/cursor.json").orElseThrow();
    assertThat(now.bytes()).isEqualTo(utf8("2"));
    assertThat(now.generation()).isEqualTo(current);
  }

  @Test
  void putIfGenerationZeroFailsWhenTheObjectExists() throws Exception {
    long current = store.put("state/lease.json", utf8("owner-a"));

    assertThat(store.putIfGeneration("state/lease.json", utf8("owner-b"), 0)).isEmpty();
    assertThat(store.get("state/lease.json").orElseThrow())
        .satisfies(blob -> assertThat(blob.bytes()).isEqualTo(utf8("owner-a")))
        .satisfies(blob -> assertThat(blob.generation()).isEqualTo(current));
  }

  @Test
  void putIfGenerationZeroCreatesAnAbsentObject() throws Exception {
    OptionalLong written = store.putIfGeneration("state/lease.json", utf8("owner-a"), 0);

    assertThat(written).isPresent();
    assertThat(store.get("state/lease.json").orElseThrow())
        .satisfies(blob -> assertThat(blob.bytes()).isEqualTo(utf8("owner-a")))
        .satisfies(blob -> assertThat(blob.generation()).isEqualTo(written.getAsLong()));
  }

  @Test
  void putIfGenerationOfAnAbsentObjectWithANonZeroGenerationFails() throws Exception {
    long gone = store.put("state/lease.json", utf8("owner-a"));
    store.delete("state/lease.json");

    assertThat(store.putIfGeneration("state/lease.json", utf8("owner-b"), gone)).isEmpty();
    assertThat(store.get("state/lease.json")).isEmpty();
  }

  @Test
  void racingCompareAndSetsHaveExactlyOneWinner() throws Exception {
    String path = "state/lease.json";
    for (int round = 0; round < 20; round++) {
      // Round 0 races to create (generation 0), later rounds race to replace.
      long expected = round == 0 ? 0 : store.get(path).orElseThrow().generation();
      CyclicBarrier start = new CyclicBarrier(2);
      List<Future<OptionalLong>> attempts = new ArrayList<>();
      for (String writer : List.of("a", "b")) {
        byte[] bytes = utf8("writer-" + writer + "-round-" + round);
        attempts.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return store.putIfGeneration(path, bytes, expected);
                }));
      }
      OptionalLong a = attempts.get(0).get(30, TimeUnit.SECONDS);
      OptionalLong b = attempts.get(1).get(30, TimeUnit.SECONDS);

      assertThat(a.isPresent() ^ b.isPresent())
          .as("exactly one winner in round %d", round)
          .isTrue();
      String winner = a.isPresent() ? "a" : "b";
      long winningGeneration = a.isPresent() ? a.getAsLong() : b.getAsLong();
      Blob now = store.get(path).orElseThrow();
      assertThat(new String(now.bytes(), UTF_8)).isEqualTo("writer-" + winner + "-round-" + round);
      assertThat(now.generation()).isEqualTo(winningGeneration);
    }
  }

  @Test
  void concurrentReadModifyWriteLosesNoUpdate() throws Exception {
    String path = "state/counter.txt";
    int threads = 3;
    int incrementsEach = 25;
    CyclicBarrier start = new CyclicBarrier(threads);
    Callable<Integer> incrementer =
        () -> {
          start.await(10, TimeUnit.SECONDS);
          int conflicts = 0;
          for (int done = 0; done < incrementsEach; ) {
            Optional<Blob> current = store.get(path);
            long value = current.map(b -> Long.parseLong(new String(b.bytes(), UTF_8))).orElse(0L);
            long generation = current.map(Blob::generation).orElse(0L);
            if (store
                .putIfGeneration(path, utf8(Long.toString(value + 1)), generation)
                .isPresent()) {
              done++;
            } else {
              conflicts++;
            }
          }
          return conflicts;
        };
    List<Future<Integer>> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      workers.add(pool.submit(incrementer));
    }
    for (Future<Integer> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }

    assertThat(new String(store.get(path).orElseThrow().bytes(), UTF_8))
        .as("every increment that reported success is in the final value")
        .isEqualTo(Integer.toString(threads * incrementsEach));
  }

  @Test
  void putFileIfGenerationPublishesANewObjectOnceAndReplacesOnlyTheCurrentGeneration()
      throws Exception {
    Path first = Files.writeString(scratch.resolve("first"), "first");
    Path second = Files.writeString(scratch.resolve("second"), "second");

    OptionalLong created = store.putFileIfGeneration("raw/part-00000.ndjson.gz", first, 0);
    OptionalLong again = store.putFileIfGeneration("raw/part-00000.ndjson.gz", second, 0);

    assertThat(created).isPresent();
    assertThat(again).as("a second 'must not exist' publish of the same name").isEmpty();
    Blob now = store.get("raw/part-00000.ndjson.gz").orElseThrow();
    assertThat(now.bytes()).isEqualTo(utf8("first"));
    assertThat(now.generation()).isEqualTo(created.getAsLong());
    assertThat(
            store.putFileIfGeneration("raw/part-00000.ndjson.gz", second, created.getAsLong() + 1))
        .as("a stale generation")
        .isEmpty();
    OptionalLong replaced =
        store.putFileIfGeneration("raw/part-00000.ndjson.gz", second, created.getAsLong());
    assertThat(replaced).isPresent();
    assertThat(store.get("raw/part-00000.ndjson.gz").orElseThrow().bytes())
        .isEqualTo(utf8("second"));
  }

  @Test
  void racingFilePublishesOfOneNewNameHaveExactlyOneWinner() throws Exception {
    for (int round = 0; round < 10; round++) {
      String path = "raw/part-" + round + ".ndjson.gz";
      CyclicBarrier start = new CyclicBarrier(2);
      List<Future<OptionalLong>> attempts = new ArrayList<>();
      for (String writer : List.of("a", "b")) {
        Path file = Files.writeString(scratch.resolve(writer + "-" + round), "writer-" + writer);
        attempts.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return store.putFileIfGeneration(path, file, 0);
                }));
      }
      OptionalLong a = attempts.get(0).get(30, TimeUnit.SECONDS);
      OptionalLong b = attempts.get(1).get(30, TimeUnit.SECONDS);

      assertThat(a.isPresent() ^ b.isPresent())
          .as("exactly one winner in round %d", round)
          .isTrue();
      assertThat(new String(store.get(path).orElseThrow().bytes(), UTF_8))
          .as("the winner's bytes stay")
          .isEqualTo(a.isPresent() ? "writer-a" : "writer-b");
    }
  }

  @Test
  void listReturnsSortedRelativePathsUnderAPrefix() throws Exception {
    for (String path :
        List.of("b/2.json", "b/sub/3.json", "a/x.json", "b/1.json", "bx.json", "b/_SUCCESS")) {
      store.put(path, utf8(path));
    }

    assertThat(store.list("b/"))
        .containsExactly("b/1.json", "b/2.json", "b/_SUCCESS", "b/sub/3.json");
    assertThat(store.list("b"))
        .as("a prefix may end part-way through a name, as on GCS")
        .containsExactly("b/1.json", "b/2.json", "b/_SUCCESS", "b/sub/3.json", "bx.json");
    assertThat(store.list("b/sub/3")).containsExactly("b/sub/3.json");
    assertThat(store.list(""))
        .containsExactly(
            "a/x.json", "b/1.json", "b/2.json", "b/_SUCCESS", "b/sub/3.json", "bx.json");
    assertThat(store.list("c/")).isEmpty();
  }

  @Test
  void listShowsOnlyObjectsNeverTempOrLockFiles() throws Exception {
    store.put("raw/a.json", utf8("a"));
    store.putIfGeneration("raw/b.json", utf8("b"), 0);
    store.putFile("raw/c.json", Files.writeString(scratch.resolve("c.json"), "c"));
    store.putIfGeneration("raw/a.json", utf8("lost"), 12345);

    assertThat(store.list("")).containsExactly("raw/a.json", "raw/b.json", "raw/c.json");
  }

  @Test
  void deleteRemovesAnObjectAndReportsWhetherItExisted() throws Exception {
    store.put("raw/a.json", utf8("a"));
    store.put("raw/b.json", utf8("b"));

    assertThat(store.delete("raw/a.json")).isTrue();
    assertThat(store.delete("raw/a.json")).isFalse();
    assertThat(store.delete("raw/never.json")).isFalse();
    assertThat(store.get("raw/a.json")).isEmpty();
    assertThat(store.list("raw/")).containsExactly("raw/b.json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../outside.json",
        "raw/../../outside.json",
        "/etc/passwd",
        "raw/./a.json",
        "raw//a.json",
        "raw/",
        "",
        "raw\\a.json",
        "raw/.hidden.json",
        "raw/dt=2026-01-01T10:00/a.json"
      })
  void pathsThatEscapeTheRootOrCannotBeReadBackAreRejected(String path) {
    List<ThrowingCall> calls =
        List.of(
            () -> store.put(path, utf8("x")),
            () -> store.putFile(path, Files.writeString(scratch.resolve("f"), "x")),
            () -> store.get(path),
            () -> store.putIfGeneration(path, utf8("x"), 0),
            () -> store.delete(path),
            () -> store.uri(path));
    for (ThrowingCall call : calls) {
      assertThatThrownBy(call::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + path + "'");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../", "/abs", "raw/../..", "raw//"})
  void listPrefixesThatEscapeTheRootAreRejected(String prefix) {
    assertThatThrownBy(() -> store.list(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + prefix + "'");
  }

  @Test
  void negativeExpectedGenerationIsRejected() {
    assertThatThrownBy(() -> store.putIfGeneration("state/a.json", utf8("x"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void putFileOfAMultiMegabyteFileRoundTripsByteForByte() throws Exception {
    byte[] content = new byte[6 * 1024 * 1024 + 17];
    new Random(42).nextBytes(content);
    Path local = Files.write(scratch.resolve("export.json.gz"), content);

    long generation = store.putFile("raw/export.json.gz", local);

    Blob read = store.get("raw/export.json.gz").orElseThrow();
    assertThat(read.generation()).isEqualTo(generation);
    assertThat(read.bytes()).as("same bytes").isEqualTo(content);
    assertThat(Files.exists(local)).as("the local file is left in place").isTrue();
  }

  @Test
  void putFileOfAMissingLocalFileFailsAndPublishesNothing() throws Exception {
    Path missing = scratch.resolve("never-written.json");

    assertThatThrownBy(() -> store.putFile("raw/a.json", missing))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining(missing.toString());
    assertThat(store.get("raw/a.json")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void putFileReplacesAnExistingObject() throws Exception {
    long first = store.put("raw/a.json", utf8("old"));

    long second = store.putFile("raw/a.json", Files.writeString(scratch.resolve("a"), "new"));

    assertThat(second).isNotEqualTo(first);
    assertThat(store.get("raw/a.json").orElseThrow().bytes()).isEqualTo(utf8("new"));
  }

  @Test
  void uriIsTheRootFollowedByThePath() {
    String root = store.root().toString();

    assertThat(root).endsWith("/");
    assertThat(store.uri("raw/dt=2026-01-01/part-0.json"))
        .isEqualTo(root + "raw/dt=2026-01-01/part-0.json");
  }

  @FunctionalInterface
  interface ThrowingCall {
    Object run() throws Exception;
  }
}
