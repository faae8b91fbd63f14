package dev.listening.extractor.landing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.LocalBlobStore;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import dev.listening.landing.Shard;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingWriterTest {
  @TempDir Path root;
  private final ObjectMapper json = new ObjectMapper();

  private BlobStore store() {
    return new LocalBlobStore(root);
  }

  private static LandingPartition partition(String run) {
    return new LandingPartition(
        Endpoint.RECENTLY_PLAYED, LocalDate.parse("2026-11-20"), run, new Shard(1, 4));
  }

  private static byte[] line(int i) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("limit", "50");
    return new Envelope(
            Endpoint.RECENTLY_PLAYED,
            "/v1/me/player/recently-played",
            params,
            "u" + i,
            Instant.parse("2026-11-20T13:00:00Z"),
            "r1",
            "extended",
            200,
            ("{\"items\":[{\"played_at\":\"2026-11-20T12:00:0" + (i % 10) + ".000Z\"}]}")
                .getBytes(StandardCharsets.UTF_8),
            1)
        .toLine();
  }

  private List<String> lines(BlobStore store, String path) throws IOException {
    byte[] gz = store.get(path).orElseThrow().bytes();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
  }

  @Test
  void rollsPartsAndTellsTheListenerOnlyAfterEachPartIsDurable() throws Exception {
    BlobStore store = store();
    List<List<Object>> told = new ArrayList<>();
    List<Boolean> existedWhenTold = new ArrayList<>();
    LandingPartition p = partition("r1");
    try (LandingWriter w =
        new LandingWriter(
            store,
            p,
            new LandingWriter.Limits(2, 1 << 20),
            (part, tags) -> {
              told.add(List.copyOf(tags));
              existedWhenTold.add(store.get(part.path()).isPresent());
            })) {
      for (int i = 0; i < 5; i++) {
        w.append(line(i), 1, "user-" + i);
      }
    }

    assertThat(store.list(p.directory() + "/"))
        .containsExactly(
            p.directory() + "/part-00000.ndjson.gz",
            p.directory() + "/part-00001.ndjson.gz",
            p.directory() + "/part-00002.ndjson.gz");
    assertThat(p.directory()).isEqualTo("recently_played/date=2026-11-20/run=r1/shard=1-of-4");
    assertThat(told)
        .containsExactly(
            List.of("user-0", "user-1"), List.of("user-2", "user-3"), List.of("user-4"));
    assertThat(existedWhenTold).containsOnly(true);
    assertThat(lines(store, p.partPath(0))).hasSize(2);
    assertThat(lines(store, p.partPath(2))).hasSize(1);
    try (var files = Files.list(LandingWriter.tempFolder(store, p))) {
      assertThat(files).as("no temp file left once every part is published").isEmpty();
    }
  }

  @Test
  void aResumedAttemptRemovesWhatAKilledWriterLeftInItsTempFolder() throws Exception {
    BlobStore store = store();
    LandingPartition p = partition("r9");
    LandingWriter killed =
        new LandingWriter(store, p, LandingWriter.Limits.defaults(), (a, b) -> {});
    killed.append(line(1), 1, null); // never published: the process "dies" here
    assertThat(LandingWriter.tempFolder(store, p)).isNotEmptyDirectory();

    assertThat(LandingWriter.removeTempFiles(store, p)).isEqualTo(1);
    assertThat(LandingWriter.tempFolder(store, p)).isEmptyDirectory();
  }

  @Test
  void partsRecordCountsAndTheChecksumOfTheirBytes() throws Exception {
    BlobStore store = store();
    LandingWriter w =
        new LandingWriter(store, partition("r1"), LandingWriter.Limits.defaults(), (p, t) -> {});
    w.append(line(1), 1, null);
    w.append(line(2), 1, null);
    w.close();

    RunManifest.Part part = w.published().get(0);
    byte[] bytes = store.get(part.path()).orElseThrow().bytes();
    assertThat(part.pages()).isEqualTo(2);
    assertThat(part.items()).isEqualTo(2);
    assertThat(part.bytes()).isEqualTo(bytes.length);
    assertThat(part.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
  }

  @Test
  void aResumedRunContinuesAfterExistingPartsInsteadOfOverwritingThem() throws Exception {
    BlobStore store = store();
    LandingPartition p = partition("r1");
    try (LandingWriter first =
        new LandingWriter(store, p, LandingWriter.Limits.defaults(), (a, b) -> {})) {
      first.append(line(1), 1, null);
    }
    byte[] firstPart = store.get(p.partPath(0)).orElseThrow().bytes();
    try (LandingWriter second =
        new LandingWriter(store, p, LandingWriter.Limits.defaults(), (a, b) -> {})) {
      second.append(line(2), 1, null);
    }
    assertThat(store.get(p.partPath(0)).orElseThrow().bytes()).isEqualTo(firstPart);
    assertThat(store.get(p.partPath(1))).isPresent();
  }

  @Test
  void aWriterThatGotNothingOrWasDiscardedLandsNothing() throws Exception {
    BlobStore store = store();
    LandingPartition p = partition("r2");
    new LandingWriter(store, p, LandingWriter.Limits.defaults(), (a, b) -> {}).close();
    LandingWriter w = new LandingWriter(store, p, LandingWriter.Limits.defaults(), (a, b) -> {});
    w.append(line(1), 1, null);
    w.discard();
    w.close();
    assertThat(store.list(p.directory() + "/")).isEmpty();
  }

  @Test
  void runIdsThatCannotBePathSegmentsAreRefusedWithAHint() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> partition("scheduled__2026-11-20T13:00:00+00:00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ts_nodash");
  }
}
