package dev.listening.extractor.landing;

import dev.listening.extractor.Json;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** Reads and writes a run's {@link RunManifest} in its landing partition. */
public final class Manifests {
  private Manifests() {}

  public static Optional<RunManifest> read(BlobStore store, LandingPartition partition)
      throws IOException {
    Optional<BlobStore.Blob> blob = store.get(partition.manifestPath());
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = Json.mapper().readValue(blob.get().bytes(), Map.class);
      return Optional.of(RunManifest.fromMap(map));
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          "manifest "
              + store.uri(partition.manifestPath())
              + " is unreadable ("
              + e.getMessage()
              + "); move it aside to let the run start over",
          e);
    }
  }

  public static void write(BlobStore store, LandingPartition partition, RunManifest manifest)
      throws IOException {
    store.put(
        partition.manifestPath(),
        Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest.toMap()));
  }
}
