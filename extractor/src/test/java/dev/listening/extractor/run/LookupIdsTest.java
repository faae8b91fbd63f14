package dev.listening.extractor.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.LocalBlobStore;
import dev.listening.landing.CatalogKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookupIdsTest {
  @TempDir Path root;

  @Test
  void readsEveryPartFileOfTheEnrichmentListOnceEachIdInOrder() throws Exception {
    BlobStore store = new LocalBlobStore(root);
    store.put(
        "ids/part-0000.csv",
        "entity_type,id\ntrack,t1\nalbum,a1\ntrack,t2\n".getBytes(StandardCharsets.UTF_8));
    store.put(
        "ids/part-0001.csv",
        "entity_type,id\ntrack,t1\nartist,r1\n".getBytes(StandardCharsets.UTF_8));
    store.put("ids/_SUCCESS", new byte[0]);

    Map<CatalogKind, List<String>> ids =
        new LookupIds()
            .addFrom(store, "ids")
            .add(CatalogKind.TRACK, "t3", "--track-ids")
            .validated();

    assertThat(ids.get(CatalogKind.TRACK)).containsExactly("t1", "t2", "t3");
    assertThat(ids.get(CatalogKind.ALBUM)).containsExactly("a1");
    assertThat(ids.get(CatalogKind.ARTIST)).containsExactly("r1");
  }

  @Test
  void badLinesAreAllReportedWithFileAndLine() throws Exception {
    BlobStore store = new LocalBlobStore(root);
    store.put(
        "ids.csv",
        "entity_type,id\nsong,t1\ntrack,bad id!\ntrack\n".getBytes(StandardCharsets.UTF_8));
    LookupIds ids = new LookupIds().addFrom(store, "ids.csv");
    assertThatThrownBy(ids::validated)
        .hasMessageContaining("3 problem(s)")
        .hasMessageContaining("ids.csv line 2: entity type 'song'")
        .hasMessageContaining("line 3: 'bad id!' is not a Spotify id")
        .hasMessageContaining("line 4: expected 'entity_type,id'");
  }

  @Test
  void anEmptyFolderSaysToRunTheEnrichmentJobFirst() {
    LookupIds ids = new LookupIds();
    assertThatThrownBy(() -> ids.addFrom(new LocalBlobStore(root), "nothing").validated())
        .hasMessageContaining("enrichment-list job");
  }
}
