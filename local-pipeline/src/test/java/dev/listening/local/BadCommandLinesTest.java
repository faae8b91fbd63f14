package dev.listening.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's bad input, through the programs as deployed (the extractor's fat jar, the Spark
 * jobs' main class in its own JVM): each gets its exit code and a message that names the input and
 * says what to do, never a stack trace and never a secret, and writes nothing.
 */
class BadCommandLinesTest {
  /** A client secret only this test knows: no output may contain it. */
  private static final String SECRET = "bad-input-secret-7f3a91c2";

  @TempDir Path dir;

  record Output(int exitCode, String text) {}

  @Test
  void theExtractorNamesEachBadInputAndExitsTwo() throws Exception {
    Path users = dir.resolve("users.json");
    Files.writeString(
        users,
        "{\"users\":[\n"
            + "  {\"key\":\"a\",\"refresh_token\":\"tok-a-0001\"},\n"
            + "  {\"key\":\"b\" \"refresh_token\":\"tok-b-0002\"}\n"
            + "]}");
    Path noToken = dir.resolve("no-token.json");
    Files.writeString(
        noToken, "{\"users\":[{\"key\":\"a\",\"refresh_token\":\"tok-a-0001\"},{\"key\":\"b\"}]}");
    Path landing = dir.resolve("landing");
    Map<List<String>, String> cases =
        Map.of(
            List.of("recently-played", "--landing-date", "2026-13-45"),
            "--landing-date '2026-13-45' is not a date: use YYYY-MM-DD",
            List.of("recently-played", "--shard", "3/2"),
            "shard 3/2 is invalid: need 0 <= i < n",
            List.of("frobnicate"),
            "the first argument is not a command (not shown); the commands are:",
            List.of("recently-played", "--client-secret-ref", "env:NOT_SET_IN_THIS_TEST"),
            "the variable NOT_SET_IN_THIS_TEST is not set",
            List.of("recently-played", "--users", dir.resolve("missing.json").toString()),
            "missing.json does not exist: pass --users",
            List.of("recently-played", "--users", users.toString()),
            "users.json are not valid JSON at line 3",
            List.of("recently-played", "--users", noToken.toString()),
            "entry 1 ('b') has no \"refresh_token\"",
            List.of("lookups", "--ids", dir.resolve("no-list").toString()),
            "holds no id files: run the enrichment-list job first");
    for (var c : cases.entrySet()) {
      List<String> args = new ArrayList<>(c.getKey());
      if (!args.get(0).equals("frobnicate")) {
        // The real API's target with a client id: nothing answers here, and nothing is asked.
        args.addAll(
            List.of("--target", "spotify", "--client-id", "cid", "--landing", landing.toString()));
        if (args.get(0).equals("recently-played") && !args.contains("--users")) {
          args.addAll(List.of("--users", dir.resolve("fine.json").toString()));
        }
      }
      Output out =
          run(
              List.of(
                  "-jar",
                  Path.of(System.getProperty("extractor.jar", "../extractor/target/extractor.jar"))
                      .toString()),
              args);
      assertThat(out.exitCode()).as("%s:%n%s", args, out.text()).isEqualTo(2);
      assertThat(out.text()).as("%s", args).contains(c.getValue());
      assertClean(out, args);
    }
    // The landing may exist (a run checks it is writable before its first request), but empty.
    if (Files.exists(landing)) {
      try (var files = Files.walk(landing)) {
        assertThat(files.filter(Files::isRegularFile)).as("nothing landed").isEmpty();
      }
    }
  }

  @Test
  void theSparkJobsNameEachBadInputAndExitTwo() throws Exception {
    Path landing = Files.createDirectories(dir.resolve("landing"));
    Path bronze = dir.resolve("bronze");
    Map<List<String>, String> cases =
        Map.of(
            List.of("frobnicate"),
            "no job named 'frobnicate'",
            List.of(
                "bronze",
                "--landing",
                landing.toString(),
                "--bronze",
                bronze.toString(),
                "--landing-date",
                "2026-02-30"),
            "--landing-date '2026-02-30' is not a date (YYYY-MM-DD)",
            List.of(
                "bronze",
                "--landing",
                landing.toString(),
                "--bronze",
                bronze.toString(),
                "--landing-date",
                "2026-11-20",
                "--endpoints",
                "plays"),
            "--endpoints: 'plays' is not a landing endpoint (one of: recently_played",
            List.of(
                "bronze",
                "--landing",
                dir.resolve("nope").toString(),
                "--bronze",
                bronze.toString(),
                "--landing-date",
                "2026-11-20"),
            "nope does not exist: point it at the folder or bucket prefix the extractor landed in",
            List.of("gold", "--bronze", bronze.toString(), "--play-date", "2026-11-20"),
            "--gold");
    List<String> jvm = new ArrayList<>(sparkOpens());
    jvm.addAll(
        List.of(
            "-Dspark.master=local[1]",
            "-Dspark.ui.enabled=false",
            "-Dspark.driver.host=127.0.0.1",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.listening.jobs.JobsMain"));
    for (var c : cases.entrySet()) {
      Output out = run(jvm, c.getKey());
      assertThat(out.exitCode()).as("%s:%n%s", c.getKey(), out.text()).isEqualTo(2);
      assertThat(out.text()).as("%s", c.getKey()).contains(c.getValue());
      assertClean(out, c.getKey());
    }
    assertThat(bronze).as("nothing written").doesNotExist();
  }

  /** No stack trace as the message, no secret, and the error is among the last lines printed. */
  private static void assertClean(Output out, List<String> args) {
    assertThat(out.text())
        .as("%s: no stack trace, no secret", args)
        .doesNotContainPattern("(?m)^\\s+at [a-z]")
        .doesNotContain("Exception in thread")
        .doesNotContain(SECRET);
    List<String> lines = out.text().lines().toList();
    assertThat(lines.subList(Math.max(0, lines.size() - 6), lines.size()))
        .as("%s: the error is what the output ends with", args)
        .anyMatch(l -> l.startsWith("error") || l.startsWith("  - ") || l.startsWith("exit code"));
  }

  private Output run(List<String> jvmAndMain, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Processes.java());
    cmd.addAll(jvmAndMain);
    cmd.addAll(args);
    Path log = Files.createTempFile(dir, "out", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPOTIFY_CLIENT_SECRET", SECRET);
    pb.directory(dir.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", args).isTrue();
    return new Output(p.exitValue(), Files.readString(log));
  }

  /** The --add-opens Spark needs on Java 17, as this test JVM was given them. */
  private static List<String> sparkOpens() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect"))
        .toList();
  }
}
