package dev.listening.extractor.cli;

import dev.listening.extractor.Json;
import dev.listening.extractor.history.ExportReader;
import dev.listening.extractor.history.HistoryImport;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.BlobStores;
import dev.listening.landing.StreamingHistory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
      paramLabel = "ZIP|DIR",
      description =
          "The export: my_spotify_data.zip as downloaded, or the folder it unzips to. Default:"
              + " none; give it with --user, or give --exports instead.")
  Path export;

  @Option(
      names = "--user",
      paramLabel = "KEY",
      description =
          "The user key the export belongs to (the same key as the user's polls). Default: none;"
              + " required with --export.")
  String user;

  @Option(
      names = "--exports",
      paramLabel = "DIR",
      description =
          "Instead of --export and --user: a folder with one export (zip or folder) per user, each"
              + " named by its user key (a zip as <key>.zip). Every export is checked before any"
              + " lands. Default: none.")
  Path exports;

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
    Map<String, Path> byUser = new TreeMap<>();
    if (exports != null) {
      if (export != null || user != null) {
        throw new IllegalArgumentException(
            "--exports replaces --export and --user: give one or the other");
      }
      if (!Files.isDirectory(exports)) {
        throw new IllegalArgumentException("--exports " + exports + " is not a folder");
      }
      try (Stream<Path> list = Files.list(exports)) {
        for (Path p : list.toList()) {
          String name = p.getFileName().toString();
          byUser.put(name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name, p);
        }
      }
    } else if (export == null || user == null) {
      throw new IllegalArgumentException("give --export and --user (or --exports)");
    } else {
      byUser.put(user, export);
    }
    // Every export is read and checked before anything lands.
    Map<String, List<ExportReader.ExportFile>> files = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : byUser.entrySet()) {
      try {
        StreamingHistory.runId(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("user key of " + e.getValue() + ": " + ex.getMessage());
      }
      files.put(e.getKey(), ExportReader.read(e.getValue()));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", "import-history");
    summary.put("status", "ok");
    summary.put("users", files.size());
    Map<String, Long> totals = new LinkedHashMap<>();
    Map<String, Long> unknown = new TreeMap<>();
    Map<String, Long> dropped = new TreeMap<>();
    try (BlobStore store = BlobStores.open(landing)) {
      HistoryImport history = new HistoryImport(store, Clock.systemUTC());
      for (Map.Entry<String, List<ExportReader.ExportFile>> e : files.entrySet()) {
        HistoryImport.Summary s = history.run(e.getKey(), e.getValue());
        // A line for people on stderr, the JSON summary on stdout (as every command prints it).
        err.println(
            "import-history "
                + s.userKey()
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
                + (s.droppedFields().isEmpty()
                    ? "nothing"
                    : describe(s.droppedFields().toString())));
        if (s.quarantined() > 0) {
          err.println(
              "warning: "
                  + s.quarantined()
                  + " stream(s) without a readable ts landed in "
                  + StreamingHistory.quarantineDirectory(s.userKey())
                  + "/, not in the history");
        }
        totals.merge("files", (long) s.files(), Long::sum);
        totals.merge("streams", s.streams(), Long::sum);
        totals.merge("added", s.added(), Long::sum);
        totals.merge("already_landed", s.alreadyLanded(), Long::sum);
        totals.merge("quarantined", s.quarantined(), Long::sum);
        totals.merge("days_written", (long) s.daysWritten(), Long::sum);
        totals.merge("days_unchanged", (long) s.daysUnchanged(), Long::sum);
        s.unknownFields().forEach((k, v) -> unknown.merge(k, v, Long::sum));
        s.droppedFields().forEach((k, v) -> dropped.merge(k, v, Long::sum));
      }
    }
    if (!unknown.isEmpty()) {
      err.println(
          "warning: fields this importer does not know were landed as they are: "
              + describe(unknown.toString()));
    }
    summary.putAll(totals);
    summary.put("unknown_fields", unknown);
    summary.put("dropped_fields", dropped);
    // The most heap the import held at once (sum of the heap pools' peaks): what a Cloud Run task
    // needs for an export this size.
    long peak = 0;
    for (java.lang.management.MemoryPoolMXBean pool :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    summary.put("peak_heap_mb", peak / (1024 * 1024));
    out.println(Json.mapper().writeValueAsString(summary));
    out.flush();
    err.flush();
    return 0;
  }

  private static String describe(String map) {
    return map.substring(1, map.length() - 1);
  }
}
