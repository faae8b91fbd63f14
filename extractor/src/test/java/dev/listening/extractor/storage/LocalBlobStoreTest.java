package dev.listening.extractor.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import dev.listening.extractor.storage.BlobStore.Blob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest extends BlobStoreContractTest {

  @TempDir Path root;

  @Override
  protected BlobStore newStore() {
    return new LocalBlobStore(root);
  }

  @Test
  void aResumeRemovesTheTempFilesOfAKilledWriterAtOnceAndKeepsThoseOfLiveOnes() throws Exception {
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor(10, TimeUnit.SECONDS);
    Process running = new ProcessBuilder("sleep", "60").start();
    try {
      Path dir = Files.createDirectories(root.resolve("_state"));
      Path killed = Files.writeString(dir.resolve(".a.json." + finished.pid() + "-1f.tmp"), "x");
      Path live = Files.writeString(dir.resolve(".b.json." + running.pid() + "-2e.tmp"), "x");
      Path ours =
          Files.writeString(
              dir.resolve(".c.json." + ProcessHandle.current().pid() + "-3d.tmp"), "x");
      Path unnamed = Files.writeString(dir.resolve(".d.json.4c.tmp"), "x");

      int removed = store.removeTempFiles("_state", java.time.Duration.ofMinutes(10));

      assertThat(removed).as("only the dead writer's temp file is removed").isEqualTo(1);
      assertThat(killed).doesNotExist();
      assertThat(List.of(live, ours, unnamed))
          .as("a live writer's file, and one without a pid younger than the age rule, stay")
          .allMatch(Files::exists);
    } finally {
      running.destroyForcibly();
    }
  }

  @Test
  void aReaderPollingDuringRepeatedReplacementNeverSeesAPartialObject() throws Exception {
    // Each version is 1 MiB of one repeated byte, so a torn or short read is easy to recognise.
    int size = 1024 * 1024;
    int versions = 24;
    byte[][] payloads = new byte[versions][];
    for (int v = 0; v < versions; v++) {
      payloads[v] = new byte[size];
      Arrays.fill(payloads[v], (byte) v);
    }
    store.put("raw/big.bin", payloads[0]);
    Path file = root.resolve("raw/big.bin");
    AtomicBoolean writing = new AtomicBoolean(true);

    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int v = 1; v < versions; v++) {
                  if (v % 2 == 0) {
                    store.put("raw/big.bin", payloads[v]);
                  } else {
                    store.putFile(
                        "raw/big.bin", Files.write(scratch.resolve("v" + v), payloads[v]));
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                writing.set(false);
              }
            });
    int reads = 0;
    while (writing.get()) {
      // Both through the store and as another program (Spark) would read the file.
      Blob blob = store.get("raw/big.bin").orElseThrow();
      assertWhole(blob.bytes());
      assertThat(blob.generation())
          .as("generation belongs to the bytes returned with it")
          .isEqualTo(LocalBlobStore.generationOf(Hashing.sha256().hashBytes(blob.bytes())));
      assertWhole(Files.readAllBytes(file));
      reads++;
    }
    writer.get(30, TimeUnit.SECONDS);

    assertThat(reads).as("the reader overlapped the writer").isGreaterThan(1);
    assertThat(store.get("raw/big.bin").orElseThrow().bytes()).isEqualTo(payloads[versions - 1]);
  }

  private static void assertWhole(byte[] bytes) {
    assertThat(bytes).hasSize(1024 * 1024);
    byte first = bytes[0];
    for (int i = 1; i < bytes.length; i++) {
      if (bytes[i] != first) {
        throw new AssertionError(
            "torn read: byte " + i + " is " + bytes[i] + ", byte 0 is " + first);
      }
    }
  }

  @Test
  void writesLeaveNoTempOrLockFilesInTheDataFolder() throws Exception {
    store.put("raw/a.json", utf8("a"));
    store.putIfGeneration("raw/a.json", utf8("b"), 0); // loses: exists
    store.putFile("raw/c.json", Files.writeString(scratch.resolve("c"), "c"));

    try (Stream<Path> files = Files.list(root.resolve("raw"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("a.json", "c.json");
    }
    assertThat(LocalBlobStore.lockFileOf(root.resolve("raw")))
        .as("the folder's lock lives outside it")
        .exists()
        .hasParent(LocalBlobStore.LOCK_FOLDER);
  }

  @Test
  void listSkipsStrayTempFilesAndHiddenFolders() throws Exception {
    store.put("raw/a.json", utf8("a"));
    // What a crashed writer or another tool might leave behind.
    Files.writeString(root.resolve("raw/.a.json.1f2e.tmp"), "partial");
    Files.createDirectories(root.resolve("raw/.staging"));
    Files.writeString(root.resolve("raw/.staging/b.json"), "b");

    assertThat(store.list("")).containsExactly("raw/a.json");
  }

  @Test
  void equalBytesHaveEqualGenerationsBecauseGenerationsAreContentHashes() throws Exception {
    long first = store.put("a.json", utf8("same"));
    long second = store.put("b.json", utf8("same"));

    assertThat(second).isEqualTo(first);
    assertThat(store.put("a.json", utf8("other"))).isNotEqualTo(first);
  }

  @Test
  void aFileCopiedInByAnotherToolHasAGenerationAndCanBeCompareAndSet() throws Exception {
    Files.createDirectories(root.resolve("state"));
    Files.writeString(root.resolve("state/cursor.json"), "1");

    long generation = store.get("state/cursor.json").orElseThrow().generation();

    assertThat(store.putIfGeneration("state/cursor.json", utf8("2"), generation)).isPresent();
    assertThat(Files.readString(root.resolve("state/cursor.json"))).isEqualTo("2");
  }

  @Test
  void opensPlainPathsAndFileUris() throws Exception {
    store.put("raw/a.json", utf8("a"));

    for (String spelling :
        List.of(root.toString(), root.toUri().toString(), "file:" + root.toAbsolutePath())) {
      try (BlobStore other = LocalBlobStore.open(spelling)) {
        assertThat(other.root()).as(spelling).isEqualTo(store.root());
        assertThat(other.get("raw/a.json")).as(spelling).isPresent();
      }
    }
  }

  @Test
  void rootIsAFileUriEndingInSlash() {
    assertThat(store.root().getScheme()).isEqualTo("file");
    assertThat(Path.of(store.root())).isEqualTo(root.toAbsolutePath());
    assertThat(store.uri("raw/a.json")).isEqualTo(root.resolve("raw/a.json").toUri().toString());
  }

  @Test
  void aRootThatIsAFileIsRejected() throws Exception {
    Path file = Files.writeString(scratch.resolve("not-a-folder"), "x");

    assertThatThrownBy(() -> new LocalBlobStore(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("folder");
  }

  @Test
  void aMalformedFileUriIsRejectedNamingIt() {
    assertThatThrownBy(() -> LocalBlobStore.open("file:relative/landing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'file:relative/landing'");
  }

  @Test
  void nothingIsCreatedUntilTheFirstWrite() throws Exception {
    Path notYet = root.resolve("landing");
    BlobStore lazy = new LocalBlobStore(notYet);

    assertThat(lazy.list("")).isEmpty();
    assertThat(lazy.get("a.json")).isEmpty();
    assertThat(lazy.delete("a.json")).isFalse();
    assertThat(Files.exists(notYet)).isFalse();

    lazy.put("raw/a.json", "a".getBytes(UTF_8));
    assertThat(Files.readString(notYet.resolve("raw/a.json"))).isEqualTo("a");
  }

  @Test
  void aFolderIsNotAnObject() throws Exception {
    store.put("raw/a.json", utf8("a"));

    assertThat(store.get("raw")).isEqualTo(Optional.empty());
    assertThat(store.delete("raw")).isFalse();
    assertThat(store.get("raw/a.json")).isPresent();
  }
}
