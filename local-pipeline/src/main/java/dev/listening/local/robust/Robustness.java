package dev.listening.local.robust;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.local.Jars;
import dev.listening.local.LocalPipeline;
import dev.listening.simulator.FaultProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
          + " hard over a day and resumed (crash); the pipeline under each fault profile of the"
          + " simulator, one at a time and all together, gold reconciled with the truth each"
          + " time (faults). Takes a while."
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
      description = "Which drills to run: crash, faults (default: ${DEFAULT-VALUE}).")
  List<String> drills;

  @Option(
      names = "--users",
      description = "Users in the drills' day (default: 300 for crash, 100 for faults).")
  Integer users;

  @Option(
      names = "--profiles",
      split = ",",
      description =
          "The fault drill's profiles (default: each fault alone, then all: 429-storm,"
              + " 429-no-retry-after, quota, 5xx, malformed, slow, token-expiry, invalid-grant,"
              + " all).")
  List<String> profiles;

  @Option(
      names = "--parallel",
      defaultValue = "1",
      description =
          "Fault profiles extracting at a time, each on its own simulator (default:"
              + " ${DEFAULT-VALUE}: their seconds waited are then their own).")
  int parallel;

  @Option(
      names = "--last-poll-hour",
      defaultValue = "26",
      description =
          "The fault drill polls hourly from 01:00 to this hour of the day (26: 02:00 the next"
              + " day; default: ${DEFAULT-VALUE}).")
  int lastPollHour;

  @Mixin Jars jars;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    SparkSession spark = LocalPipeline.spark();
    Map<String, Object> report = new LinkedHashMap<>();
    boolean held = true;
    for (String drill : drills) {
      if (!drill.equals("crash") && !drill.equals("faults")) {
        System.err.println("error: --drills takes crash and faults, not '" + drill + "'");
        return 2;
      }
    }
    if (drills.contains("crash")) {
      int n = users != null ? users : 300;
      System.out.println("crash drill: " + n + " users, polled hourly, each run killed twice ...");
      CrashDrill.Result r =
          new CrashDrill(jars, work.resolve("crash"), n, n * 120L, 1, 2, 7).run(spark);
      report.put("crash", r.figures());
      held &= r.problems().isEmpty();
      print(report);
    }
    if (drills.contains("faults")) {
      int n = users != null ? users : 100;
      List<FaultProfile> chosen = new ArrayList<>();
      try {
        for (String p : profiles != null ? profiles : List.<String>of()) {
          chosen.add(FaultProfile.parse(p));
        }
      } catch (IllegalArgumentException e) {
        System.err.println("error: --profiles: " + e.getMessage());
        return 2;
      }
      if (chosen.isEmpty()) {
        chosen.addAll(FaultProfile.matrix());
      }
      System.out.printf(
          "fault drill: %d users, %d plays, polled hourly 01:00 to %02d:00 (+%dd) under each"
              + " profile, each on its own simulator; request timeout %d ms ...%n",
          n,
          n * 120L,
          lastPollHour % 24,
          lastPollHour / 24,
          FaultMatrix.REQUEST_TIMEOUT.toMillis());
      FaultMatrix.Result r =
          new FaultMatrix(
                  jars, work.resolve("faults"), n, n * 120L, lastPollHour, chosen, 11, parallel)
              .run(spark);
      Map<String, Object> faults = new LinkedHashMap<>();
      r.outcomes().forEach(o -> faults.put(o.profile(), o.figures()));
      System.out.println(FaultMatrix.heading());
      r.outcomes().forEach(o -> System.out.println(FaultMatrix.line(o)));
      report.put("faults", faults);
      report.put("faults_seconds_per_stage", r.stageSeconds());
      System.out.println("seconds per stage: " + r.stageSeconds());
      held &= r.problems().isEmpty();
      System.out.println(
          r.problems().isEmpty()
              ? "fault drill: every profile finished with gold equal to the retrievable truth and"
                  + " no request before a Retry-After had passed"
              : "fault drill FAILED:\n  - " + String.join("\n  - ", r.problems()));
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
