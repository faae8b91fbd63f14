package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the seed generates: catalog and plays, and that the same seed generates the same. */
class GenerationTest {
  private static final SimWorld WORLD = SimWorld.generate(SimulatorConfig.defaults());

  @Test
  void sameSeedSameWorld() {
    SimWorld again = SimWorld.generate(SimulatorConfig.defaults());
    assertThat(again.catalog.trackIds()).isEqualTo(WORLD.catalog.trackIds());
    assertThat(again.catalog.albumIds()).isEqualTo(WORLD.catalog.albumIds());
    assertThat(again.catalog.artistIds()).isEqualTo(WORLD.catalog.artistIds());
    assertThat(Arrays.asList(again.catalog.trackNames))
        .isEqualTo(Arrays.asList(WORLD.catalog.trackNames));
    assertThat(again.truth.plays().toList()).isEqualTo(WORLD.truth.plays().toList());
    assertThat(again.population.expired).isEqualTo(WORLD.population.expired);
  }

  @Test
  void otherSeedOtherWorld() {
    SimWorld other = SimWorld.generate(SimulatorConfig.defaults().withSeed(43));
    assertThat(other.catalog.trackIds().get(0)).isNotEqualTo(WORLD.catalog.trackIds().get(0));
    assertThat(other.truth.plays().map(GroundTruth.Play::playedAt).toList())
        .isNotEqualTo(WORLD.truth.plays().map(GroundTruth.Play::playedAt).toList());
  }

  @Test
  void catalogDoesNotDependOnThePopulation() {
    SimWorld fewer =
        SimWorld.generate(SimulatorConfig.defaults().withUsers(10).withPlaysPerDay(1_000));
    assertThat(fewer.catalog.trackIds()).isEqualTo(WORLD.catalog.trackIds());
    assertThat(Arrays.asList(fewer.catalog.artistNames))
        .isEqualTo(Arrays.asList(WORLD.catalog.artistNames));
  }

  @Test
  void boxSetsNeedMoreThanOnePageAreFeaturedInEveryMarketAndAreNeverPlayed() {
    Catalog c = WORLD.catalog;
    List<String> boxSets = c.boxSetAlbumIds();
    assertThat(boxSets).hasSize(Catalog.BOX_SETS);
    Set<String> boxSetTracks = new HashSet<>();
    for (String album : boxSets) {
      List<String> tracks = c.albumTrackIds(album).orElseThrow();
      assertThat(tracks.size())
          .as("longer than the 50 tracks of one page")
          .isBetween(Catalog.BOX_SET_MIN_TRACKS, Catalog.BOX_SET_MAX_TRACKS);
      boxSetTracks.addAll(tracks);
      int b = c.albumIndexOf(album);
      assertThat(c.albumType[b]).isEqualTo(Catalog.TYPE_COMPILATION);
      assertThat(c.albumReleaseEpochDay[b])
          .as("released in the three weeks before the day")
          .isBetween((int) c.day.toEpochDay() - 22, (int) c.day.toEpochDay() - 1);
    }
    for (String market : List.of("SE", "JP", "US")) {
      assertThat(c.newReleaseAlbumIds(market)).containsAll(boxSets);
    }
    assertThat(WORLD.truth.plays().map(GroundTruth.Play::trackId).filter(boxSetTracks::contains))
        .as("nobody has played a box set yet")
        .isEmpty();
    for (int[] items : c.playlistItems) {
      for (int item : items) {
        assertThat(item).isLessThan(c.playableTrackCount);
      }
    }
  }

  @Test
  void idsLookLikeSpotifyIdsAndAreUnique() {
    Pattern base62 = Pattern.compile("[0-9A-Za-z]{22}");
    for (List<String> ids :
        List.of(WORLD.catalog.trackIds(), WORLD.catalog.albumIds(), WORLD.catalog.artistIds())) {
      assertThat(ids).allMatch(id -> base62.matcher(id).matches());
      assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }
    assertThat(WORLD.catalog.isKnown("track", WORLD.catalog.trackIds().get(5))).isTrue();
    assertThat(WORLD.catalog.isKnown("album", WORLD.catalog.trackIds().get(5))).isFalse();
    assertThat(WORLD.catalog.isKnown("artist", Catalog.VARIOUS_ARTISTS_ID)).isTrue();
  }

