package dev.listening.extractor.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins down where LocalStorageHelper's in-memory Storage differs from GCS on generations, which is
 * why GenerationEnforcingStorage exists. If one of these starts failing after a library upgrade,
 * the fake has improved: re-check whether the wrapper is still needed.
 */
class LocalStorageHelperLimitsTest {

  private static final BlobInfo OBJECT = BlobInfo.newBuilder("bucket", "state/a.json").build();

  @TempDir Path scratch;

  @Test
  void singleRequestCreateNeitherAssignsNorReturnsAGeneration() {
    Storage storage = LocalStorageHelper.getOptions().getService();

    assertThat(storage.create(OBJECT, "1".getBytes(UTF_8)).getGeneration()).isNull();
    assertThat(storage.get(OBJECT.getBlobId()).getGeneration()).isNull();
  }

  @Test
  void getOptionsRefusesPreconditionsOnCreate() {
    Storage storage = LocalStorageHelper.getOptions().getService();

    assertThatThrownBy(
            () -> storage.create(OBJECT, "1".getBytes(UTF_8), BlobTargetOption.doesNotExist()))
        .isInstanceOf(StorageException.class)
        .hasCauseInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void customOptionsIgnoresPreconditionsOnCreate() {
    Storage storage = LocalStorageHelper.customOptions(false).getService();
    storage.create(OBJECT, "1".getBytes(UTF_8));

    storage.create(OBJECT, "2".getBytes(UTF_8), BlobTargetOption.doesNotExist());

    assertThat(storage.readAllBytes(OBJECT.getBlobId()))
        .as("GCS would have answered 412 and kept \"1\"")
        .isEqualTo("2".getBytes(UTF_8));
  }

  @Test
  void createFromChecksPreconditionsButNotWithGcsStatusCodes() throws Exception {
    Storage storage = LocalStorageHelper.getOptions().getService();
    Path file = Files.writeString(scratch.resolve("a.json"), "1");
    long generation = storage.createFrom(OBJECT, file).getGeneration();

    assertThatThrownBy(() -> storage.createFrom(OBJECT, file, BlobWriteOption.doesNotExist()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).as("GCS: 412").isZero());
    assertThatThrownBy(
            () -> storage.createFrom(OBJECT, file, BlobWriteOption.generationMatch(generation + 1)))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).as("GCS: 412").isEqualTo(404));
  }

  @Test
  void readsIgnoreTheRequestedGeneration() throws Exception {
    Storage storage = LocalStorageHelper.getOptions().getService();
    long first =
        storage.createFrom(OBJECT, Files.writeString(scratch.resolve("1"), "1")).getGeneration();
    storage.createFrom(OBJECT, Files.writeString(scratch.resolve("2"), "2"));

    assertThat(storage.readAllBytes(BlobId.of("bucket", "state/a.json", first)))
        .as("GCS without versioning would answer 404 for a replaced generation")
        .isEqualTo("2".getBytes(UTF_8));
  }
}
