package dev.listening.extractor.run;

import com.google.auth.oauth2.GoogleCredentials;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.landing.StateLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Checks made before the first API call, so a run that cannot land never spends a request: Google
 * credentials exist when anything lives on GCS or in Secret Manager, and the landing and state
 * roots take a write.
 */
final class Preflight {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Preflight() {}

  /** Fails at once, naming what to fix, when Google credentials cannot be found. */
  static void googleCredentials(Map<String, String> env) throws IOException {
    String file = env.get("GOOGLE_APPLICATION_CREDENTIALS");
    if (file != null && !file.isBlank() && !Files.isReadable(Path.of(file))) {
      throw new IllegalArgumentException(
          "GOOGLE_APPLICATION_CREDENTIALS names "
              + file
              + ", which does not exist or cannot be read: fix the path, or unset it to use"
              + " the service account of the machine (Cloud Run) or"
              + " 'gcloud auth application-default login'");
    }
    try {
      GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "no Google credentials for gs:// and sm:// locations: run on Cloud Run with a service"
              + " account, run 'gcloud auth application-default login', or set"
              + " GOOGLE_APPLICATION_CREDENTIALS to a key file",
          e);
    }
  }

  /**
   * Writes and removes a small hidden object: the root exists (or can be made) and takes writes.
   */
  static void writable(String option, BlobStore store) {
    String probe =
        StateLayout.DEFAULT_FOLDER
            + "/preflight-"
            + HexFormat.of().formatHex(RANDOM.generateSeed(6));
    try {
      store.put(probe, "preflight".getBytes(StandardCharsets.UTF_8));
      store.delete(probe);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          option
              + " "
              + store.root()
              + " is not writable ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "): point it at a folder or bucket this job may write to",
          e);
    }
  }
}
