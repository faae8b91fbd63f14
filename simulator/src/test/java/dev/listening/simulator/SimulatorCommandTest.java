package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.landing.AppMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorCommandTest {
  private static SimulatorCommand parse(String... args) {
    SimulatorCommand command = new SimulatorCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void optionsBecomeTheConfig() {
    SimulatorConfig c =
        parse(
                "--seed",
                "7",
                "--profile",
                "development",
                "--users",
                "3",
                "--day",
                "2026-12-01",
                "--plays-per-day",
                "300",
                "--heavy-listener-share",
                "0.5",
                "--expired-token-users",
                "0",
                "--faults",
                "none",
                "--rate-limit",
                "100/10s",
                "--quota",
                "5000")
            .toConfig();
    assertThat(c.seed()).isEqualTo(7);
    assertThat(c.profile()).isEqualTo(AppMode.DEVELOPMENT);
    assertThat(c.users()).isEqualTo(3);
    assertThat(c.day()).hasToString("2026-12-01");
    assertThat(c.playsPerDay()).isEqualTo(300);
    assertThat(c.heavyListenerShare()).isEqualTo(0.5);
    assertThat(c.expiredTokenUsers()).isZero();
    assertThat(c.faults()).isEqualTo(SimulatorConfig.Faults.none());
    assertThat(c.rateLimit().requestsPerWindow()).isEqualTo(100);
    assertThat(c.rateLimit().window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.rateLimit().dailyQuota()).isEqualTo(5000);
  }

  @Test
  void defaultsFollowTheProfile() {
    assertThat(parse().toConfig().users()).isEqualTo(20);
    assertThat(parse().toConfig().faults()).isEqualTo(SimulatorConfig.Faults.defaults());
    assertThat(parse("--profile", "development").toConfig().users()).isEqualTo(5);
    assertThat(parse("--rate-limit", "none").toConfig().rateLimit().windowUnlimited()).isTrue();
  }

  @Test
  void wrongValuesAreExplained() {
    assertThatThrownBy(() -> parse("--rate-limit", "600 per 30s").toConfig())
        .hasMessageContaining("--rate-limit");
    assertThatThrownBy(() -> parse("--faults", "some").toConfig()).hasMessageContaining("--faults");
    assertThatThrownBy(() -> parse("--profile", "development", "--users", "9").toConfig())
        .hasMessageContaining("users must be <= 5 in development profile");
    assertThatThrownBy(() -> parse("--profile", "prod"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void startupPrintsWhereToConnectButNoSecret() {
    SimulatorCommand command = parse("--port", "0", "--faults", "none", "--flow");
    StringWriter text = new StringWriter();
    try (SpotifySimulator sim = command.startAndPrint(new PrintWriter(text))) {
      String out = text.toString();
      assertThat(out)
          .contains(sim.apiBaseUrl(), sim.accountsBaseUrl(), sim.clientId(), "/_sim/users")
          .doesNotContain(sim.clientSecret());
      sim.users().forEach(u -> assertThat(out).doesNotContain(u.refreshToken()));
      assertThat(sim.clock().flowing()).isTrue();
    }
  }

  @Test
  void helpDescribesTheCommand() {
    StringWriter text = new StringWriter();
    CommandLine cl = new CommandLine(new SimulatorCommand());
    cl.setOut(new PrintWriter(text));
    assertThat(cl.execute("--help")).isZero();
    assertThat(text.toString()).contains("simulator", "--rate-limit", "--profile", "--port");
  }
}
