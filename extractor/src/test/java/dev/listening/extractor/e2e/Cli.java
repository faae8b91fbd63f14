package dev.listening.extractor.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.extractor.ExtractorMain;
import dev.listening.simulator.SpotifySimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the jar's entry point in-process, capturing what an operator would see. */
final class Cli {
  /** One command's exit code, summary (stdout) and log (stderr). */
  record Result(int exitCode, String stdout, String stderr) {
    JsonNode summary() {
      try {
        String[] lines = stdout.strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
      } catch (IOException e) {
        throw new AssertionError("no JSON summary on stdout: " + stdout + "\n" + stderr, e);
      }
    }
  }

  private Cli() {}

  static synchronized Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      code = ExtractorMain.execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** The options every local run against a simulator passes. */
  static List<String> against(SpotifySimulator sim, String landing) {
    return new ArrayList<>(
        List.of(
            "--api-base-url",
            sim.apiBaseUrl(),
            "--accounts-base-url",
            sim.accountsBaseUrl(),
            "--client-secret-ref",
            "sim",
            "--landing",
            landing,
            "--no-progress"));
  }

  static String[] args(String command, List<String> common, String... more) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(common);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
