package dev.listening.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The warehouse after gold, with the real tools from the repository's Python environment ({@code
 * .venv/warehouse}, made by {@code tools/python-env.sh warehouse}): {@code dbt build} on the local
 * target, the GX checkpoint, and the HTML report. Each runs as its own process with the command
 * line the Airflow DAGs use; its output goes to the run's {@code logs/} folder.
 */
final class WarehouseStages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Python environment, relative to the repository (tools/python-env.sh makes it). */
  static final String VENV = ".venv/warehouse";

  private final Path repo;
  private final Path out;
  private final Path logs;
  private final LocalDate day;

  private WarehouseStages(Path repo, Path out, Path logs, LocalDate day) {
    this.repo = repo;
    this.out = out;
    this.logs = logs;
    this.day = day;
  }

  /** Null when the environment is missing; the caller reports {@link #missing}. */
  static WarehouseStages of(Path repo, Path out, Path logs, LocalDate day) {
    Path absolute = repo.toAbsolutePath().normalize();
    return Files.isExecutable(absolute.resolve(VENV).resolve("bin/dbt"))
        ? new WarehouseStages(absolute, out.toAbsolutePath().normalize(), logs, day)
        : null;
  }

  static String missing(Path repo) {
    return "no Python environment at "
        + repo.toAbsolutePath().normalize().resolve(VENV)
        + ": run tools/python-env.sh warehouse (./run.sh and ./test.sh do)";
  }

  /**
   * {@code dbt build --target local --vars {"run_date": D}}; returns passed/failed counts per kind
   * (models, data tests, unit tests) from dbt's run_results.json.
   */
  Map<String, Object> dbtBuild() throws IOException, InterruptedException {
    Path target = out.resolve("dbt-target");
    int code =
        run(
            "dbt.log",
            List.of(
                bin("dbt"),
                "build",
                "--project-dir",
                "dbt_project",
                "--profiles-dir",
                "dbt_project",
                "--target",
                "local",
                "--vars",
                "{\"run_date\": \"" + day + "\"}"),
            Map.of("DBT_TARGET_PATH", target.toString()));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("exit_code", code);
    Path runResults = target.resolve("run_results.json");
    if (Files.exists(runResults)) {
      Map<String, Map<String, Integer>> counts = new TreeMap<>();
      for (JsonNode r : JSON.readTree(runResults.toFile()).path("results")) {
        String kind = r.path("unique_id").asText().split("\\.")[0];
        counts
            .computeIfAbsent(kind, k -> new TreeMap<>())
            .merge(r.path("status").asText(), 1, Integer::sum);
      }
      result.put("results", counts);
      result.put(
          "elapsed_seconds",
          Math.round(JSON.readTree(runResults.toFile()).path("elapsed_time").asDouble() * 100)
              / 100.0);
    }
    result.put("status", code == 0 ? "passed" : "failed");
    result.put("log", logs.resolve("dbt.log").toString());
    return result;
  }

  /** The GX checkpoint of the day; its one-screen summary goes to logs/checkpoint.log. */
  Map<String, Object> checkpoint(long minRows, long maxRows)
      throws IOException, InterruptedException {
    Path json = out.resolve("checkpoint-result.json");
    Files.deleteIfExists(json);
    int code =
        run(
            "checkpoint.log",
            List.of(
                bin("python"),
                "great_expectations/run_checkpoint.py",
                "--target",
                "local",
                "--date",
                day.toString(),
                "--run-dir",
                out.toString(),
                "--expected-rows",
                minRows + ":" + maxRows,
                "--json-out",
                json.toString()),
            Map.of());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("exit_code", code);
    if (Files.exists(json)) {
      JsonNode r = JSON.readTree(json.toFile());
      result.put("expectations", r.path("expectations").asInt());
      List<String> failed = new ArrayList<>();
      r.path("failed")
          .forEach(
              f ->
                  failed.add(
                      f.path("table").asText()
                          + ": "
                          + f.path("expectation").asText()
                          + " "
                          + f.path("on").asText()));
      result.put("failed", failed);
      result.put("seconds", r.path("seconds").path("total").asDouble());
    }
    result.put("status", code == 0 ? "passed" : "failed");
    result.put("log", logs.resolve("checkpoint.log").toString());
    return result;
  }

  /** The HTML report, from the marts and these run facts; returns its path. */
  String report(Map<String, Object> facts) throws IOException, InterruptedException {
    Files.writeString(
        out.resolve("warehouse-run-facts.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(facts));
    int code =
        run(
            "report.log",
            List.of(
                bin("python"),
                "report/build_report.py",
                "--run-dir",
                out.toString(),
                "--date",
                day.toString()),
            Map.of());
    if (code != 0) {
      throw new IllegalStateException(
          "the report failed (exit " + code + "): see " + logs.resolve("report.log"));
    }
    return out.resolve("report.html").toString();
  }

  /** What the run summary lists as problems: a failed dbt build or checkpoint. */
  @SuppressWarnings("unchecked")
  static List<String> problems(Map<String, Object> result) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> dbt = (Map<String, Object>) result.get("dbt");
    if (!"passed".equals(dbt.get("status"))) {
      problems.add("dbt build failed: " + dbt.get("results") + "; see " + dbt.get("log"));
    }
    Map<String, Object> checkpoint = (Map<String, Object>) result.get("checkpoint");
    if (!"passed".equals(checkpoint.get("status"))) {
      problems.add(
          "the GX checkpoint failed: "
              + checkpoint.getOrDefault("failed", List.of())
              + "; see "
              + checkpoint.get("log"));
    }
    return problems;
  }

  private String bin(String tool) {
    return repo.resolve(VENV).resolve("bin").resolve(tool).toString();
  }

  /** Runs a tool in the repository folder, its output appended to logs/{@code log}. */
  private int run(String log, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    Path logFile = logs.resolve(log);
    Files.writeString(
        logFile,
        "$ " + String.join(" ", command) + "\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().put("LISTENING_RUN_DIR", out.toString());
    pb.environment().put("DBT_LOG_PATH", logs.resolve("dbt").toString());
    pb.environment().put("DBT_SEND_ANONYMOUS_USAGE_STATS", "false");
    pb.environment().put("GX_ANALYTICS_ENABLED", "false");
    pb.environment().putAll(env);
    return pb.start().waitFor();
  }
}
