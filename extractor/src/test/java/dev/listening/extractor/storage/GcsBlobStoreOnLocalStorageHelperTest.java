package dev.listening.extractor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.listening.extractor.storage.BlobStore.Blob;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GcsBlobStore over LocalStorageHelper's in-memory Storage, wrapped in GenerationEnforcingStorage
 * because that fake has no generations of its own (see there). So this proves GcsBlobStore's side
 * of compare-and-set (preconditions sent, 412 read as "lost", generations taken from responses),
 * not GCS's; GcsBlobStoreFakeGcsServerTest runs the same contract against an HTTP emulator.
 */
class GcsBlobStoreOnLocalStorageHelperTest extends BlobStoreContractTest {

  private static final String BUCKET = "landing-bucket";

  private Storage storage;

  @Override
  protected BlobStore newStore() {
    // getOptions() resets the helper's shared in-memory state, so every test starts empty; its fake
    // also refuses any option it does not know, so nothing GcsBlobStore sends is silently ignored.
    storage = GenerationEnforcingStorage.wrap(LocalStorageHelper.getOptions().getService());
    return new GcsBlobStore(storage, "gs://" + BUCKET + "/raw/");
  }

  @Test
  void objectsLiveUnderTheRootPrefixWithAContentTypeFromTheirExtension() throws Exception {
    store.put("plays/part-0.json", utf8("{}"));
    store.put("plays/part-1.json.gz", new byte[] {31, -117});
    store.putFile("plays/notes.txt", Files.writeString(scratch.resolve("notes.txt"), "n"));

    assertThat(storage.get(BlobId.of(BUCKET, "raw/plays/part-0.json")))
        .extracting(BlobInfo::getContentType)
        .isEqualTo("application/json");
    assertThat(storage.get(BlobId.of(BUCKET, "raw/plays/part-1.json.gz")))
        .extracting(BlobInfo::getContentType)
        .isEqualTo("application/gzip");
    assertThat(storage.get(BlobId.of(BUCKET, "raw/plays/notes.txt")))
        .extracting(BlobInfo::getContentType)
        .isEqualTo("application/octet-stream");
  }

  @Test
  void listIgnoresObjectsOutsideTheRootPrefix() throws Exception {
    storage.create(BlobInfo.newBuilder(BUCKET, "rawfile.json").build(), utf8("x"));
    storage.create(BlobInfo.newBuilder(BUCKET, "other/a.json").build(), utf8("x"));
    store.put("a.json", utf8("a"));

    assertThat(store.list("")).containsExactly("a.json");
  }

  @Test
  void listSkipsFolderPlaceholders() throws Exception {
    // The console's "Create folder" writes an empty object whose name ends in '/'.
    storage.create(BlobInfo.newBuilder(BUCKET, "raw/plays/").build(), new byte[0]);
    store.put("plays/a.json", utf8("a"));

    assertThat(store.list("plays/")).containsExactly("plays/a.json");
  }

  @Test
  void rootAndUrisAreGsUris() {
    assertThat(store.root()).hasToString("gs://landing-bucket/raw/");
    assertThat(store.uri("plays/a.json")).isEqualTo("gs://landing-bucket/raw/plays/a.json");
  }

  @Test
  void aBucketRootWithoutPrefixUsesObjectNamesAsTheyAre() throws Exception {
    BlobStore bucketRoot = new GcsBlobStore(storage, "gs://" + BUCKET);
    bucketRoot.put("a.json", utf8("a"));

    assertThat(bucketRoot.root()).hasToString("gs://landing-bucket/");
    assertThat(storage.get(BlobId.of(BUCKET, "a.json"))).isNotNull();
    assertThat(bucketRoot.list("")).containsExactly("a.json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gs://",
        "gs:///prefix",
        "gs://Upper-Case",
        "gs://ab",
        "gs://bucket/../escape",
        "gs://bucket//double",
        "gs:/bucket",
        "s3://bucket"
      })
  void malformedRootsAreRejectedNamingThem(String root) {
    assertThatThrownBy(() -> new GcsBlobStore(storage, root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + root + "'");
  }

  @Test
  void getRereadsWhenTheObjectIsReplacedBetweenMetadataAndContent() throws Exception {
    long first = store.put("state/cursor.json", utf8("old"));
    AtomicBoolean replaced = new AtomicBoolean();
    // Replaces the object just before GcsBlobStore's first content read, as another writer might.
    Storage racing =
        (Storage)
            Proxy.newProxyInstance(
                Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("readAllBytes")
                      && replaced.compareAndSet(false, true)) {
                    store.put("state/cursor.json", utf8("new"));
                  }
                  try {
                    return method.invoke(storage, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });

    Blob read =
        new GcsBlobStore(racing, "gs://" + BUCKET + "/raw").get("state/cursor.json").orElseThrow();

    assertThat(replaced).isTrue();
    assertThat(new String(read.bytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("new");
    assertThat(read.generation())
        .as("the generation of the bytes returned, not of the version first seen")
        .isNotEqualTo(first)
        .isEqualTo(store.get("state/cursor.json").orElseThrow().generation());
  }
}
