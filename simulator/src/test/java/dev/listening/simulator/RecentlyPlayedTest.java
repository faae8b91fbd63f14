package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The 50-play horizon, visibility, after/before and cursors of recently-played, over HTTP. */
class RecentlyPlayedTest {
  private static SpotifySimulator sim;
  private static SimHttp http;
  private static SimUser heavy;

  @BeforeAll
  static void start() {
    sim =
        SpotifySimulator.start(
            SimulatorConfig.defaults()
                .withFaults(SimulatorConfig.Faults.none())
                .withRateLimit(SimulatorConfig.RateLimit.unlimited()),
            0);
    http = new SimHttp(sim);
    // The user with the most plays has a burst: more than 50 plays behind any late-day poll.
    String key =
        sim
            .groundTruth()
            .plays()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    GroundTruth.Play::userKey, java.util.stream.Collectors.counting()))
            .entrySet()
            .stream()
            .filter(e -> !http.user(e.getKey()).tokenExpired())
            .max(java.util.Map.Entry.comparingByValue())
            .orElseThrow()
            .getKey();
    heavy = http.user(key);
  }

  /** Access tokens expire in simulated time: take a fresh one after moving the clock. */
  private static String heavyToken() {
    return http.userToken(heavy);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** What the horizon should hold, computed from the ground truth independently of the server. */
  private static List<Instant> expectedHorizon(String userKey, Instant now) {
    return sim.groundTruth()
        .plays()
        .filter(p -> p.userKey().equals(userKey) && !p.visibleAt().isAfter(now))
        .map(GroundTruth.Play::playedAt)
        .sorted(Comparator.reverseOrder())
        .limit(50)
        .toList();
  }

  private static List<Instant> playedAts(JsonNode page) {
    List<Instant> out = new ArrayList<>();
    for (JsonNode item : page.get("items")) {
      out.add(Instant.parse(item.get("played_at").asText()));
    }
    return out;
  }

  private static Instant lateInTheDay() {
    return sim.config()
        .day()
        .atStartOfDay(java.time.ZoneOffset.UTC)
        .toInstant()
        .plus(Duration.ofHours(23));
  }

  @Test
  void aFullPageIsTheFiftyNewestVisiblePlaysNewestFirst() {
    sim.clock().set(lateInTheDay());
    JsonNode page = http.api("/me/player/recently-played?limit=50", heavyToken()).json();
    List<Instant> expected = expectedHorizon(heavy.key(), lateInTheDay());
    assertThat(expected).hasSize(50);
    assertThat(playedAts(page)).containsExactlyElementsOf(expected);
    assertThat(page.get("limit").asInt()).isEqualTo(50);
    assertThat(page.has("total")).as("recently-played has no total").isFalse();
    assertThat(page.at("/cursors/after").asText())
        .isEqualTo(Long.toString(expected.get(0).toEpochMilli()));
    assertThat(page.at("/cursors/before").asText())
        .isEqualTo(Long.toString(expected.get(49).toEpochMilli()));
    assertThat(page.at("/cursors/after").isTextual()).as("cursors are strings").isTrue();
    assertThat(page.get("next").asText())
        .isEqualTo(
            sim.apiBaseUrl()
                + "/me/player/recently-played?before="
                + expected.get(49).toEpochMilli()
                + "&limit=50");
    for (JsonNode item : page.get("items")) {
      assertThat(item.get("played_at").asText())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }
  }

  @Test
  void theDefaultLimitIsTwentyAndPagingNeverReachesBeyondTheHorizon() {
    sim.clock().set(lateInTheDay());
    List<Instant> seen = new ArrayList<>();
    String next = sim.apiBaseUrl() + "/me/player/recently-played";
    int pages = 0;
    while (next != null) {
      JsonNode page = http.get(next, heavyToken()).json();
      assertThat(page.get("limit").asInt()).isEqualTo(20);
      seen.addAll(playedAts(page));
      next = page.get("next").isNull() ? null : page.get("next").asText();
      pages++;
    }
    // 20 + 20 + 10, then an empty page would follow; the last partial page has no next.
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(expectedHorizon(heavy.key(), lateInTheDay()));
  }

  @Test
  void beforeAndAfterAreExclusiveBoundsOnPlayedAt() {
    sim.clock().set(lateInTheDay());
    List<Instant> horizon = expectedHorizon(heavy.key(), lateInTheDay());
    long pivot = horizon.get(10).toEpochMilli();
    JsonNode after =
        http.api("/me/player/recently-played?limit=50&after=" + pivot, heavyToken()).json();
    assertThat(playedAts(after)).containsExactlyElementsOf(horizon.subList(0, 10));
    assertThat(after.get("next").isNull()).as("a partial page has no next").isTrue();
    JsonNode before =
        http.api("/me/player/recently-played?limit=50&before=" + pivot, heavyToken()).json();
    assertThat(playedAts(before)).containsExactlyElementsOf(horizon.subList(11, 50));
    JsonNode empty =
        http.api("/me/player/recently-played?after=" + horizon.get(0).toEpochMilli(), heavyToken())
            .json();
    assertThat(empty.get("items")).isEmpty();
    assertThat(empty.get("cursors").isNull()).isTrue();
    assertThat(empty.get("next").isNull()).isTrue();
  }

  @Test
  void aPlayShowsOnlyOnceVisible() {
    GroundTruth.Play late =
        sim.groundTruth()
            .plays()
            .filter(p -> !http.user(p.userKey()).tokenExpired())
            .filter(p -> Duration.between(p.playedAt(), p.visibleAt()).toSeconds() > 60)
            .findFirst()
            .orElseThrow();
    sim.clock().set(late.visibleAt().minusMillis(1));
    String token = http.userToken(http.user(late.userKey()));
    assertThat(playedAts(http.api("/me/player/recently-played?limit=50", token).json()))
        .doesNotContain(late.playedAt());
    sim.clock().set(late.visibleAt());
    assertThat(playedAts(http.api("/me/player/recently-played?limit=50", token).json()))
        .contains(late.playedAt());
  }

  @Test
  void badParametersAre400() {
    for (String query :
        List.of("limit=0", "limit=51", "limit=abc", "after=1&before=2", "after=yesterday")) {
      SimHttp.Resp r = http.api("/me/player/recently-played?" + query, heavyToken());
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.json().at("/error/status").asInt()).isEqualTo(400);
    }
  }

  @Test
  void linksFollowTheHostTheClientUsed() {
    sim.clock().set(lateInTheDay());
    String viaLocalhost = sim.apiBaseUrl().replace("127.0.0.1", "localhost");
    JsonNode page =
        http.get(viaLocalhost + "/me/player/recently-played?limit=5", heavyToken()).json();
    assertThat(page.get("href").asText()).startsWith(viaLocalhost + "/me/player/recently-played?");
    assertThat(page.get("next").asText())
        .startsWith(viaLocalhost + "/me/player/recently-played?before=");
  }

  @Test
  void responsesCarryTheSimulatedTime() {
    Instant now = Instant.parse("2026-11-20T15:43:33Z");
    sim.clock().set(now);
    SimHttp.Resp r = http.api("/me/player/recently-played", heavyToken());
    assertThat(r.header("Date")).isEqualTo("Fri, 20 Nov 2026 15:43:33 GMT");
  }
}
