package dev.listening.local.robust;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.local.Jars;
import dev.listening.local.LocalPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The heavier versions of the robustness tests, with their figures: the tests in the test command
 * run the same drills on small days.
 */
@Command(
    name = "robustness",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the robustness drills on bigger days and prints their figures: the extractor killed"
          + " hard over a day and resumed. Takes a while."
    })
public final class Robustness implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--work-dir",
      defaultValue = "target/robustness",
      description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(
      names = "--drills",
      split = ",",
      defaultValue = "crash",
      description = "Which drills to run (default: ${DEFAULT-VALUE}).")
  List<String> drills;

  @Option(
      names = "--users",
      defaultValue = "300",
      description = "Users in the crash drill's day (default: ${DEFAULT-VALUE}).")
  int users;

  @Mixin Jars jars;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    SparkSession spark = LocalPipeline.spark();
    Map<String, Object> report = new LinkedHashMap<>();
    boolean held = true;
    if (drills.contains("crash")) {
      System.out.println(
          "crash drill: " + users + " users, polled hourly, each run killed twice ...");
      CrashDrill.Result r =
          new CrashDrill(jars, work.resolve("crash"), users, users * 120L, 1, 2, 7).run(spark);
      report.put("crash", r.figures());
      held &= r.problems().isEmpty();
      print(report);
    }
    Files.writeString(
        work.resolve("report.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return held ? 0 : 1;
  }

  private static void print(Map<String, Object> report) throws Exception {
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
  }
}
