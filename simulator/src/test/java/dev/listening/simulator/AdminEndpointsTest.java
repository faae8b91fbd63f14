package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /_sim endpoints: what a simulator in its own process offers instead of the Java API. */
class AdminEndpointsTest {
  private static SpotifySimulator sim;
  private static SimHttp http;

  @BeforeAll
  static void start() {
    // Faults on: admin endpoints must never get them.
    sim =
        SpotifySimulator.start(
            SimulatorConfig.defaults()
                .withFaults(new SimulatorConfig.Faults(1.0, 0, java.time.Duration.ZERO, 1.0, 0))
                .withRateLimit(SimulatorConfig.RateLimit.defaults().withRequestsPerWindow(1)),
            0);
    http = new SimHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static SimHttp.Resp postJson(String path, String json) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(sim.accountsBaseUrl() + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new SimHttp.Resp(r.statusCode(), r.headers(), r.body());
  }

  @Test
  void usersListsEveryUserWithTokensThatWork() {
    JsonNode body = http.get(sim.accountsBaseUrl() + "/_sim/users", null).json();
    assertThat(body.get("client_id").asText()).isEqualTo(sim.clientId());
    assertThat(body.get("client_secret").asText()).isEqualTo(sim.clientSecret());
    assertThat(body.get("users")).hasSize(sim.users().size());
    JsonNode first = body.get("users").get(0);
    SimUser user = sim.users().get(0);
    assertThat(first.get("key").asText()).isEqualTo(user.key());
    assertThat(first.get("refresh_token").asText()).isEqualTo(user.refreshToken());
    assertThat(first.get("token_expired").asBoolean()).isEqualTo(user.tokenExpired());
    List<String> playlists = new java.util.ArrayList<>();
    body.get("users").forEach(u -> u.get("playlist_ids").forEach(p -> playlists.add(p.asText())));
    assertThat(playlists).containsExactlyInAnyOrderElementsOf(sim.catalog().userPlaylistIds());
  }

  @Test
  void theClockCanBeReadSetAndAdvanced() throws Exception {
    SimHttp.Resp set = postJson("/_sim/clock", "{\"now\":\"2026-11-20T13:00:00Z\"}");
    assertThat(set.status()).isEqualTo(200);
    assertThat(sim.clock().now()).isEqualTo(Instant.parse("2026-11-20T13:00:00Z"));
    postJson("/_sim/clock", "{\"advance\":\"PT90M\"}");
    JsonNode clock = http.get(sim.accountsBaseUrl() + "/_sim/clock", null).json();
    assertThat(clock.get("now").asText()).isEqualTo("2026-11-20T14:30:00Z");
    assertThat(clock.get("mode").asText()).isEqualTo("frozen");
    assertThat(postJson("/_sim/clock", "{\"now\":\"tomorrow\"}").status()).isEqualTo(400);
  }

  @Test
  void playsStreamAsNdjsonMatchingTheGroundTruth() {
    SimHttp.Resp r = http.get(sim.accountsBaseUrl() + "/_sim/truth/plays", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/x-ndjson");
    String[] lines = r.body().split("\n");
    assertThat(lines).hasSize((int) sim.groundTruth().playCount());
    GroundTruth.Play first = sim.groundTruth().plays().findFirst().orElseThrow();
    JsonNode line = readTree(lines[0]);
    assertThat(line.get("user_key").asText()).isEqualTo(first.userKey());
    assertThat(Instant.parse(line.get("played_at").asText())).isEqualTo(first.playedAt());
    assertThat(Instant.parse(line.get("visible_at").asText())).isEqualTo(first.visibleAt());
    assertThat(line.get("track_uri").asText()).isEqualTo(first.trackUri());
    assertThat(r.body()).contains("\"track_id\":null", "spotify:local:");
    GroundTruth truth = sim.groundTruth();
    int item = truth.item[truth.userStart[0]];
    assertThat(line.get("duration_ms").asInt())
        .as("the track's length, as the API serves it")
        .isEqualTo(truth.catalog.durationMs(item))
        .isPositive();
    assertThat(line.get("artist_ids").size()).isEqualTo(truth.catalog.artistIdsOf(item).size());
    assertThat(r.body()).as("a local file has no artist ids").contains("\"artist_ids\":[]");
  }

  @Test
  void retrievabilityMatchesTheJavaApi() throws Exception {
    List<Instant> polls =
        List.of(Instant.parse("2026-11-20T12:00:00Z"), Instant.parse("2026-11-20T18:00:00Z"));
    SimHttp.Resp r =
        postJson(
            "/_sim/truth/retrievability",
            "{\"polls\":[\"2026-11-20T12:00:00Z\",\"2026-11-20T18:00:00Z\"],\"start_from\":\"2026-11-20T06:00:00Z\"}");
    assertThat(r.status()).isEqualTo(200);
    GroundTruth.Retrievability expected =
        sim.groundTruth().retrievability(polls, Optional.of(Instant.parse("2026-11-20T06:00:00Z")));
    JsonNode counts = r.json().get("counts");
    assertThat(counts.get("retrievable").asInt()).isEqualTo(expected.retrievable().size());
    assertThat(counts.get("lost_in_gaps").asInt()).isEqualTo(expected.lostInGaps().size());
    assertThat(counts.get("late_evicted").asInt()).isEqualTo(expected.lateEvicted().size());
    assertThat(counts.get("not_yet_visible").asInt()).isEqualTo(expected.notYetVisible().size());
    assertThat(counts.get("unauthorized").asInt()).isEqualTo(expected.unauthorized().size());
    assertThat(counts.get("gaps").asInt()).isEqualTo(expected.gaps().size()).isPositive();
    assertThat(r.json().get("lost_in_gaps")).hasSize(expected.lostInGaps().size());
    assertThat(postJson("/_sim/truth/retrievability", "{}").status()).isEqualTo(400);
  }

  @Test
  void statsReportTheApiTraffic() {
    long before = sim.stats().requests();
    http.api("/tracks/" + sim.catalog().trackIds().get(0), null);
    JsonNode stats = http.get(sim.accountsBaseUrl() + "/_sim/stats", null).json();
    assertThat(stats.get("requests").asLong()).isEqualTo(before + 1);
    assertThat(stats.get("by_endpoint").get("tracks").asLong()).isPositive();
  }

  private static JsonNode readTree(String json) {
    try {
      return SimHttp.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
