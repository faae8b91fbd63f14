package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.StreamingHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import-history} on hand-written exports: what lands, what is dropped, what a re-import and
 * an overlapping newer export do, and how malformed exports fail (exit 2, naming the file, nothing
 * landed) or quarantine.
 */
class ImportHistoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static String stream(String ts, String uri, long ms) {
    return "{\"ts\":"
        + (ts == null ? "null" : "\"" + ts + "\"")
        + ",\"platform\":\"android\",\"ms_played\":"
        + ms
        + ",\"conn_country\":\"DE\",\"ip_addr\":\"203.0.113.7\","
        + "\"master_metadata_track_name\":\"Song, \\\"quoted\\\" 🎵\","
        + "\"master_metadata_album_artist_name\":\"A\",\"master_metadata_album_album_name\":\"B\","
        + "\"spotify_track_uri\":\""
        + uri
        + "\",\"episode_name\":null,\"episode_show_name\":null,\"spotify_episode_uri\":null,"
        + "\"reason_start\":\"trackdone\",\"reason_end\":\"trackdone\",\"shuffle\":false,"
        + "\"skipped\":false,\"offline\":false,\"offline_timestamp\":null,\"incognito_mode\":false}";
  }

  private Path export(String name, Map<String, String> files) throws IOException {
    Path dir = tmp.resolve(name).resolve("Spotify Extended Streaming History");
    Files.createDirectories(dir);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    Files.writeString(dir.resolve("ReadMeFirst_ExtendedStreamingHistory.pdf"), "not json");
    return dir.getParent();
  }

  private Cli.Result importHistory(Path export, Path landing) {
    return Cli.run(
        "import-history",
        "--export",
        export.toString(),
        "--user",
        "u1",
        "--landing",
        landing.toString());
  }

  /** Every landed file, path to bytes (gzip parts decompressed). */
  private static Map<String, String> landed(Path landing) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(landing)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(landing)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        String text =
            p.toString().endsWith(".gz")
                ? new String(
                    new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes(),
                    StandardCharsets.UTF_8)
                : new String(bytes, StandardCharsets.UTF_8);
        files.put(landing.relativize(p).toString(), text);
      }
    }
    return files;
  }

  private static List<JsonNode> lines(String ndjson) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : ndjson.split("\n")) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  @Test
  void landsPerStreamDayDropsIpsQuarantinesStreamsWithoutTsAndReimportsChangeNothing()
      throws Exception {
    Path landing = tmp.resolve("landing");
    String a = stream("2026-11-20T10:00:03Z", "spotify:track:a", 200_000);
    String b = stream("2026-11-20T23:59:59Z", "spotify:track:b", 40_000);
    String c = stream("2026-11-21T00:00:01Z", "spotify:track:c", 5_000);
    String unknown =
        a.replace("\"ts\":", "\"mood\":\"happy\",\"ts\":").replace("track:a", "track:x");
    String noTs = stream(null, "spotify:track:d", 90_000);
    Path first =
        export(
            "first",
            Map.of(
                "Streaming_History_Audio_2026_0.json",
                "[" + a + ",\n" + b + "," + noTs + "]",
                "Streaming_History_Audio_2026_1.json",
                "[" + c + "," + unknown + "]",
                "Streaming_History_Video_2026.json",
                "[]"));

    Cli.Result r = importHistory(first, landing);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("5 streams; 4 added", "1 quarantined", "2 days written");
    assertThat(r.summary().path("added").asLong()).isEqualTo(4);
    assertThat(r.summary().path("quarantined").asLong()).isEqualTo(1);
    assertThat(r.stderr())
        .as("unknown fields are kept and named")
        .contains("mood=1")
        .contains("without a readable ts");

    Map<String, String> files = landed(landing);
    String day20 = StreamingHistory.partition("u1", LocalDate.parse("2026-11-20")).partPath(0);
    String day21 = StreamingHistory.partition("u1", LocalDate.parse("2026-11-21")).partPath(0);
    assertThat(lines(files.get(day20))).hasSize(3);
    assertThat(lines(files.get(day21))).hasSize(1);
    assertThat(files.keySet())
        .anySatisfy(p -> assertThat(p).startsWith(StreamingHistory.quarantineDirectory("u1")))
        .contains(StreamingHistory.partition("u1", LocalDate.parse("2026-11-20")).manifestPath());
    assertThat(String.join("", files.values()))
        .as("IP addresses are dropped before landing, not hashed")
        .doesNotContain("ip_addr")
        .doesNotContain("203.0.113.7");
    JsonNode line = lines(files.get(day20)).get(0);
    assertThat(line.get("endpoint").asText()).isEqualTo("streaming_history");
    assertThat(line.get("user_key").asText()).isEqualTo("u1");
    assertThat(line.get("fetched_at").asText())
        .as("second precision, as bronze's declared schema reads it")
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(line.get("response").get("master_metadata_track_name").asText())
        .isEqualTo("Song, \"quoted\" 🎵");

    // The same export again: nothing written.
    Cli.Result again = importHistory(first, landing);
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.summary().path("days_written").asLong()).isZero();
    assertThat(again.summary().path("days_unchanged").asLong()).isEqualTo(2);
    assertThat(landed(landing)).isEqualTo(files);

    // A newer export overlapping the old one: only the new stream lands, no duplicate.
    String d = stream("2026-11-21T08:00:00Z", "spotify:track:d2", 120_000);
    Path newer =
        export(
            "newer",
            Map.of(
                "Streaming_History_Audio_2026.json",
                "[" + b + "," + c + "," + d + "]",
                "Streaming_History_Video_2026.json",
                "[]"));
    Cli.Result overlap = importHistory(newer, landing);
    assertThat(overlap.exitCode()).as(overlap.stderr()).isZero();
    assertThat(overlap.stderr()).contains("1 added", "2 already landed", "1 days written");
    Map<String, String> after = landed(landing);
    String day21Part =
        after.keySet().stream()
            .filter(
                p ->
                    p.startsWith(
                        StreamingHistory.partition("u1", LocalDate.parse("2026-11-21"))
                            .directory()))
            .filter(LandingPartition::isPart)
            .findFirst()
            .orElseThrow();
    assertThat(lines(after.get(day21Part))).hasSize(2);
    assertThat(after.get(day20))
        .as("an unchanged day is not rewritten")
        .isEqualTo(files.get(day20));
  }

  @Test
  void malformedExportsFailNamingTheFileAndLandNothing() throws Exception {
    Path landing = tmp.resolve("landing");
    String good = "[" + stream("2026-11-20T10:00:03Z", "spotify:track:a", 200_000) + "]";

    Path notArray =
        export(
            "object",
            Map.of(
                "Streaming_History_Audio_2026_0.json",
                good,
                "Streaming_History_Audio_2026_1.json",
                "{\"ts\":\"2026-11-20T10:00:03Z\"}"));
    Cli.Result r = importHistory(notArray, landing);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("Streaming_History_Audio_2026_1.json is not a JSON array")
        .contains("nothing landed");

    Path cut = export("cut", Map.of("Streaming_History_Audio_2026_0.json", good.substring(0, 40)));
    r = importHistory(cut, landing);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("Streaming_History_Audio_2026_0.json is not valid JSON");

    Path big = export("big", Map.of("Streaming_History_Audio_2026_0.json", good));
    try (OutputStream out =
        Files.newOutputStream(
            big.resolve(
                "Spotify Extended Streaming History/Streaming_History_Audio_2026_1.json"))) {
      byte[] spaces = new byte[1024 * 1024];
      java.util.Arrays.fill(spaces, (byte) ' ');
      out.write('[');
      for (int i = 0; i < 50; i++) {
        out.write(spaces);
      }
      out.write(']');
    }
    r = importHistory(big, landing);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("Streaming_History_Audio_2026_1.json is 50 MB");

    Path zip = tmp.resolve("my_spotify_data.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(
          new ZipEntry("Spotify Extended Streaming History/Streaming_History_Audio_2026_0.json"));
      z.write(good.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    byte[] whole = Files.readAllBytes(zip);
    Path truncated = tmp.resolve("truncated.zip");
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
    r = importHistory(truncated, landing);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("truncated.zip is not a whole zip file");

    assertThat(landed(landing)).as("nothing landed by a failed import").isEmpty();

    r = importHistory(zip, landing);
    assertThat(r.exitCode()).as("the whole zip imports: " + r.stderr()).isZero();
    assertThat(r.summary().path("added").asLong()).isEqualTo(1);

    // --exports: one export per user, a zip or a folder named by the user key.
    Path all = Files.createDirectories(tmp.resolve("all"));
    Files.copy(zip, all.resolve("u1.zip"));
    Files.move(
        export(
            "u2-source",
            Map.of("Streaming_History_Audio_2026_0.json", good.replace("track:a", "track:z"))),
        all.resolve("u2"));
    r = Cli.run("import-history", "--exports", all.toString(), "--landing", landing.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.summary().path("users").asInt()).isEqualTo(2);
    assertThat(r.summary().path("added").asLong()).as("u1's stream was there already").isEqualTo(1);
    assertThat(landed(landing).keySet()).anySatisfy(p -> assertThat(p).contains("run=history-u2/"));
  }
}
