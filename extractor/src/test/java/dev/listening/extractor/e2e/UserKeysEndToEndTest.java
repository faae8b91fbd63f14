package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.simulator.SimUser;
import dev.listening.simulator.SimulatorConfig;
import dev.listening.simulator.SpotifySimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A users file whose entries carry only a refresh token: the first run learns each user's stable
 * key (Spotify's account_id, from GET /me), lands under it and writes it back; the next run asks no
 * more.
 */
class UserKeysEndToEndTest {
  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void usersWithoutAKeyAreKeyedByTheirAccountIdOnceAndForAll() throws Exception {
    try (SpotifySimulator sim =
        SpotifySimulator.start(
            SimulatorConfig.defaults()
                .withPlaysPerDay(300)
                .withUsers(3)
                .withExpiredTokenUsers(0)
                .withFaults(SimulatorConfig.Faults.none()),
            0)) {
      List<SimUser> users = sim.users();
      StringBuilder doc = new StringBuilder("{\"users\":[");
      for (int i = 0; i < users.size(); i++) {
        doc.append(i == 0 ? "" : ",")
            .append("{\"refresh_token\":\"")
            .append(users.get(i).refreshToken())
            .append("\"}");
      }
      Path file = dir.resolve("users.json");
      Files.writeString(file, doc.append("]}"));
      String landing = dir.resolve("landing").toString();

      Cli.Result first =
          Cli.run(
              Cli.args(
                  "recently-played",
                  Cli.against(sim, landing),
                  "--users",
                  file.toString(),
                  "--run-id",
                  "k1"));
      assertThat(first.exitCode()).as(first.stderr()).isZero();

      JsonNode written = json.readTree(file.toFile()).path("users");
      for (int i = 0; i < users.size(); i++) {
        assertThat(written.get(i).path("key").asText())
            .as("entry %d keyed by its account_id", i)
            .isEqualTo(users.get(i).key());
      }
      assertThat(first.summary().path("users_in_shard").asInt()).isEqualTo(3);
      long meCalls = sim.stats().byEndpoint().getOrDefault("me", 0L);
      assertThat(meCalls).as("one GET /me per keyless user").isEqualTo(3);

      Cli.Result second =
          Cli.run(
              Cli.args(
                  "recently-played",
                  Cli.against(sim, landing),
                  "--users",
                  file.toString(),
                  "--run-id",
                  "k2"));
      assertThat(second.exitCode()).as(second.stderr()).isZero();
      assertThat(sim.stats().byEndpoint().getOrDefault("me", 0L))
          .as("keys are stored: no second look-up")
          .isEqualTo(meCalls);
      assertThat(second.stderr()).doesNotContain(users.get(0).refreshToken());
    }
  }
}
