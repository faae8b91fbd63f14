package dev.listening.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LookupListTest {
  @Test
  void linesRoundTripAndTheHeaderAndBlanksAreSkipped() {
    String line = LookupList.line(CatalogKind.ALBUM, "a1");
    assertThat(LookupList.parseLine(line)).isEqualTo(new LookupList.Entry(CatalogKind.ALBUM, "a1"));
    assertThat(LookupList.parseLine(LookupList.HEADER)).isNull();
    assertThat(LookupList.parseLine("  ")).isNull();
    assertThatThrownBy(() -> LookupList.parseLine("track")).hasMessageContaining("entity_type,id");
    assertThatThrownBy(() -> LookupList.parseLine("song,x")).hasMessageContaining("'song'");
  }

  @Test
  void anAlbumsTrackListIsAskedForByTheAlbumsIdAndLandsUnderItsOwnEndpoint() {
    String line = LookupList.line(CatalogKind.ALBUM_TRACKS, "al1");
    assertThat(line).isEqualTo("album_tracks,al1\n");
    assertThat(LookupList.parseLine(line))
        .isEqualTo(new LookupList.Entry(CatalogKind.ALBUM_TRACKS, "al1"));
    assertThat(CatalogKind.ALBUM_TRACKS.endpoint().landingName()).isEqualTo("album_tracks");
    assertThat(CatalogKind.ALBUM_TRACKS.hasBatchForm()).as("no ?ids= form").isFalse();
    assertThat(CatalogKind.ALBUM.hasBatchForm()).isTrue();
  }
}
