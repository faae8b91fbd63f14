package dev.listening.extractor.history;

import static dev.listening.landing.StreamingHistory.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.listening.extractor.Json;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import dev.listening.landing.StreamingHistory;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Lands one user's checked export ({@link ExportReader}) per stream day, as {@link
 * StreamingHistory} describes: each day's partition becomes the union of what was landed and the
 * export's streams of the day, deduplicated on ts, URI and ms_played, so re-importing an export or
 * importing a newer one that overlaps it adds nothing; a day with nothing new is not written. The
 * new part is published before the manifest that lists it (the commit point), then the part it
 * replaces is deleted. {@link StreamingHistory#DROPPED_FIELDS} are removed before anything lands;
 * streams without a readable {@code ts} land in the quarantine folder.
 */
public final class HistoryImport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What an import did. */
  public record Summary(
      String userKey,
      int files,
      long streams,
      long added,
      long alreadyLanded,
      int daysWritten,
      int daysUnchanged,
      long quarantined,
      Map<String, Long> unknownFields,
      Map<String, Long> droppedFields) {}

  private final BlobStore store;
  private final Clock clock;

  public HistoryImport(BlobStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public Summary run(String userKey, List<ExportReader.ExportFile> files) throws IOException {
    String runId = StreamingHistory.runId(userKey);
    // Second precision, as every other fetched_at and as bronze's declared schema reads it.
    Instant fetchedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    TreeMap<LocalDate, List<Landed>> byDay = new TreeMap<>();
    List<byte[]> quarantine = new ArrayList<>();
    ByteArrayOutputStream quarantined = new ByteArrayOutputStream();
    Map<String, Long> unknown = new TreeMap<>();
    Map<String, Long> dropped = new TreeMap<>();
    long streams = 0;
    for (ExportReader.ExportFile file : files) {
      for (ObjectNode s : file.streams()) {
        streams++;
        for (String f : DROPPED_FIELDS) {
          if (s.remove(f) != null) {
            dropped.merge(f, 1L, Long::sum);
          }
        }
        s.fieldNames()
            .forEachRemaining(
                f -> {
                  if (!KNOWN_FIELDS.contains(f)) {
                    unknown.merge(f, 1L, Long::sum);
                  }
                });
        byte[] response = JSON.writeValueAsBytes(s);
        byte[] line =
            new Envelope(
                    dev.listening.landing.Endpoint.STREAMING_HISTORY,
                    REQUEST_PATH,
                    Map.of(PARAM_FILE, file.name()),
                    userKey,
                    fetchedAt,
                    runId,
                    APP_MODE,
                    200,
                    response,
                    1)
                .toLine();
        Optional<Instant> ts = ts(s);
        if (ts.isEmpty()) {
          quarantine.add(line);
          quarantined.write(response);
          continue;
        }
        LocalDate day = LocalDate.ofInstant(ts.get(), ZoneOffset.UTC);
        byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(new Landed(key(s), line));
      }
    }

    long added = 0;
    long already = 0;
    int written = 0;
    int unchanged = 0;
    for (Map.Entry<LocalDate, List<Landed>> day : byDay.entrySet()) {
      LandingPartition partition = StreamingHistory.partition(userKey, day.getKey());
      List<String> oldParts =
          store.list(partition.directory()).stream().filter(LandingPartition::isPart).toList();
      LinkedHashMap<String, byte[]> union = new LinkedHashMap<>();
      for (String part : oldParts) {
        for (byte[] line : readPart(part)) {
          union.putIfAbsent(key(line), line);
        }
      }
      int before = union.size();
      for (Landed s : day.getValue()) {
        union.putIfAbsent(s.key(), s.line());
      }
      int newOnes = union.size() - before;
      already += day.getValue().size() - newOnes;
      if (newOnes == 0 && oldParts.size() == 1) {
        unchanged++;
        continue;
      }
      added += newOnes;
      written++;
      int next = oldParts.stream().mapToInt(LandingPartition::partNumber).max().orElse(-1) + 1;
      writeDay(partition, next, union, fetchedAt);
      for (String old : oldParts) {
        store.delete(old);
      }
    }
    if (!quarantine.isEmpty()) {
      // Named by what was quarantined, so importing the same export again adds no second file.
      String name = "missing-ts-" + sha256(quarantined.toByteArray()).substring(0, 16);
      String path = quarantineDirectory(userKey) + "/" + name + ".ndjson.gz";
      if (store.get(path).isEmpty()) {
        store.put(path, gzip(quarantine));
      }
    }
    return new Summary(
        userKey,
        files.size(),
        streams,
        added,
        already,
        written,
        unchanged,
        quarantine.size(),
        unknown,
        dropped);
  }

  private record Landed(String key, byte[] line) {}

  private void writeDay(
      LandingPartition partition, int number, Map<String, byte[]> union, Instant at)
      throws IOException {
    // Ordered by the stream's key (ts first), so the same union always gives the same bytes.
    TreeMap<String, byte[]> ordered = new TreeMap<>(union);
    byte[] gz = gzip(new ArrayList<>(ordered.values()));
    String path = partition.partPath(number);
    store.put(path, gz);
    RunManifest manifest =
        RunManifest.of(
            partition,
            RunManifest.Status.COMPLETE,
            APP_MODE,
            at,
            at,
            List.of(),
            List.of(new RunManifest.Part(path, union.size(), union.size(), gz.length, sha256(gz))),
            null,
            Map.of());
    store.put(
        partition.manifestPath(),
        Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest.toMap()));
  }

  private List<byte[]> readPart(String path) throws IOException {
    Optional<BlobStore.Blob> blob = store.get(path);
    List<byte[]> lines = new ArrayList<>();
    if (blob.isEmpty()) {
      return lines;
    }
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(blob.get().bytes())),
                StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          lines.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new IOException(
          "landed part "
              + store.uri(path)
              + " is unreadable ("
              + e.getMessage()
              + "); move it aside and import the export again",
          e);
    }
    return lines;
  }

  /** The dedupe key of a landed line (its response is the stream). */
  private static String key(byte[] line) throws IOException {
    JsonNode envelope = JSON.readTree(line);
    return key(envelope.path(Envelope.RESPONSE));
  }

  /** ts, then URI (track, episode or chapter), then ms_played: orders a day by time. */
  static String key(JsonNode s) {
    String uri = text(s, TRACK_URI);
    if (uri == null) {
      uri = text(s, EPISODE_URI);
    }
    if (uri == null) {
      uri = text(s, AUDIOBOOK_CHAPTER_URI);
    }
    return dedupeKey(text(s, TS), String.valueOf(uri), s.path(MS_PLAYED).asLong(-1));
  }

  private static String text(JsonNode s, String field) {
    JsonNode v = s.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static Optional<Instant> ts(JsonNode s) {
    String ts = text(s, TS);
    if (ts == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(ts));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static byte[] gzip(List<byte[]> lines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      for (byte[] line : lines) {
        gz.write(line);
      }
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
