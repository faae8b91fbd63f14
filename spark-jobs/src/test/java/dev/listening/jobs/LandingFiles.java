package dev.listening.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes landing parts the way the extractor lays them out. */
public final class LandingFiles {
  private LandingFiles() {}

  public static void write(Path landing, String endpoint, String date, String run, String... lines)
      throws IOException {
    Path dir =
        landing
            .resolve(endpoint)
            .resolve("date=" + date)
            .resolve("run=" + run)
            .resolve("shard=0-of-1");
    Files.createDirectories(dir);
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-00000.ndjson.gz")))) {
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    Files.writeString(dir.resolve("_manifest.json"), "{\"status\":\"complete\"}");
  }
}
