package dev.listening.extractor.e2e;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.listening.testing.FakeGcsServer;

/**
 * The gs:// landing through the official Cloud Storage client over HTTP, against fake-gcs-server
 * run as a process on loopback (an emulator: real GCS cannot be reached from the tests). Uploads,
 * listings and ifGenerationMatch preconditions are the client's real requests, answered by a server
 * that enforces them.
 */
class GcsLandingOnFakeGcsServerTest extends GcsLandingTestBase {
  private static Storage storage;

  @Override
  protected synchronized Storage storage() throws Exception {
    if (storage == null) {
      FakeGcsServer server = FakeGcsServer.shared();
      server.createBucket(bucket());
      storage =
          StorageOptions.newBuilder()
              .setHost(server.url())
              .setProjectId("test")
              .setCredentials(NoCredentials.getInstance())
              .setRetrySettings(ServiceOptions.getNoRetrySettings())
              .build()
              .getService();
    }
    return storage;
  }

  @Override
  protected String bucket() {
    return "pipeline-landing";
  }
}
