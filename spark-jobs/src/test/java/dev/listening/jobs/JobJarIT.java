package dev.listening.jobs;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built job jar started the way Dataproc starts it: the JVM runs the main class from the jar
 * with the job and its arguments, Spark comes from the runtime's classpath, not from the jar.
 */
class JobJarIT {
  @TempDir Path dir;

  private static Path jar() {
    return Path.of(System.getProperty("jobs.jar", "target/spark-jobs.jar"));
  }

  @Test
  void theJarCarriesOnlyItsOwnClassesNothingThatFightsSparks() throws Exception {
    try (JarFile jar = new JarFile(jar().toFile())) {
      List<String> foreign =
          jar.stream()
              .map(e -> e.getName())
              .filter(n -> n.endsWith(".class") && !n.startsWith("dev/listening/"))
              .toList();
      assertThat(foreign).as("no Jackson, Guava, protobuf or anything else bundled").isEmpty();
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("dev.listening.jobs.JobsMain");
    }
  }

  @Test
  void theMainClassRunsAJobFromTheJarWithSparkProvided() throws Exception {
    Path landing = dir.resolve("landing");
    LandingFiles.write(
        landing,
        "recently_played",
        "2026-11-20",
        "poll-13",
        recentlyPlayed(
            "u1",
            "2026-11-20T13:00:00Z",
            "poll-13",
            play(
                track(
                    "t1",
                    "One",
                    album("al1", "A", "2001", "year", artist("ar1", "X")),
                    artist("ar1", "X")),
                "2026-11-20T12:10:00Z",
                null)));
    int exit =
        runJar(
            List.of("-Dspark.master=local[1]"),
            "bronze",
            "--landing",
            landing.toString(),
            "--bronze",
            dir.resolve("bronze").toString(),
            "--date",
            "2026-11-20");

    assertThat(exit).as(Files.readString(dir.resolve("job.log"))).isZero();
    assertThat(dir.resolve("bronze/plays/date=2026-11-20")).isDirectory();
    assertThat(dir.resolve("bronze/_metrics/bronze/date=2026-11-20.json"))
        .content()
        .contains("\"rows_out\" : 1");
  }

  @Test
  void startedWithoutAMasterTheJobRunsLocallyAndSaysSo() throws Exception {
    Path landing = dir.resolve("landing");
    LandingFiles.write(
        landing,
        "recently_played",
        "2026-11-20",
        "poll-13",
        recentlyPlayed("u1", "2026-11-20T13:00:00Z", "poll-13"));

    int exit =
        runJar(
            List.of(),
            "bronze",
            "--landing",
            landing.toString(),
            "--bronze",
            dir.resolve("bronze").toString(),
            "--landing-date",
            "2026-11-20");

    String log = Files.readString(dir.resolve("job.log"));
    assertThat(exit).as(log).isZero();
    assertThat(log).contains("no Spark master given").contains("local[*]");
  }

  @Test
  void aFailedQualityGateIsTheLastThingTheDriverPrints() throws Exception {
    Path landing = dir.resolve("landing");
    LandingFiles.write(
        landing,
        "recently_played",
        "2026-11-20",
        "poll-13",
        recentlyPlayed("u1", "2026-11-20T13:00:00Z", "poll-13", "{\"track\":"),
        "{\"endpoint\":\"recently_played\",\"truncat");

    int exit =
        runJar(
            List.of("-Dspark.master=local[1]"),
            "bronze",
            "--landing",
            landing.toString(),
            "--bronze",
            dir.resolve("bronze").toString(),
            "--landing-date",
            "2026-11-20");

    String log = Files.readString(dir.resolve("job.log"));
    List<String> last = log.strip().lines().toList();
    last = last.subList(Math.max(0, last.size() - 4), last.size());
    assertThat(exit).as(log).isEqualTo(4);
    assertThat(String.join("\n", last))
        .as("the driver output's last lines")
        .contains("quality gate failed in the bronze job")
        .contains("of records quarantined")
        .contains("exit code 4")
        .doesNotContain("exitCode 0")
        .doesNotContain("INFO");
  }

