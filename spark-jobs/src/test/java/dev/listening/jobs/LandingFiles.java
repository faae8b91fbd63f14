package dev.listening.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.landing.AppMode;
import dev.listening.landing.Endpoint;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import dev.listening.landing.Shard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes one landing part and its complete manifest where the landing contract puts them. */
public final class LandingFiles {
  private LandingFiles() {}

  public static void write(Path landing, String endpoint, String date, String run, String... lines)
      throws IOException {
    writeWithDetails(landing, endpoint, date, run, Map.of(), lines);
  }

  /** As {@link #write}, with the manifest's details (e.g. the gaps a poll found). */
  public static void writeWithDetails(
      Path landing,
      String endpoint,
      String date,
      String run,
      Map<String, Object> details,
      String... lines)
      throws IOException {
    LandingPartition partition =
        new LandingPartition(
            Endpoint.fromLandingName(endpoint), LocalDate.parse(date), run, Shard.ONLY);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] part = gz.toByteArray();
    Path partFile = landing.resolve(partition.partPath(0));
    Files.createDirectories(partFile.getParent());
    Files.write(partFile, part);
    RunManifest manifest =
        RunManifest.of(
            partition,
            RunManifest.Status.COMPLETE,
            AppMode.EXTENDED.wireName(),
            Instant.parse(date + "T00:00:00Z"),
            Instant.parse(date + "T00:00:00Z"),
            List.of(),
            List.of(
                new RunManifest.Part(
                    partition.partPath(0), lines.length, 0, part.length, sha256(part))),
            "complete",
            details);
    Files.write(
        landing.resolve(partition.manifestPath()),
        new ObjectMapper().writeValueAsBytes(manifest.toMap()));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
