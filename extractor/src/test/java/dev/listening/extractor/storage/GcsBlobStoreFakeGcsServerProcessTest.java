package dev.listening.extractor.storage;

import com.google.cloud.storage.Storage;
import dev.listening.testing.FakeGcsServer;

/**
 * The BlobStore contract on GCS through the official client against fake-gcs-server run as a
 * process on loopback (an emulator, because real GCS cannot be reached from here): no Docker
 * needed, so this runs on every machine that runs the tests.
 */
class GcsBlobStoreFakeGcsServerProcessTest extends GcsBlobStoreOverHttpTest {

  private static Storage storage;

  @Override
  protected synchronized Storage storage() throws Exception {
    if (storage == null) {
      FakeGcsServer server = FakeGcsServer.shared();
      server.createBucket(BUCKET);
      storage = clientFor(server.url());
    }
    return storage;
  }
}
