package dev.listening.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.simulator.SimulatorProcess;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the runs and benchmarks ask of a running simulator, in one place. */
public final class SimulatedDay {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SimulatedDay() {}

  /**
   * The extractor options that point a run at this simulator and a landing folder (no progress
   * bar); callers append the run's own.
   */
  public static List<String> extractorArgs(SimulatorProcess sim, String landing) {
    return new ArrayList<>(
        List.of(
            "--api-base-url",
            sim.apiBaseUrl(),
            "--accounts-base-url",
            sim.root(),
            "--client-secret-ref",
            "sim",
            "--landing",
            landing,
            "--no-progress"));
  }

  /**
   * The credentials the simulator hands out (client secret, users' refresh tokens): what a secret
   * scan of the run looks for. Kept in memory only.
   */
  public static List<String> credentials(SimulatorProcess sim)
      throws IOException, InterruptedException {
    return credentials(JSON.readTree(sim.get("/_sim/users")));
  }

  /** The same, from the simulator's {@code /_sim/users} answer. */
  public static List<String> credentials(JsonNode users) {
    List<String> out = new ArrayList<>(List.of(users.path("client_secret").asText()));
    users.path("users").forEach(u -> out.add(u.path("refresh_token").asText()));
    return out;
  }

  /** The truth's answer to: which plays could polls at these times retrieve? */
  public static JsonNode retrievability(
      SimulatorProcess sim, List<Instant> polls, Instant startFrom)
      throws IOException, InterruptedException {
    return JSON.readTree(
        sim.post(
            "/_sim/truth/retrievability",
            JSON.writeValueAsString(
                Map.of(
                    "polls",
                    polls.stream().map(Instant::toString).toList(),
                    "start_from",
                    startFrom.toString()))));
  }
}
