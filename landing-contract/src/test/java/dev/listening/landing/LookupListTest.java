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
}
