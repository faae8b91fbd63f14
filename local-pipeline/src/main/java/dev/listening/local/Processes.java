package dev.listening.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Starts the production jars as their own processes, exactly as Cloud Run would. */
public final class Processes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Processes() {}

  public static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** An extractor run's outcome: exit code and its JSON summary (stdout). */
  public record Run(int exitCode, JsonNode summary) {}

  /** Runs {@code java -Xmx512m -jar extractor.jar <args>}, its log appended to {@code log}. */
  static Run extractor(Path jar, Path log, List<String> args)
      throws IOException, InterruptedException {
    return extractor(jar, "512m", log, args);
  }

  /** Runs {@code java -Xmx<heap> -jar extractor.jar <args>}, as a Cloud Run task would. */
  public static Run extractor(Path jar, String heap, Path log, List<String> args)
      throws IOException, InterruptedException {
    return finish(startExtractor(jar, heap, List.of(), log, args));
  }

  /** An extractor process under way; {@link #finish} waits for it and reads its summary. */
  public record Started(Process process, Path out, Path log) {}

  /** Starts {@code java -Xmx<heap> <jvmArgs> -jar extractor.jar <args>}; its log goes to log. */
  public static Started startExtractor(
      Path jar, String heap, List<String> jvmArgs, Path log, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + heap));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    Path out = Files.createTempFile("extractor-summary", ".json");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new Started(p, out, log);
  }

  /** Waits for the process; its exit code and its JSON summary (stdout, when it printed one). */
  public static Run finish(Started s) throws IOException, InterruptedException {
    try {
      int code = s.process().waitFor();
      String stdout = Files.readString(s.out(), StandardCharsets.UTF_8).strip();
      Files.writeString(s.log(), "summary: " + stdout + "\n", StandardOpenOption.APPEND);
      JsonNode summary =
          stdout.isEmpty()
              ? JSON.createObjectNode()
              : JSON.readTree(stdout.substring(stdout.lastIndexOf('\n') + 1));
      return new Run(code, summary);
    } finally {
      Files.deleteIfExists(s.out());
    }
  }
}
