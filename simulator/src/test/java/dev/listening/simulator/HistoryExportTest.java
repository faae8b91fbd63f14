package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.landing.StreamingHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated streaming-history export: Spotify's format, and every play of the truth in it. */
class HistoryExportTest {
  private static final SimWorld WORLD =
      SimWorld.generate(SimulatorConfig.defaults().withUsers(4).withPlaysPerDay(400));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyPlayIsAMusicStreamWithinTheToleranceAndTheRestAreNotPlays() throws Exception {
    // A small split size, so the audio is cut into several files like a long history is.
    new HistoryExport(WORLD.truth, 42, 20_000).writeAll(dir);
    GroundTruth t = WORLD.truth;
    for (int u = 0; u < t.userKeys.length; u++) {
      Path folder = dir.resolve(t.userKeys[u]);
      List<Path> files;
      try (Stream<Path> list = Files.list(folder)) {
        files = list.sorted().toList();
      }
      assertThat(files)
          .as("every file is named as Spotify names them")
          .allSatisfy(
              f ->
                  assertThat(
                          StreamingHistory.FILE_NAME.matcher(f.getFileName().toString()).matches())
                      .isTrue());
      assertThat(files.stream().filter(f -> f.toString().contains("_Video_")))
          .singleElement()
          .satisfies(f -> assertThat(Files.readString(f)).isEqualTo("[]"));
      assertThat(files.stream().filter(f -> f.toString().contains("_Audio_")).count())
          .as("split by size")
          .isGreaterThan(1);

      List<JsonNode> streams = new ArrayList<>();
      for (Path f : files) {
        JsonNode array = JSON.readTree(f.toFile());
        assertThat(array.isArray()).isTrue();
        array.forEach(streams::add);
      }
      List<JsonNode> plays =
          streams.stream()
              .filter(s -> !s.get(StreamingHistory.TRACK_URI).isNull())
              .filter(s -> s.get(StreamingHistory.MS_PLAYED).asLong() >= 30_000)
              .sorted(java.util.Comparator.comparing(s -> s.get(StreamingHistory.TS).asText()))
              .toList();
      int from = t.userStart[u];
      int to = t.userStart[u + 1];
      assertThat(plays).as("every play of the truth, retrievable or not").hasSize(to - from);
      for (int i = from; i < to; i++) {
        JsonNode s = plays.get(i - from);
        assertThat(s.get(StreamingHistory.TRACK_URI).asText())
            .isEqualTo(t.catalog.trackUri(t.item[i]));
        Instant ts = Instant.parse(s.get(StreamingHistory.TS).asText());
        assertThat(Duration.between(Instant.ofEpochMilli(t.playedAtMs[i]), ts).abs())
            .isLessThan(StreamingHistory.MATCH_TOLERANCE);
        assertThat(s.get(StreamingHistory.TS).asText()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}Z");
      }
      assertThat(streams)
          .as("skips under 30 s, marked skipped")
          .anySatisfy(
              s -> {
                assertThat(s.get(StreamingHistory.SKIPPED).asBoolean()).isTrue();
                assertThat(s.get(StreamingHistory.MS_PLAYED).asLong()).isLessThan(30_000);
              });
      assertThat(streams)
          .as("podcast episodes with null music fields")
          .anySatisfy(
              s -> {
                assertThat(s.get(StreamingHistory.EPISODE_URI).asText())
                    .startsWith("spotify:episode:");
                assertThat(s.get(StreamingHistory.TRACK_NAME).isNull()).isTrue();
              });
    }
  }
}
