package dev.listening.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunManifestTest {
  private final ObjectMapper json = new ObjectMapper();

  private static RunManifest manifest() {
    LandingPartition p =
        new LandingPartition(
            Endpoint.RECENTLY_PLAYED, LocalDate.parse("2026-11-20"), "r1", new Shard(0, 2));
    return RunManifest.of(
        p,
        RunManifest.Status.COMPLETE,
        "extended",
        Instant.parse("2026-11-20T13:00:00Z"),
        Instant.parse("2026-11-20T13:00:05.5Z"),
        List.of(new RunManifest.Part(p.partPath(0), 3, 120, 4096, "ab12")),
        List.of(new RunManifest.Part(p.partPath(1), 2, 80, 2048, "cd34")),
        "complete",
        Map.of(
            RunManifest.DETAIL_GAPS,
            List.of(
                RunManifest.Gap.of(
                    "u1",
                    Instant.parse("2026-11-20T11:00:00Z"),
                    Instant.parse("2026-11-20T11:30:00Z"),
                    Instant.parse("2026-11-20T13:00:01Z")))));
  }

  @Test
  void theJsonFormRoundTripsThroughAnyJsonLibrary() throws Exception {
    RunManifest m = manifest();
    assertThat(m.pages()).isEqualTo(5);
    assertThat(m.items()).isEqualTo(200);
    assertThat(m.bytes()).isEqualTo(6144);

    byte[] bytes = json.writeValueAsBytes(m.toMap());
    @SuppressWarnings("unchecked")
    Map<String, Object> read = json.readValue(bytes, Map.class);
    assertThat(RunManifest.fromMap(read)).isEqualTo(m);
    assertThat(json.readTree(bytes).path("status").asText()).isEqualTo("complete");
    assertThat(json.readTree(bytes).path("parts").get(1).path("sha256").asText()).isEqualTo("cd34");
  }

  @Test
  void aBrokenManifestNamesTheField() {
    Map<String, Object> m = new HashMap<>(manifest().toMap());
    m.put(RunManifest.STATUS, "done");
    assertThatThrownBy(() -> RunManifest.fromMap(m))
        .hasMessageContaining("'status' is 'done', not complete or partial");
    m.put(RunManifest.STATUS, "partial");
    m.put(RunManifest.PAGES, "many");
    assertThatThrownBy(() -> RunManifest.fromMap(m))
        .hasMessageContaining("'pages' is not a number");
    m.remove(RunManifest.PAGES);
    m.remove(RunManifest.RUN_ID);
    assertThatThrownBy(() -> RunManifest.fromMap(m)).hasMessageContaining("'run_id' is missing");
  }
}
