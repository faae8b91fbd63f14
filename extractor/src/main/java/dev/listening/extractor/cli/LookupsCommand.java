package dev.listening.extractor.cli;

import dev.listening.extractor.config.ExtractionOptions;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.ExtractionFactory;
import dev.listening.extractor.run.LookupIds;
import dev.listening.extractor.run.LookupRun;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.BlobStores;
import dev.listening.landing.CatalogKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "lookups",
    mixinStandardHelpOptions = true,
    description = {
      "Looks up tracks, albums and artists by id, each id once: batch calls in extended mode,"
          + " one call per id in development mode (configured, or found out from a 403). Ids"
          + " come from the enrichment list (CSV entity_type,id) and/or the inline options.",
      "",
      "album_tracks entries (--album-tracks-ids) ask for an album's complete track list: every"
          + " page of GET /albums/{id}/tracks (both app modes), after the look-ups, minus the"
          + " first page an album look-up of the same run already carried."
    })
final class LookupsCommand implements Callable<Integer> {
  @Mixin ExtractionOptions options;

  @Option(
      names = "--ids",
      description =
          "A CSV file or folder of CSV files (entity_type,id), local or gs://. Default: none.")
  String idsUri;

  @Option(
      names = "--track-ids",
      split = ",",
      description = "Track ids, comma-separated. Default: none.")
  List<String> trackIds = new ArrayList<>();

  @Option(
      names = "--album-ids",
      split = ",",
      description = "Album ids, comma-separated. Default: none.")
  List<String> albumIds = new ArrayList<>();

  @Option(
      names = "--artist-ids",
      split = ",",
      description = "Artist ids, comma-separated. Default: none.")
  List<String> artistIds = new ArrayList<>();

  @Option(
      names = "--album-tracks-ids",
      split = ",",
      description =
          "Ids of albums whose complete track list to fetch, comma-separated. Default: none.")
  List<String> albumTracksIds = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> problems = new ArrayList<>();
    ExtractorConfig config = Commands.config(options, null, false, null, problems);
    LookupIds ids = new LookupIds();
    trackIds.forEach(id -> ids.add(CatalogKind.TRACK, id, "--track-ids"));
    albumIds.forEach(id -> ids.add(CatalogKind.ALBUM, id, "--album-ids"));
    artistIds.forEach(id -> ids.add(CatalogKind.ARTIST, id, "--artist-ids"));
    albumTracksIds.forEach(id -> ids.add(CatalogKind.ALBUM_TRACKS, id, "--album-tracks-ids"));
    if (idsUri != null) {
      String[] parent = ExtractionFactory.splitParent(idsUri);
      try (BlobStore store = BlobStores.open(parent[0])) {
        ids.addFrom(store, parent[1]);
      }
    } else if (trackIds.isEmpty()
        && albumIds.isEmpty()
        && artistIds.isEmpty()
        && albumTracksIds.isEmpty()) {
      problems.add(
          "nothing to look up: pass --ids or --track-ids/--album-ids/--artist-ids/"
              + "--album-tracks-ids");
    }
    try {
      ids.validated();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    return Commands.execute("lookups", config, problems, x -> new LookupRun(x, ids.validated()));
  }
}
