package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.extractor.ExtractorMain;
import dev.listening.simulator.SimUser;
import dev.listening.simulator.SimulatorConfig;
import dev.listening.simulator.SpotifySimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What an operator sees on the paths that go wrong: one clear line naming the input and what to do,
 * exit 2 for bad input, no secret echoed, and no API request spent before the run can land.
 */
class OperatorErrorsTest {
  private static final String SECRET = "s3cr3t-0123456789abcdef";
  private static SpotifySimulator sim;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    sim =
        SpotifySimulator.start(
            SimulatorConfig.defaults()
                .withPlaysPerDay(300)
                .withUsers(3)
                .withFaults(SimulatorConfig.Faults.none()),
            0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** recently-played against the simulator; a --client-secret-ref given replaces "sim". */
  private static Cli.Result recentlyPlayed(String... more) {
    List<String> base =
        new ArrayList<>(
            List.of(
                "--api-base-url",
                sim.apiBaseUrl(),
                "--accounts-base-url",
                sim.accountsBaseUrl(),
                "--landing",
                dir.resolve("l").toString(),
                "--no-progress"));
    if (!List.of(more).contains("--client-secret-ref")) {
      base.addAll(List.of("--client-secret-ref", "sim"));
    }
    return Cli.run(Cli.args("recently-played", base, more));
  }

  @Test
  void anOptionThatLooksLikeASecretIsRefusedWithoutItsValue() {
    for (String[] args :
        new String[][] {
          {"recently-played", "--client-secret", SECRET},
          {"recently-played", "--token=" + SECRET},
          {"lookups", "--refresh-token", SECRET, "--track-ids", "a"},
          {"recently-played", SECRET},
          {"recently-played", "--client-secret-ref", SECRET},
          {"recently-played", "--client-secret-ref", "sm://" + SECRET}
        }) {
      Cli.Result r = Cli.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.stdout() + r.stderr()).as(String.join(" ", args)).doesNotContain(SECRET);
      assertThat(r.stderr().lines().count()).as("a few lines, not the usage").isLessThan(6);
    }
    assertThat(Cli.run("recently-played", "--client-secret", SECRET).stderr())
        .contains("--client-secret")
        .contains("never accepted on the command line")
        .contains("SPOTIFY_CLIENT_SECRET");
  }

  @Test
  void anUnsetSecretVariableOrOnlyHalfTheCredentialsSayWhatIsMissing() {
    Cli.Result unset = recentlyPlayed("--client-secret-ref", "env:NO_SUCH_VARIABLE_SET");
    assertThat(unset.exitCode()).isEqualTo(2);
    assertThat(unset.stderr()).contains("NO_SUCH_VARIABLE_SET is not set");

    Cli.Result half =
        recentlyPlayed("--client-id", "my-app-id", "--client-secret-ref", "env:NO_SUCH_SECRET_VAR");
    assertThat(half.exitCode()).isEqualTo(2);
    assertThat(half.stderr()).contains("NO_SUCH_SECRET_VAR is not set");
    Cli.Result idOnly =
        recentlyPlayed(
            "--client-id", "my-app-id", "--client-secret-ref", "env:SPOTIFY_CLIENT_SECRET");
    assertThat(idOnly.exitCode()).isEqualTo(2);
    assertThat(idOnly.stderr())
        .contains("SPOTIFY_CLIENT_ID is set but SPOTIFY_CLIENT_SECRET is not");
  }

  @Test
  void theSpotifyTargetNeverFallsBackToTheSimulator() {
    long before = sim.stats().adminRequests();
    Cli.Result r =
        Cli.run(
            "recently-played",
            "--target",
            "spotify",
            "--api-base-url",
            sim.apiBaseUrl(),
            "--accounts-base-url",
            sim.accountsBaseUrl(),
            "--landing",
            dir.resolve("s").toString(),
            "--users",
            "sim");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET")
        .contains("--users sim");
    assertThat(sim.stats().adminRequests()).as("no /_sim call").isEqualTo(before);
  }

  @Test
  void aLandingThatCannotBeWrittenStopsTheRunBeforeItsFirstRequest() {
    long before = sim.stats().totalRequests();
    Cli.Result r =
        Cli.run(
            Cli.args(
                "recently-played", Cli.against(sim, "/proc/no-landing-here"), "--run-id", "x"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("--landing")
        .contains("/proc/no-landing-here")
        .contains("not writable");
    assertThat(sim.stats().totalRequests()).as("no API request spent").isEqualTo(before);
  }

  @Test
  void aBadDateIsOneLineNamingTheOptionAndTheFormat() {
    Cli.Result r = recentlyPlayed("--landing-date", "20/11/2026");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("--landing-date '20/11/2026' is not a date: use YYYY-MM-DD");
    assertThat(r.stderr().lines().count()).isLessThan(5);
  }

  @Test
  void aBrokenUsersFileNamesTheLineAndAnEntryWithoutTokenItsPosition() throws Exception {
    SimUser u = sim.users().get(0);
    Path broken = dir.resolve("broken.json");
    Files.writeString(
        broken,
        "{\"users\": [\n  {\"key\": \"a\", \"refresh_token\": \""
            + u.refreshToken()
            + "\"\n  ,,]}");
    Cli.Result r = recentlyPlayed("--users", broken.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("not valid JSON at line 3").doesNotContain(u.refreshToken());

    Path noToken = dir.resolve("no-token.json");
    Files.writeString(
        noToken, "{\"users\":[{\"key\":\"a\",\"refresh_token\":\"x\"},{\"key\":\"b\"}]}");
    assertThat(recentlyPlayed("--users", noToken.toString()).stderr())
        .contains("entry 1 ('b') has no \"refresh_token\"");
  }

  @Test
  void everyOptionThatTakesAValueShowsItsDefaultInTheHelp() {
    CommandLine root =
        dev.listening.extractor.cli.Commands.register(new CommandLine(new ExtractorMain()));
    List<String> missing = new ArrayList<>();
    for (CommandLine sub : root.getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        boolean flag = o.arity().max() == 0;
        if (!flag && !o.required() && !String.join(" ", o.description()).contains("Default")) {
          missing.add(sub.getCommandName() + " " + o.longestName());
        }
      }
    }
    assertThat(missing).as("options whose help omits the default").isEmpty();
  }
}
