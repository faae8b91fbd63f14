package dev.listening.extractor.run;

import dev.listening.extractor.storage.BlobStore;
import dev.listening.landing.CatalogKind;
import dev.listening.landing.LookupList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ids to look up, per kind, each once, in first-seen order. Read from the enrichment list the
 * Spark job writes (CSV files with an {@code entity_type,id} header, in a folder or one file) and
 * from ids given on the command line. Every bad line is reported at once, with its file and line.
 */
public final class LookupIds {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,64}");

  private final Map<CatalogKind, Set<String>> ids = new EnumMap<>(CatalogKind.class);
  private final List<String> problems = new ArrayList<>();

  public LookupIds() {
    for (CatalogKind k : CatalogKind.values()) {
      ids.put(k, new LinkedHashSet<>());
    }
  }

  public LookupIds add(CatalogKind kind, String id, String where) {
    String v = id.trim();
    if (!ID.matcher(v).matches()) {
      problems.add(where + ": '" + id + "' is not a Spotify id (base62)");
    } else {
      ids.get(kind).add(v);
    }
    return this;
  }

  /** Reads every part file under {@code prefix} (or the one object at that path). */
  public LookupIds addFrom(BlobStore store, String prefix) throws IOException {
    List<String> files = new ArrayList<>();
    if (store.get(prefix).isPresent()) {
      files.add(prefix);
    } else {
      String dir = prefix.endsWith("/") ? prefix : prefix + "/";
      for (String p : store.list(dir)) {
        String name = p.substring(p.lastIndexOf('/') + 1);
        if (!name.startsWith("_") && !name.startsWith(".")) {
          files.add(p);
        }
      }
      if (files.isEmpty()) {
        problems.add(
            store.uri(prefix)
                + " holds no id files: run the enrichment-list job first, or pass ids inline");
      }
    }
    for (String f : files) {
      parse(new String(store.get(f).orElseThrow().bytes(), StandardCharsets.UTF_8), store.uri(f));
    }
    return this;
  }

  void parse(String text, String where) {
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String at = where + " line " + (i + 1);
      try {
        LookupList.Entry e = LookupList.parseLine(lines[i]);
        if (e != null) {
          add(e.kind(), e.id(), at);
        }
      } catch (IllegalArgumentException e) {
        problems.add(at + ": " + e.getMessage());
      }
    }
  }

  /** The ids of a kind, deduplicated; throws listing every problem found while reading. */
  public Map<CatalogKind, List<String>> validated() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the ids to look up have "
              + problems.size()
              + " problem(s):\n  "
              + String.join("\n  ", problems.subList(0, Math.min(50, problems.size()))));
    }
    Map<CatalogKind, List<String>> out = new EnumMap<>(CatalogKind.class);
    ids.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return out;
  }
}