  @Test
  void catalogHasTheEdgeCasesPipelinesTripOn() {
    Catalog c = WORLD.catalog;
    Set<Byte> precisions = new HashSet<>();
    Set<Byte> types = new HashSet<>();
    for (int b = 0; b < c.albumCount; b++) {
      precisions.add(c.albumPrecision[b]);
      types.add(c.albumType[b]);
    }
    assertThat(precisions)
        .containsExactlyInAnyOrder(
            Catalog.PRECISION_YEAR, Catalog.PRECISION_MONTH, Catalog.PRECISION_DAY);
    assertThat(types)
        .containsExactlyInAnyOrder(
            Catalog.TYPE_ALBUM, Catalog.TYPE_SINGLE, Catalog.TYPE_COMPILATION);
    String names = String.join("\n", c.trackNames) + String.join("\n", c.artistNames);
    assertThat(names).contains("\"", "'", ",");
    assertThat(
            names
                .codePoints()
                .anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN))
        .isTrue();
    assertThat(
            names
                .codePoints()
                .anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.CYRILLIC))
        .isTrue();
    assertThat(
            names
                .codePoints()
                .anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.ARABIC))
        .isTrue();
    assertThat(
            names
                .codePoints()
                .anyMatch(
                    cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.DEVANAGARI))
        .isTrue();
    assertThat(names.codePoints().anyMatch(cp -> cp >= 0x1F300)).as("emoji").isTrue();
    int withPreview = 0;
    int restricted = 0;
    for (int t = 0; t < c.trackCount; t++) {
      int artists = c.trackArtistStart[t + 1] - c.trackArtistStart[t];
      assertThat(artists).isBetween(1, 3);
      withPreview += (c.trackFlags[t] & Catalog.FLAG_PREVIEW) != 0 ? 1 : 0;
      restricted += (c.trackFlags[t] & Catalog.FLAG_RESTRICTED) != 0 ? 1 : 0;
    }
    assertThat(withPreview).as("preview_url mostly null").isPositive().isLessThan(c.trackCount / 5);
    assertThat(restricted).isPositive().isLessThan(c.trackCount / 20);
    assertThat(c.userPlaylistIds()).hasSize(4);
    assertThat(
            c.userPlaylistIds().stream()
                .mapToInt(id -> c.playlistTrackUris(id).orElseThrow().size())
                .max()
                .orElseThrow())
        .as("some playlist needs paging at 100")
        .isGreaterThan(100);
    assertThat(c.newReleaseAlbumIds("SE")).hasSize(60).isNotEqualTo(c.newReleaseAlbumIds("JP"));
  }

  @Test
  void playsFollowTheDescribedShape() {
    GroundTruth truth = WORLD.truth;
    SimulatorConfig config = WORLD.config;
    assertThat(truth.playCount()).isEqualTo(config.playsPerDay());
    Instant dayStart = config.day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    Instant dayEnd = dayStart.plus(Duration.ofDays(1));
    long late = 0;
    long local = 0;
    long noContext = 0;
    Set<String> contextKinds = new HashSet<>();
    for (int u = 0; u < truth.userKeys.length; u++) {
      long previous = Long.MIN_VALUE;
      int from = truth.userStart[u];
      int to = truth.userStart[u + 1];
      boolean burst = false;
      for (int i = from; i < to; i++) {
        assertThat(truth.playedAtMs[i])
            .as("played_at strictly increasing per user")
            .isGreaterThan(previous);
        previous = truth.playedAtMs[i];
        assertThat(Instant.ofEpochMilli(truth.playedAtMs[i])).isBetween(dayStart, dayEnd);
        assertThat(truth.visibleDelayMs[i]).isBetween(0, (int) config.maxLateness().toMillis());
        late += truth.visibleDelayMs[i] > 15_000 ? 1 : 0;
        // More than 50 plays within one hour: play i and the one 50 later are < 1 h apart.
        burst |= i + 50 < to && truth.playedAtMs[i + 50] - truth.playedAtMs[i] < 3_600_000;
      }
      if (WORLD.population.heavy[u]) {
        assertThat(burst)
            .as("heavy listener %s plays a burst of > 50 in an hour", truth.userKeys[u])
            .isTrue();
      } else {
        assertThat(burst)
            .as("normal listener %s never overruns the horizon in an hour", truth.userKeys[u])
            .isFalse();
      }
    }
    for (GroundTruth.Play p : truth.plays().toList()) {
      if (p.trackId() == null) {
        local++;
        assertThat(p.trackUri()).startsWith("spotify:local:");
      } else {
        assertThat(p.trackUri()).isEqualTo("spotify:track:" + p.trackId());
      }
      if (p.contextUri() == null) {
        noContext++;
      } else {
        contextKinds.add(p.contextUri().split(":")[1]);
      }
    }
    assertThat(late)
        .as("late share about 3%")
        .isBetween(config.playsPerDay() / 100, config.playsPerDay() / 15);
    assertThat(local).isPositive();
    assertThat((double) noContext / truth.playCount())
        .as("null contexts about 20%")
        .isBetween(0.08, 0.35);
    assertThat(contextKinds).containsExactlyInAnyOrder("album", "playlist", "artist");
  }

  @Test
  void aMillionPlaysDayIsGeneratedInSeconds() {
    long start = System.nanoTime();
    SimWorld big =
        SimWorld.generate(SimulatorConfig.defaults().withUsers(20_000).withPlaysPerDay(1_200_000));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(big.truth.playCount()).isEqualTo(1_200_000);
    // About 1 s on a laptop core; the bound leaves room for a busy shared CI machine.
    assertThat(millis).isLessThan(15_000);
  }
}
