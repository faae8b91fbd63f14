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
  void aFaultProfileIsChosenByNameAndTheLimitOptionsOverrideIt() {
    SimulatorConfig storm = parse("--users", "40", "--faults", "429-storm").toConfig();
    assertThat(storm.faults()).isEqualTo(SimulatorConfig.Faults.none());
    assertThat(storm.rateLimit().requestsPerWindow()).isEqualTo(10);
    assertThat(storm.rateLimit().window()).isEqualTo(Duration.ofSeconds(1));
    assertThat(storm.rateLimit().retryAfterMissingShare()).isZero();
    assertThat(storm.expiredTokenUsers()).as("one fault alone").isZero();

    SimulatorConfig overridden =
        parse(
                "--users",
                "40",
                "--faults",
                "429-no-retry-after",
                "--rate-limit",
                "50/10s",
                "--expired-token-users",
                "3")
            .toConfig();
    assertThat(overridden.rateLimit().requestsPerWindow()).isEqualTo(50);
    assertThat(overridden.rateLimit().window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(overridden.rateLimit().retryAfterMissingShare())
        .as("the rest of the profile's limit stays")
        .isEqualTo(1.0);
    assertThat(overridden.expiredTokenUsers()).isEqualTo(3);

    SimulatorConfig quota = parse("--users", "40", "--faults", "quota").toConfig();
    assertThat(quota.rateLimit().windowUnlimited()).isTrue();
    assertThat(quota.rateLimit().dailyQuota()).isEqualTo(60);
    assertThat(quota.rateLimit().quotaRetryAfter()).isEqualTo(FaultProfile.QUOTA_RETRY_AFTER);
    assertThat(parse("--faults", "quota", "--quota", "0").toConfig().rateLimit().dailyQuota())
        .isZero();

    SimulatorConfig all = parse("--users", "40", "--faults", "all").toConfig();
    assertThat(all.faults().serverErrorRate()).isEqualTo(0.2);
    assertThat(all.faults().malformedRate()).isEqualTo(0.01);
    assertThat(all.faults().slowDelay()).isEqualTo(FaultProfile.SLOW_DELAY);
    assertThat(all.faults().tokenExpiryRate()).isEqualTo(1.0);
    assertThat(all.faults().tokenMaxUses()).isEqualTo(3);
    assertThat(all.rateLimit().requestsPerWindow()).isEqualTo(10);
    assertThat(all.rateLimit().dailyQuota()).isEqualTo(60);
    assertThat(all.expiredTokenUsers()).isEqualTo(2);

    SimulatorConfig none = parse("--faults", "none").toConfig();
    assertThat(none.faults()).isEqualTo(SimulatorConfig.Faults.none());
    assertThat(none.rateLimit()).isEqualTo(SimulatorConfig.RateLimit.defaults());
    assertThat(none.expiredTokenUsers()).isEqualTo(1);
    assertThat(parse().toConfig().rateLimit()).isEqualTo(SimulatorConfig.RateLimit.defaults());
  }

  @Test
  void everyProfileOfTheMatrixIsOneFaultAloneExceptAll() {
    for (FaultProfile p : FaultProfile.matrix()) {
      SimulatorConfig c = p.applyTo(SimulatorConfig.defaults().withUsers(100));
      int faults =
          (c.faults().serverErrorRate() > 0 ? 1 : 0)
              + (c.faults().slowRate() > 0 ? 1 : 0)
              + (c.faults().malformedRate() > 0 ? 1 : 0)
              + (c.faults().tokenExpiryRate() > 0 ? 1 : 0)
              + (c.rateLimit().windowUnlimited() ? 0 : 1)
              + (c.rateLimit().dailyQuota() > 0 ? 1 : 0)
              + (c.expiredTokenUsers() > 0 ? 1 : 0);
      assertThat(faults).as(p.wireName()).isEqualTo(p == FaultProfile.ALL ? 7 : 1);
      assertThat(FaultProfile.parse(p.wireName())).isEqualTo(p);
    }
    assertThat(FaultProfile.invalidGrantUsers(100)).isEqualTo(5);
    assertThat(FaultProfile.invalidGrantUsers(10)).isEqualTo(2);
    assertThat(FaultProfile.invalidGrantUsers(2)).isEqualTo(1);
  }

  @Test
  void wrongValuesAreExplained() {
    assertThatThrownBy(() -> parse("--rate-limit", "600 per 30s").toConfig())
        .hasMessageContaining("--rate-limit");
    assertThatThrownBy(() -> parse("--faults", "some").toConfig())
        .hasMessageContaining("--faults")
        .hasMessageContaining("429-storm");
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