  @Test
  void aJobKilledDuringItsWriteAndRunAgainLeavesExactlyOneCopy() throws Exception {
    // Enough pages that the write takes a while: 300 pages of 40 plays, 12,000 plays.
    Path landing = dir.resolve("landing");
    List<String> pages = new ArrayList<>();
    String al = album("al1", "A", "2001", "year", artist("ar1", "X"));
    for (int u = 0; u < 300; u++) {
      List<String> plays = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        plays.add(
            play(
                track("t" + i, "Track " + i, al, artist("ar1", "X")),
                String.format("2026-11-20T%02d:%02d:00Z", i / 4, (i % 4) * 15),
                null));
      }
      pages.add(
          recentlyPlayed("u" + u, "2026-11-20T13:00:00Z", "poll-13", plays.toArray(String[]::new)));
    }
    LandingFiles.write(
        landing, "recently_played", "2026-11-20", "poll-13", pages.toArray(String[]::new));
    Path bronze = dir.resolve("bronze");
    String[] job = {
      "bronze",
      "--landing",
      landing.toString(),
      "--bronze",
      bronze.toString(),
      "--landing-date",
      "2026-11-20"
    };

    // SIGKILL the moment Spark starts writing (its staging folder appears under the table).
    Process p = startJar(List.of("-Dspark.master=local[2]"), job);
    boolean killedMidWrite = false;
    while (p.isAlive()) {
      if (writing(bronze.resolve("plays"))) {
        p.destroyForcibly();
        killedMidWrite = true;
        break;
      }
      Thread.sleep(10);
    }
    p.waitFor();
    assertThat(killedMidWrite)
        .as("the job was killed while writing: %s", Files.readString(dir.resolve("job.log")))
        .isTrue();

    int exit = runJar(List.of("-Dspark.master=local[2]"), job);

    assertThat(exit).as(Files.readString(dir.resolve("job.log"))).isZero();
    org.apache.spark.sql.SparkSession spark =
        org.apache.spark.sql.SparkSession.builder()
            .master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> plays =
        spark.read().parquet(bronze.resolve("plays").toString());
    assertThat(plays.count())
        .as("every play once, no copy from the killed attempt")
        .isEqualTo(12_000);
    assertThat(plays.select("user_key", "played_at").distinct().count()).isEqualTo(12_000);
  }

  /** True once a write is under way in a table folder: Spark's staging or temporary folder. */
  private static boolean writing(Path table) throws java.io.IOException {
    if (!Files.isDirectory(table)) {
      return false;
    }
    try (var s = Files.list(table)) {
      return s.anyMatch(
          f -> {
            String n = f.getFileName().toString();
            return n.startsWith(".spark-staging") || n.equals("_temporary");
          });
    }
  }

  /** java -cp spark-jobs.jar:<Spark> JobsMain ..., its output in job.log; the exit code. */
  private int runJar(List<String> jvmArgs, String... jobArgs) throws Exception {
    return startJar(jvmArgs, jobArgs).waitFor();
  }

  private Process startJar(List<String> jvmArgs, String... jobArgs) throws Exception {
    // Spark and its dependencies: the test classpath minus this module's own classes.
    List<String> sparkClasspath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(p -> !p.endsWith("target/classes") && !p.endsWith("target/test-classes"))
            .toList();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(Arrays.asList(System.getProperty("spark.jvm.options", "").split(" ")));
    cmd.addAll(jvmArgs);
    cmd.add("-Dspark.ui.enabled=false");
    cmd.add("-cp");
    cmd.add(jar() + File.pathSeparator + String.join(File.pathSeparator, sparkClasspath));
    cmd.add("dev.listening.jobs.JobsMain");
    cmd.addAll(List.of(jobArgs));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("job.log").toFile())
        .start();
  }
}
