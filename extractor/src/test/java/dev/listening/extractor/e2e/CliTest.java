package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.simulator.SimulatorConfig;
import dev.listening.simulator.SpotifySimulator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator meets first: help, argument errors, log formats. */
class CliTest {
  @TempDir Path dir;

  @Test
  void helpListsEveryCommandAndEachCommandHasItsOwnHelp() {
    Cli.Result top = Cli.run("--help");
    assertThat(top.exitCode()).isZero();
    assertThat(top.stdout())
        .contains("recently-played", "lookups", "new-releases", "playlist-items")
        .as("the production jar carries no test double and no benchmark")
        .doesNotContain("simulator", "benchmark");
    for (String command :
        new String[] {"recently-played", "lookups", "new-releases", "playlist-items"}) {
      Cli.Result help = Cli.run(command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.stdout()).as(command).contains("Usage:");
    }
  }

  @Test
  void badArgumentsAreAllReportedAtOnceWithExitCode2() {
    Cli.Result r =
        Cli.run(
            "recently-played",
            "--run-id",
            "scheduled__2026-11-20T13:00:00+00:00",
            "--shard",
            "5/4",
            "--app-mode",
            "turbo",
            "--concurrency",
            "0",
            "--log-format",
            "xml");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .contains(
            "--run-id", "ts_nodash", "shard 5/4", "--app-mode", "--concurrency", "--log-format");
    assertThat(Cli.run("recently-played", "--late-lookback", "soon").stderr())
        .contains("'soon' is not a duration: use e.g. 90s, 5m");
  }

  @Test
  void jsonLogsAreOneObjectPerLineWithCloudLoggingSeverity() throws Exception {
    try (SpotifySimulator sim =
        SpotifySimulator.start(
            SimulatorConfig.defaults()
                .withPlaysPerDay(300)
                .withUsers(3)
                .withFaults(SimulatorConfig.Faults.none()),
            0)) {
      Cli.Result r =
          Cli.run(
              Cli.args(
                  "recently-played",
                  Cli.against(sim, dir.resolve("landing").toString()),
                  "--run-id",
                  "j1",
                  "--log-format",
                  "json"));
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      ObjectMapper json = new ObjectMapper();
      boolean sawWarning = false;
      for (String line : r.stderr().strip().split("\n")) {
        JsonNode log = json.readTree(line);
        assertThat(log.has("severity") && log.has("message") && log.has("time")).as(line).isTrue();
        sawWarning |= log.path("severity").asText().equals("WARNING");
      }
      assertThat(sawWarning)
          .as("the expired-token user is a WARNING, Cloud Logging's spelling")
          .isTrue();
      assertThat(r.summary().path("status").asText()).isEqualTo("complete");
    }
  }
}
