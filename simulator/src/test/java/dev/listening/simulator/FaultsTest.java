package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Seeded faults: reproducible, independent of thread interleaving, never more than 3 in a row. */
class FaultsTest {
  private static final SimulatorConfig.Faults HEAVY =
      new SimulatorConfig.Faults(0.3, 0.0, Duration.ofMillis(1), 0.2, 0.0);

  private static SpotifySimulator start(long seed, SimulatorConfig.Faults faults) {
    return SpotifySimulator.start(
        SimulatorConfig.defaults()
            .withSeed(seed)
            .withFaults(faults)
            .withRateLimit(SimulatorConfig.RateLimit.unlimited()),
        0);
  }

  /** What one attempt looked like: status, and "!" when a 200 body was not valid JSON. */
  private static String outcome(SimHttp.Resp r) {
    if (r.status() != 200) {
      return Integer.toString(r.status());
    }
    try {
      SimHttp.JSON.readTree(r.body());
      return "200";
    } catch (java.io.IOException e) {
      return "200!";
    }
  }

  /** Attempts of one request until it comes back whole (at most 5). */
  private static List<String> attempts(SimHttp http, String path, String token) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String o = outcome(http.api(path, token));
      out.add(o);
      if (o.equals("200")) {
        break;
      }
    }
    return out;
  }

  /** A client-credentials token, retrying the token endpoint's own 5xx. */
  private static String clientToken(SimHttp http) {
    for (int i = 0; i < 4; i++) {
      SimHttp.Resp r = http.token("grant_type=client_credentials");
      if (r.status() == 200) {
        return r.json().get("access_token").asText();
      }
    }
    throw new AssertionError("token endpoint failed 4 times in a row");
  }

  private static Map<String, List<String>> run(SpotifySimulator sim, int threads) throws Exception {
    SimHttp http = new SimHttp(sim);
    String token = clientToken(http);
    List<String> paths = new ArrayList<>();
    for (String id : sim.catalog().trackIds().subList(0, 60)) {
      paths.add("/tracks/" + id);
    }
    Map<String, List<String>> byPath = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String path : paths) {
        futures.add(pool.submit(() -> byPath.put(path, attempts(http, path, token))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return byPath;
  }

  @Test
  void theSameSeedAndRequestsGiveTheSameFaultsWhateverTheInterleaving() throws Exception {
    Map<String, List<String>> sequential;
    Map<String, List<String>> parallel;
    Map<String, List<String>> otherSeed;
    try (SpotifySimulator a = start(42, HEAVY);
        SpotifySimulator b = start(42, HEAVY);
        SpotifySimulator c = start(7, HEAVY)) {
      sequential = run(a, 1);
      parallel = run(b, 8);
      otherSeed = run(c, 1);
    }
    assertThat(parallel).isEqualTo(sequential);
    assertThat(sequential.values()).as("faults were injected at all").anyMatch(l -> l.size() > 1);
    assertThat(sequential.values().stream().flatMap(List::stream))
        .contains("200!")
        .anyMatch(s -> s.startsWith("5"));
    // Other seed: the same track ids do not exist there, so compare the shape only.
    assertThat(otherSeed.values().stream().map(List::size).toList())
        .isNotEqualTo(sequential.values().stream().map(List::size).toList());
  }

  @Test
  void aRequestNeverFailsMoreThanThreeTimesInARow() {
    try (SpotifySimulator sim = start(42, SimulatorConfig.Faults.none().withServerErrorRate(1.0))) {
      SimHttp http = new SimHttp(sim);
      sim.setFaults(SimulatorConfig.Faults.none());
      String token = http.clientToken();
      sim.setFaults(SimulatorConfig.Faults.none().withServerErrorRate(1.0));
      String path = "/albums/" + sim.catalog().albumIds().get(0);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        statuses.add(http.api(path, token).status());
      }
      assertThat(statuses.subList(0, 3)).allMatch(s -> s >= 500);
      assertThat(statuses.get(3)).isEqualTo(200);
      // A success ends the streak: the same request can fail again, again at most 3 times.
      assertThat(statuses.subList(4, 7)).allMatch(s -> s >= 500);
      assertThat(statuses.get(7)).isEqualTo(200);

      sim.setFaults(SimulatorConfig.Faults.none().withMalformedRate(1.0));
      String other = "/albums/" + sim.catalog().albumIds().get(1);
      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        outcomes.add(outcome(http.api(other, token)));
      }
      assertThat(outcomes).containsExactly("200!", "200!", "200!", "200");
    }
  }

  @Test
  void serverErrorsComeAsJsonOrAsAProxyPage() {
    try (SpotifySimulator sim = start(42, SimulatorConfig.Faults.none())) {
      SimHttp http = new SimHttp(sim);
      String token = http.clientToken();
      sim.setFaults(SimulatorConfig.Faults.none().withServerErrorRate(1.0));
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (String id : sim.catalog().trackIds().subList(0, 40)) {
        SimHttp.Resp r = http.api("/tracks/" + id, token);
        seen.add(r.status());
        if (r.status() == 502) {
          assertThat(r.header("Content-Type")).startsWith("text/html");
          assertThat(r.body()).contains("502 Bad Gateway");
        } else {
          assertThat(r.json().at("/error/status").asInt()).isEqualTo(r.status());
        }
      }
      assertThat(seen).containsExactlyInAnyOrder(500, 502, 503);
      assertThat(sim.stats().byStatus().keySet()).contains(500, 502, 503);
    }
  }

  @Test
  void earlyExpiredTokensWorkAtLeastOnceAndAtMostTwentyTimes() {
    try (SpotifySimulator sim = start(42, SimulatorConfig.Faults.none().withTokenExpiryRate(1.0))) {
      SimHttp http = new SimHttp(sim);
      String path = "/artists/" + sim.catalog().artistIds().get(1);
      for (int token = 0; token < 5; token++) {
        String access = http.clientToken();
        assertThat(http.api(path, access).status()).as("a fresh token works first").isEqualTo(200);
        int uses = 1;
        SimHttp.Resp r;
        while ((r = http.api(path, access)).status() == 200) {
          uses++;
          assertThat(uses).isLessThanOrEqualTo(20);
        }
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/error/message").asText()).isEqualTo("The access token expired");
        assertThat(http.api(path, access).status()).as("stays expired").isEqualTo(401);
      }
    }
  }

  @Test
  void theMostUsesOfAnEarlyExpiringTokenCanBeSet() {
    try (SpotifySimulator sim =
        start(42, SimulatorConfig.Faults.none().withTokenExpiryRate(1.0).withTokenMaxUses(3))) {
      SimHttp http = new SimHttp(sim);
      String path = "/artists/" + sim.catalog().artistIds().get(1);
      java.util.Set<Integer> usesSeen = new java.util.TreeSet<>();
      for (int token = 0; token < 20; token++) {
        String access = http.clientToken();
        int uses = 0;
        while (http.api(path, access).status() == 200) {
          uses++;
        }
        usesSeen.add(uses);
      }
      assertThat(usesSeen).isSubsetOf(1, 2, 3).contains(1, 3);
      assertThat(sim.stats().injected()).containsEntry("token_expired", 20L);
    }
  }

  @Test
  void slowResponsesWaitTheConfiguredDelay() {
    try (SpotifySimulator sim =
        start(
            42,
            SimulatorConfig.Faults.none()
                .withSlowRate(1.0)
                .withSlowDelay(Duration.ofMillis(150)))) {
      SimHttp http = new SimHttp(sim);
      String token = http.clientToken();
      long start = System.nanoTime();
      assertThat(http.api("/artists/" + sim.catalog().artistIds().get(1), token).status())
          .isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
  }

  @Test
  void aSlowAnswerCountsAsAFaultSoARetryAfterATimeoutGetsThrough() {
    try (SpotifySimulator sim = start(42, SimulatorConfig.Faults.none())) {
      SimHttp http = new SimHttp(sim);
      String token = http.clientToken();
      sim.setFaults(
          SimulatorConfig.Faults.none().withSlowRate(1.0).withSlowDelay(Duration.ofMillis(20)));
      String path = "/artists/" + sim.catalog().artistIds().get(2);
      for (int i = 0; i < 4; i++) {
        assertThat(http.api(path, token).status()).isEqualTo(200);
      }
      // A client whose timeout is shorter than the delay asks again: after three slow answers
      // in a row the same request is answered fast, as after three errors.
      assertThat(sim.stats().injected()).containsEntry("slow", 3L);

      for (int i = 0; i < 4; i++) {
        assertThat(http.token("grant_type=client_credentials").status()).isEqualTo(200);
      }
      assertThat(sim.stats().injected()).as("the token endpoint too").containsEntry("slow", 6L);
    }
  }

  @Test
  void injectedFaultsAreCountedByKind() {
    try (SpotifySimulator sim = start(42, SimulatorConfig.Faults.none())) {
      SimHttp http = new SimHttp(sim);
      String token = http.clientToken();
      sim.setFaults(SimulatorConfig.Faults.none().withServerErrorRate(1.0));
      http.api("/tracks/" + sim.catalog().trackIds().get(0), token);
      sim.setFaults(SimulatorConfig.Faults.none().withMalformedRate(1.0));
      http.api("/tracks/" + sim.catalog().trackIds().get(1), token);
      assertThat(sim.stats().injected())
          .containsEntry("server_error", 1L)
          .containsEntry("malformed", 1L)
          .doesNotContainKey("slow");
    }
  }

  @Test
  void theTokenEndpointGetsOnly5xxAndSlowFaults() {
    try (SpotifySimulator sim = start(42, SimulatorConfig.Faults.none().withServerErrorRate(1.0))) {
      SimHttp http = new SimHttp(sim);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(http.token("grant_type=client_credentials").status());
      }
      assertThat(statuses.subList(0, 3)).allMatch(s -> s >= 500);
      assertThat(statuses.get(3)).isEqualTo(200);
      sim.setFaults(SimulatorConfig.Faults.none().withMalformedRate(1.0).withTokenExpiryRate(1.0));
      for (int i = 0; i < 5; i++) {
        SimHttp.Resp r = http.token("grant_type=client_credentials");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("access_token").asText()).isNotBlank();
      }
    }
  }

  @Test
  void onlyRequestsInAFaultStreakAreRemembered() {
    FaultInjector injector = new FaultInjector(42);
    SimulatorConfig.Faults faults = SimulatorConfig.Faults.none().withServerErrorRate(0.5);
    for (long key = 0; key < 1_000; key++) {
      FaultInjector.Plan plan;
      do {
        plan = injector.plan(faults, key, true);
        injector.record(key, plan.failing());
      } while (plan.failing());
      assertThat(injector.streak(key)).isZero();
    }
  }
}
