package dev.listening.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.local.robust.SecretScan;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan every run ends with finds a credential wherever a run could leave one. */
class SecretScanTest {
  private static final String CLIENT_SECRET = "0123456789abcdef0123456789abcdef";
  // Shaped as the simulator issues them: BQ + 43, AQ + 32 base64url characters.
  private static final String ACCESS = "BQ" + "x".repeat(20) + "-_" + "y".repeat(21);
  private static final String REFRESH = "AQ" + "z".repeat(32);

  @TempDir Path dir;

  @Test
  void findsSecretsInLogsGzipAndParquetAndNothingInACleanRun() throws Exception {
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("logs/extractor.log"), "INFO polled u1\nINFO token refreshed\n");
    Files.writeString(
        dir.resolve("summary.json"), "{\"track\":\"4uLU6hMCjMI75M1A2tKUQC\",\"ok\":true}");
    assertThat(SecretScan.scan(dir, List.of(CLIENT_SECRET, REFRESH)))
        .as("a Spotify id is not a token")
        .isEmpty();

    Files.writeString(
        dir.resolve("logs/extractor.log"),
        "WARN refresh failed, body: client_secret=" + CLIENT_SECRET);
    try (OutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-00000.ndjson.gz")))) {
      gz.write(("{\"auth\":\"Bearer " + ACCESS + "\"}\n").getBytes(StandardCharsets.UTF_8));
    }
    LocalPipeline.spark()
        .createDataset(List.of("a", "kept " + REFRESH + " here"), Encoders.STRING())
        .coalesce(1)
        .write()
        .parquet(dir.resolve("bronze/t").toString());

    assertThat(SecretScan.scan(dir, List.of(CLIENT_SECRET, REFRESH)))
        .extracting(
            f ->
                f.file().getFileName().toString().replaceAll("part-0.*parquet", "parquet")
                    + ": "
                    + f.what())
        .containsExactlyInAnyOrder(
            "extractor.log: a secret or token given to the scan",
            "part-00000.ndjson.gz: an access token",
            "parquet: a refresh token",
            "parquet: a secret or token given to the scan")
        .allSatisfy(s -> assertThat(s).doesNotContain(CLIENT_SECRET, ACCESS, REFRESH));
  }
}
