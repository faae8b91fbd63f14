package dev.listening.extractor.history;

import static dev.listening.landing.StreamingHistory.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a streaming-history export, the zip as downloaded or its folder, and checks every file
 * before anything is landed: a zip that is not whole, a file over {@link
 * dev.listening.landing.StreamingHistory#MAX_FILE_BYTES}, a file that is not a JSON array of
 * objects, or an export without any streaming-history file fails the whole import with one message
 * that names each bad file and what to do ({@link BadExport}, exit 2). Other files of the export
 * (Spotify adds a PDF) are ignored.
 */
public final class ExportReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportReader() {}

  /** An export file's streams, in the file's order. */
  public record ExportFile(String name, List<ObjectNode> streams) {}

  /** The export cannot be imported; the message says which file and what to do. */
  public static final class BadExport extends IllegalArgumentException {
    public BadExport(String message) {
      super(message);
    }
  }

  /** Every streaming-history file of the export, ordered by name; throws {@link BadExport}. */
  public static List<ExportFile> read(Path export) throws IOException {
    if (!Files.exists(export)) {
      throw new BadExport("--export " + export + " does not exist: pass the zip or its folder");
    }
    List<String> problems = new ArrayList<>();
    List<ExportFile> files =
        Files.isDirectory(export) ? readFolder(export, problems) : readZip(export, problems);
    if (problems.isEmpty() && files.isEmpty()) {
      problems.add(
          export
              + " holds no streaming-history file (Streaming_History_Audio_*.json or"
              + " Streaming_History_Video_*.json): is it the Extended streaming history export?");
    }
    if (!problems.isEmpty()) {
      throw new BadExport(
          "the export was not imported, nothing landed:\n  - " + String.join("\n  - ", problems));
    }
    files.sort((a, b) -> a.name().compareTo(b.name()));
    return files;
  }

  private static List<ExportFile> readFolder(Path folder, List<String> problems)
      throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(folder)) {
      paths =
          walk.filter(Files::isRegularFile)
              .filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches())
              .sorted()
              .toList();
    }
    List<ExportFile> files = new ArrayList<>();
    for (Path p : paths) {
      String name = folder.relativize(p).toString();
      long size = Files.size(p);
      if (size > MAX_FILE_BYTES) {
        problems.add(tooBig(name, size));
        continue;
      }
      try (InputStream in = Files.newInputStream(p)) {
        parse(name, in, problems).ifPresent(files::add);
      }
    }
    return files;
  }

  private static List<ExportFile> readZip(Path zip, List<String> problems) throws IOException {
    List<ExportFile> files = new ArrayList<>();
    ZipFile z;
    try {
      z = new ZipFile(zip.toFile());
    } catch (ZipException e) {
      problems.add(
          zip
              + " is not a whole zip file ("
              + e.getMessage()
              + "): download the export again, or unzip what you can and pass the folder");
      return files;
    }
    try (z) {
      Enumeration<? extends ZipEntry> entries = z.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
        if (e.isDirectory() || !FILE_NAME.matcher(base).matches()) {
          continue;
        }
        String name = zip.getFileName() + "!" + e.getName();
        if (e.getSize() > MAX_FILE_BYTES) {
          problems.add(tooBig(name, e.getSize()));
          continue;
        }
        try (InputStream in = z.getInputStream(e)) {
          parse(name, in, problems).ifPresent(files::add);
        } catch (ZipException ex) {
          problems.add(
              name + " cannot be unzipped (" + ex.getMessage() + "): download the export again");
        }
      }
    }
    return files;
  }

  private static String tooBig(String name, long size) {
    return name
        + " is "
        + size / (1024 * 1024)
        + " MB, more than the "
        + MAX_FILE_BYTES / (1024 * 1024)
        + " MB an export file may have (Spotify splits exports into files of about 12 MB):"
        + " check it is a file of the export as downloaded, or split it into several arrays";
  }

  private static java.util.Optional<ExportFile> parse(
      String name, InputStream in, List<String> problems) throws IOException {
    List<ObjectNode> streams = new ArrayList<>();
    try (JsonParser p = JSON.getFactory().createParser(in)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_ARRAY) {
        problems.add(
            name
                + " is not a JSON array of streams (it starts with "
                + (first == null ? "nothing" : first.asString())
                + "): remove it from the export, or download the export again");
        return java.util.Optional.empty();
      }
      int index = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == null) {
          throw new JsonProcessingException("the array is not closed", p.currentLocation()) {};
        }
        JsonNode node = JSON.readTree(p);
        if (!(node instanceof ObjectNode object)) {
          problems.add(
              name
                  + ": element "
                  + index
                  + " is not a stream object but "
                  + node.getNodeType()
                  + ": is it a file of the export?");
          return java.util.Optional.empty();
        }
        streams.add(object);
        index++;
      }
    } catch (JsonProcessingException e) {
      problems.add(
          name
              + " is not valid JSON ("
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + "): it may be cut off; download the export again");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new ExportFile(name, streams));
  }
}
