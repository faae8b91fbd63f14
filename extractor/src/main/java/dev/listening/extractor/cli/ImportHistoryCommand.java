package dev.listening.extractor.cli;

import dev.listening.extractor.history.ExportReader;
import dev.listening.extractor.history.HistoryImport;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.BlobStores;
import dev.listening.landing.StreamingHistory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "import-history",
    mixinStandardHelpOptions = true,
    description = {
      "Lands one user's Spotify Extended streaming history export (the zip as downloaded, or its"
          + " folder) under streaming_history/, one partition per stream day. Every file is"
          + " checked before anything lands. Re-importing, or importing a newer export that"
          + " overlaps, adds no duplicate. IP addresses, the decrypted user agent and the username"
          + " are dropped before landing, not hashed. Calls no API."
    })
final class ImportHistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--export",
      required = true,
      paramLabel = "ZIP|DIR",
      description = "The export: my_spotify_data.zip as downloaded, or the folder it unzips to.")
  Path export;

  @Option(
      names = "--user",
      required = true,
      paramLabel = "KEY",
      description = "The user key the export belongs to (the same key as the user's polls).")
  String user;

  @Option(
      names = "--landing",
      defaultValue = "${env:LANDING_URI:-data/landing}",
      description =
          "Landing root: a local folder or gs://bucket/prefix (env LANDING_URI)."
              + " Default: ${DEFAULT-VALUE}.")
  String landing;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      StreamingHistory.runId(user);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--user: " + e.getMessage());
    }
    List<ExportReader.ExportFile> files = ExportReader.read(export);
    HistoryImport.Summary s;
    try (BlobStore store = BlobStores.open(landing)) {
      s = new HistoryImport(store, Clock.systemUTC()).run(user, files);
    }
    if (!s.unknownFields().isEmpty()) {
      err.println(
          "warning: fields this importer does not know were landed as they are: "
              + describe(s.unknownFields().toString()));
    }
    if (s.quarantined() > 0) {
      err.println(
          "warning: "
              + s.quarantined()
              + " stream(s) without a readable ts landed in "
              + StreamingHistory.quarantineDirectory(user)
              + "/, not in the history");
    }
    out.println(
        "import-history "
            + user
            + ": "
            + s.files()
            + " files, "
            + s.streams()
            + " streams; "
            + s.added()
            + " added, "
            + s.alreadyLanded()
            + " already landed, "
            + s.quarantined()
            + " quarantined; "
            + s.daysWritten()
            + " days written, "
            + s.daysUnchanged()
            + " unchanged; dropped before landing: "
            + (s.droppedFields().isEmpty() ? "nothing" : describe(s.droppedFields().toString())));
    out.flush();
    err.flush();
    return 0;
  }

  private static String describe(String map) {
    return map.substring(1, map.length() - 1);
  }
}
