package dev.listening.extractor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobStoresTest {

  @TempDir Path folder;

  private final AtomicInteger clientsMade = new AtomicInteger();
  private final Supplier<Storage> gcsClient =
      () -> {
        clientsMade.incrementAndGet();
        return LocalStorageHelper.getOptions().getService();
      };

  @Test
  void aFolderPathOpensALocalStore() throws Exception {
    try (BlobStore store = BlobStores.open(folder.toString(), gcsClient)) {
      assertThat(store).isInstanceOf(LocalBlobStore.class);
      assertThat(Path.of(store.root())).isEqualTo(folder.toAbsolutePath());
    }
    assertThat(clientsMade).as("no GCS client for a local root").hasValue(0);
  }

  @Test
  void aFileUriOpensALocalStore() throws Exception {
    try (BlobStore store = BlobStores.open(folder.toUri().toString(), gcsClient)) {
      assertThat(store).isInstanceOf(LocalBlobStore.class);
      assertThat(Path.of(store.root())).isEqualTo(folder.toAbsolutePath());
    }
  }

  @Test
  void aGsUriOpensAGcsStore() throws Exception {
    try (BlobStore store = BlobStores.open("gs://landing-bucket/raw", gcsClient)) {
      assertThat(store).isInstanceOf(GcsBlobStore.class);
      assertThat(store.root()).hasToString("gs://landing-bucket/raw/");
    }
    assertThat(clientsMade).hasValue(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3://x", "hdfs://namenode/landing", "https://example.com/landing"})
  void otherSchemesAreRejectedSayingWhatIsSupported(String root) {
    assertThatThrownBy(() -> BlobStores.open(root, gcsClient))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "landing root '"
                + root
                + "' is not supported: use a local folder or gs://bucket/prefix");
  }

  @Test
  void aMalformedGsRootIsRejectedBeforeAnyClientIsMade() {
    assertThatThrownBy(() -> BlobStores.open("gs://Bad_Bucket!/x", gcsClient))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'gs://Bad_Bucket!/x'")
        .hasMessageContaining("gs://bucket/prefix");
    assertThat(clientsMade).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void anEmptyRootIsRejected(String root) {
    assertThatThrownBy(() -> BlobStores.open(root, gcsClient))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("landing root is empty");
  }
}
