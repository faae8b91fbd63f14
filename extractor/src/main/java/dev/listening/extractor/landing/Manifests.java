package dev.listening.extractor.landing;

import dev.listening.extractor.Json;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads and writes a run's {@link RunManifest} in its landing partition. */
public final class Manifests {
  private Manifests() {}

  /** A manifest and the generation of the object it was read from. */
  public record Stored(RunManifest manifest, long generation) {}

  public static Optional<RunManifest> read(BlobStore store, LandingPartition partition)
      throws IOException {
    return readStored(store, partition).map(Stored::manifest);
  }

  /** The manifest with its generation, for a later {@link #writeIfGeneration}. */
  public static Optional<Stored> readStored(BlobStore store, LandingPartition partition)
      throws IOException {
    Optional<BlobStore.Blob> blob = store.get(partition.manifestPath());
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = Json.mapper().readValue(blob.get().bytes(), Map.class);
      return Optional.of(new Stored(RunManifest.fromMap(map), blob.get().generation()));
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

  /**
   * Writes the manifest only over the generation expected ({@code 0}: none yet); returns the new
   * generation, or empty when another writer changed it first.
   */
  public static OptionalLong writeIfGeneration(
      BlobStore store, LandingPartition partition, RunManifest manifest, long expectedGeneration)
      throws IOException {
    return store.putIfGeneration(
        partition.manifestPath(),
        Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest.toMap()),
        expectedGeneration);
  }
}
