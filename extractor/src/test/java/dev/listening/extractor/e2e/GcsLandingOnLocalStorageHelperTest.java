package dev.listening.extractor.e2e;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.listening.extractor.storage.GenerationEnforcingStorage;

/**
 * The gs:// landing over the Cloud Storage client's in-memory Storage (LocalStorageHelper), wrapped
 * to enforce GCS's generation preconditions, which that fake ignores: a fake, for a fast check
 * without any server. GcsLandingOnFakeGcsServerTest runs the same tests over HTTP against
 * fake-gcs-server.
 */
class GcsLandingOnLocalStorageHelperTest extends GcsLandingTestBase {
  @Override
  protected Storage storage() {
    return GenerationEnforcingStorage.wrap(LocalStorageHelper.customOptions(false).getService());
  }

  @Override
  protected String bucket() {
    return "pipeline-landing";
  }
}
