package dev.listening.extractor.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** What a user reads when GCS refuses: the object's URI and what to do about it. */
class GcsBlobStoreErrorsTest {

  /** A Storage whose every call fails as GCS would with this status and message. */
  private static GcsBlobStore storeFailingWith(int code, String message) {
    Storage failing =
        (Storage)
            Proxy.newProxyInstance(
                Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                  throw new StorageException(code, message);
                });
    return new GcsBlobStore(failing, "gs://landing-bucket/raw");
  }

  @Test
  void permissionDeniedNamesTheObjectAndTheRoleToGrant() {
    GcsBlobStore store =
        storeFailingWith(
            403,
            "extractor@proj.iam.gserviceaccount.com does not have storage.objects.create access");

    assertThatThrownBy(() -> store.put("plays/a.json", "{}".getBytes(UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gs://landing-bucket/raw/plays/a.json")
        .hasMessageContaining("roles/storage.objectAdmin on bucket landing-bucket")
        .hasMessageContaining("does not have storage.objects.create access")
        .hasCauseInstanceOf(StorageException.class);
  }

  @Test
  void rejectedCredentialsSayHowToLogIn() {
    GcsBlobStore store = storeFailingWith(401, "Invalid Credentials");

    assertThatThrownBy(() -> store.get("plays/a.json"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gs://landing-bucket/raw/plays/a.json")
        .hasMessageContaining("gcloud auth application-default login");
  }

  @Test
  void aMissingBucketSaysToCreateItOrFixTheRoot() {
    GcsBlobStore store = storeFailingWith(404, "The specified bucket does not exist.");

    assertThatThrownBy(() -> store.list("plays/"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gs://landing-bucket/raw/plays/")
        .hasMessageContaining("bucket landing-bucket does not exist");
  }

  @Test
  void aServerErrorAfterRetriesSaysToRunAgainLater() {
    GcsBlobStore store = storeFailingWith(503, "Service Unavailable");

    assertThatThrownBy(() -> store.putIfGeneration("state/a.json", new byte[0], 0))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gs://landing-bucket/raw/state/a.json")
        .hasMessageContaining("run the job again later");
  }

  @Test
  void aFailedDeleteNamesTheObject() {
    GcsBlobStore store = storeFailingWith(403, "denied");

    assertThatThrownBy(() -> store.delete("plays/a.json"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("could not delete gs://landing-bucket/raw/plays/a.json");
  }
}
