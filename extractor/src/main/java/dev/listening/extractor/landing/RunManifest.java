package dev.listening.extractor.landing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.extractor.Json;
import dev.listening.extractor.storage.BlobStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run's shard landed for one endpoint: every part with its counts and SHA-256, and whether
 * the run finished. Written last, after the parts, so a reader that sees "complete" knows every
 * listed part is there; "partial" says the next run must resume.
 */
public record RunManifest(
    String endpoint,
    String date,
    String runId,
    String shard,
    Status status,
    String appMode,
    Instant startedAt,
    Instant finishedAt,
    List<LandingWriter.Part> parts,
    long pages,
    long items,
    long bytes,
    String message,
    Map<String, Object> details) {

  public enum Status {
    @JsonProperty("complete")
    COMPLETE,
    @JsonProperty("partial")
    PARTIAL
  }

  public static Optional<RunManifest> read(BlobStore store, LandingPartition partition)
      throws IOException {
    Optional<BlobStore.Blob> blob = store.get(partition.manifestPath());
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readValue(blob.get().bytes(), RunManifest.class));
    } catch (IOException e) {
      throw new IOException(
          "manifest "
              + store.uri(partition.manifestPath())
              + " is unreadable ("
              + e.getMessage()
              + "); move it aside to let the run start over",
          e);
    }
  }

  /** This attempt's parts after those of earlier attempts of the same run. */
  public static RunManifest of(
      LandingPartition partition,
      Status status,
      String appMode,
      Instant startedAt,
      Instant finishedAt,
      List<LandingWriter.Part> earlierParts,
      List<LandingWriter.Part> newParts,
      String message,
      Map<String, Object> details) {
    List<LandingWriter.Part> all = new ArrayList<>(earlierParts);
    all.addAll(newParts);
    return new RunManifest(
        partition.endpoint(),
        partition.date().toString(),
        partition.runId(),
        partition.shard().toString(),
        status,
        appMode,
        startedAt,
        finishedAt,
        all,
        all.stream().mapToLong(LandingWriter.Part::pages).sum(),
        all.stream().mapToLong(LandingWriter.Part::items).sum(),
        all.stream().mapToLong(LandingWriter.Part::bytes).sum(),
        message,
        details);
  }

  public void write(BlobStore store, LandingPartition partition) throws IOException {
    ObjectMapper json = Json.mapper();
    store.put(
        partition.manifestPath(), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }
}
