package dev.listening.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LandingPartitionTest {
  private final LandingPartition p =
      new LandingPartition(
          Endpoint.RECENTLY_PLAYED, LocalDate.parse("2026-11-20"), "poll-1", new Shard(2, 8));

  @Test
  void pathsAreHiveStyleAndDeterministic() {
    assertThat(p.directory()).isEqualTo("recently_played/date=2026-11-20/run=poll-1/shard=2-of-8");
    assertThat(p.partPath(7)).isEqualTo(p.directory() + "/part-00007.ndjson.gz");
    assertThat(p.manifestPath()).isEqualTo(p.directory() + "/_manifest.json");
    assertThat(LandingPartition.dateDirectory(Endpoint.TRACKS, LocalDate.parse("2026-11-21")))
        .isEqualTo("tracks/date=2026-11-21");
  }

  @Test
  void partsAreRecognisedAndNumberedAndTheGlobMatchesThem() {
    assertThat(LandingPartition.isPart(p.partPath(12))).isTrue();
    assertThat(LandingPartition.isPart(p.manifestPath())).isFalse();
    assertThat(LandingPartition.isPart(p.directory() + "/.part-00001.ndjson.gz.tmp")).isFalse();
    assertThat(LandingPartition.partNumber(p.partPath(12))).isEqualTo(12);
    assertThat(
            FileSystems.getDefault()
                .getPathMatcher("glob:" + LandingPartition.allPartsGlob(Endpoint.RECENTLY_PLAYED))
                .matches(Path.of(p.partPath(3))))
        .isTrue();
  }

  @Test
  void runIdsMustBeSafePathSegments() {
    assertThatThrownBy(
            () ->
                new LandingPartition(
                    Endpoint.TRACKS, LocalDate.parse("2026-11-20"), "a/b", Shard.ONLY))
        .hasMessageContaining("run id 'a/b'")
        .hasMessageContaining("ts_nodash");
    assertThat(LandingPartition.checkRunId("scheduled__2026-11-20T00.00.00")).isNotNull();
  }

  @Test
  void shardsParseAndDefaultFromCloudRunTaskVariables() {
    assertThat(Shard.parse("2/8")).isEqualTo(new Shard(2, 8));
    assertThat(
            Shard.fromEnvironment(Map.of("CLOUD_RUN_TASK_INDEX", "3", "CLOUD_RUN_TASK_COUNT", "5")))
        .isEqualTo(new Shard(3, 5));
    assertThat(Shard.fromEnvironment(Map.of())).isEqualTo(Shard.ONLY);
    assertThatThrownBy(() -> Shard.parse("4/4")).hasMessageContaining("0 <= i < n");
    assertThatThrownBy(() -> Shard.parse("3/2")).hasMessageContaining("0 <= i < n");
    assertThatThrownBy(() -> Shard.parse("x")).hasMessageContaining("i/n");
    assertThat(new Shard(0, 4).pathSegment()).isEqualTo("shard=0-of-4");
  }

  @Test
  void endpointsAndKindsParseFromTheirWireNames() {
    assertThat(Endpoint.fromLandingName("playlist_items")).isEqualTo(Endpoint.PLAYLIST_ITEMS);
    assertThatThrownBy(() -> Endpoint.fromLandingName("plays"))
        .hasMessageContaining("recently_played, tracks");
    assertThat(CatalogKind.parse("Tracks")).isEqualTo(CatalogKind.TRACK);
    assertThat(CatalogKind.ARTIST.endpoint()).isEqualTo(Endpoint.ARTISTS);
    assertThat(StateLayout.watermarks()).isEqualTo("recently_played/watermarks.json");
  }
}
