package dev.listening.extractor.storage;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.util.UUID;

/**
 * The contract against fake-gcs-server, a GCS emulator speaking the JSON API over HTTP, so the real
 * client's requests (multipart and resumable uploads, ifGenerationMatch, generation-pinned reads,
 * paged listing) are exercised end to end. The emulator runs as a process
 * (GcsBlobStoreFakeGcsServerProcessTest, everywhere) or in Docker (GcsBlobStoreFakeGcsServerTest,
 * where a Docker engine runs); both run this same contract.
 */
abstract class GcsBlobStoreOverHttpTest extends BlobStoreContractTest {

  static final String BUCKET = "landing";

  /** The official client pointed at an emulator: no credentials, no retries to hide failures. */
  static Storage clientFor(String url) {
    return StorageOptions.newBuilder()
        .setHost(url)
        .setProjectId("test")
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .build()
        .getService();
  }

  /** A client of the emulator, with bucket {@link #BUCKET} created. */
  protected abstract Storage storage() throws Exception;

  @Override
  protected BlobStore newStore() throws Exception {
    // One prefix per test keeps tests apart in the single shared emulator.
    return new GcsBlobStore(storage(), "gs://" + BUCKET + "/test-" + UUID.randomUUID());
  }
}
