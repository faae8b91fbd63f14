package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.landing.StateLayout;
import dev.listening.simulator.GroundTruth;
import dev.listening.simulator.GroundTruth.PlayKey;
import dev.listening.simulator.GroundTruth.PollGap;
import dev.listening.simulator.SimUser;
import dev.listening.simulator.SimulatorConfig;
import dev.listening.simulator.SpotifySimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extractor's promise, end to end: a simulated day of hourly polls against a simulator with
 * faults on (5xx, slow and malformed responses, tokens expiring mid-run, a tight rate limit) lands
 * exactly the plays those polls could retrieve, reports exactly the gaps, and a re-run changes
 * nothing.
 */
class RecentlyPlayedEndToEndTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-20");
  private static final Instant DAY_START = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();

  @TempDir Path dir;

  private static final SimulatorConfig.RateLimit TIGHT =
      SimulatorConfig.RateLimit.defaults()
          .withRequestsPerWindow(5)
          .withWindow(Duration.ofSeconds(1))
          .withPenaltyStep(Duration.ofMillis(500));

  static SimulatorConfig faultyDay() {
    return SimulatorConfig.defaults()
        .withSeed(20261120)
        .withUsers(10)
        .withPlaysPerDay(2_400)
        .withHeavyListenerShare(0.3)
        .withExpiredTokenUsers(1)
        .withRateLimit(SimulatorConfig.RateLimit.unlimited())
        .withFaults(
            SimulatorConfig.Faults.defaults()
                .withServerErrorRate(0.05)
                .withSlowRate(0.02)
                .withSlowDelay(Duration.ofMillis(20))
                .withMalformedRate(0.03)
                .withTokenExpiryRate(0.05));
  }

  private Cli.Result poll(SpotifySimulator sim, Path landing, Instant at) {
    sim.clock().set(at);
    String hour = at.toString().substring(0, 13).replace("-", "").replace("T", "h");
    return Cli.run(
        Cli.args(
            "recently-played",
            Cli.against(sim, landing.toString()),
            "--run-id",
            "poll-" + hour,
            "--date",
            at.atZone(ZoneOffset.UTC).toLocalDate().toString(),
            "--start-from",
            DAY_START.toString(),
            "--late-lookback",
            "10m",
            "--max-rps",
            "20",
            "--concurrency",
            "3",
            "--default-retry-after",
            "1s",
            "--max-attempts",
            "10"));
  }

  @Test
  void aDayOfHourlyPollsLandsExactlyTheRetrievablePlaysAndTheGaps() throws Exception {
    Path landing = dir.resolve("landing");
    try (SpotifySimulator sim = SpotifySimulator.start(faultyDay(), 0)) {
      List<Instant> polls = new ArrayList<>();
      List<Cli.Result> results = new ArrayList<>();
      for (int h = 1; h <= 25; h++) {
        Instant at = DAY_START.plus(Duration.ofHours(h));
        polls.add(at);
        // A few polls run into a tight rolling-window limit (kept to a few: every 429 costs
        // real seconds of Retry-After).
        sim.setRateLimit(h == 12 || h == 13 ? TIGHT : SimulatorConfig.RateLimit.unlimited());
        Cli.Result r = poll(sim, landing, at);
        results.add(r);
        assertThat(r.exitCode()).as("poll at %s:%n%s%n%s", at, r.stdout(), r.stderr()).isZero();
      }

      GroundTruth.Retrievability truth =
          sim.groundTruth().retrievability(polls, Optional.of(DAY_START));
      Set<PlayKey> landed = Landed.plays(landing);

      assertThat(truth.retrievable())
          .as("the day must have plays to retrieve")
          .hasSizeGreaterThan(1000);
      assertThat(truth.lostInGaps())
          .as("heavy listeners must lose plays to the horizon")
          .isNotEmpty();
      assertThat(landed)
          .as("landed plays, deduplicated on (user, played_at)")
          .isEqualTo(truth.retrievable());

      // Gaps: the polls reported as gaps are exactly the polls where plays fell off the horizon.
      List<PollGap> reported = new ArrayList<>();
      for (JsonNode m : Landed.manifests(landing, "recently_played")) {
        for (JsonNode g : m.path("details").path("gaps")) {
          reported.add(
              new PollGap(
                  g.path("user_key").asText(),
                  Instant.parse(g.path("fetched_at").asText()),
                  Instant.parse(g.path("watermark").asText()),
                  Instant.parse(g.path("oldest_in_page").asText())));
        }
      }
      assertThat(reported).containsExactlyInAnyOrderElementsOf(truth.gaps());
      for (PlayKey lost : truth.lostInGaps()) {
        assertThat(reported)
            .as("lost play %s lies in a reported gap window", lost)
            .anySatisfy(
                g -> {
                  assertThat(g.userKey()).isEqualTo(lost.userKey());
                  assertThat(lost.playedAt()).isAfter(g.windowFrom()).isBefore(g.windowTo());
                });
      }
      long summarizedGaps =
          results.stream().mapToLong(r -> r.summary().path("gaps").asLong()).sum();
      assertThat(summarizedGaps).isEqualTo(truth.gaps().size());

      // The user whose consent expired is skipped and reported on every poll, never fatal.
      SimUser expired =
          sim.users().stream().filter(SimUser::tokenExpired).findFirst().orElseThrow();
      for (Cli.Result r : results) {
        assertThat(r.summary().path("users_skipped").path(expired.key()).asText())
            .contains("invalid_grant")
            .as("no authorize command that could not write into the simulator's users")
            .doesNotContain("authorize --target");
      }
      assertThat(truth.unauthorized()).isNotEmpty();
      assertThat(landed).doesNotContainAnyElementsOf(truth.unauthorized());

      // Faults really happened and were absorbed. (Tokens expiring mid-run are exercised by the
      // look-up test: a user token here serves a single request.)
      long retries = results.stream().mapToLong(r -> r.summary().path("retries").asLong()).sum();
      long refreshes =
          results.stream()
              .mapToLong(r -> r.summary().path("token_refreshes_after_401").asLong())
              .sum();
      Map<String, Long> statuses = new java.util.TreeMap<>();
      for (Cli.Result r : results) {
        r.summary()
            .path("requests_by_status")
            .fields()
            .forEachRemaining(e -> statuses.merge(e.getKey(), e.getValue().asLong(), Long::sum));
      }
      assertThat(retries).isPositive();
      // Bodies cut off: counted, kept in the quarantine folder as received, fetched again.
      long malformed =
          results.stream().mapToLong(r -> r.summary().path("malformed_bodies").asLong()).sum();
      assertThat(malformed).as("the day had cut-off bodies").isPositive();
      assertThat(Landed.quarantined(landing, "recently_played")).hasSize((int) malformed);
      assertThat(
              results.stream()
                  .mapToLong(r -> r.summary().path("malformed_bodies_quarantined").asLong())
                  .sum())
          .isEqualTo(malformed);
      assertThat(statuses).containsKeys("429", "200");
      assertThat(statuses.keySet().stream().filter(s -> s.startsWith("5")).count()).isPositive();

      // A re-run of a finished poll adds no files and changes no content.
      Map<String, String> before = Landed.snapshot(dir);
      Cli.Result again = poll(sim, landing, polls.get(polls.size() - 1));
      Cli.Result earlier = poll(sim, landing, polls.get(3));
      assertThat(again.exitCode()).isZero();
      assertThat(again.summary().path("status").asText()).isEqualTo("already_complete");
      assertThat(earlier.summary().path("status").asText()).isEqualTo("already_complete");
      assertThat(Landed.snapshot(dir)).isEqualTo(before);

      // No credential reaches a landing file, manifest, state file, summary or log line.
      Set<String> secrets = new HashSet<>();
      secrets.add(sim.clientSecret());
      sim.users().forEach(u -> secrets.add(u.refreshToken()));
      String everything =
          Landed.allText(dir)
              + results.stream()
                  .map(r -> r.stdout() + r.stderr())
                  .collect(Collectors.joining("\n"));
      for (String secret : secrets) {
        assertThat(everything).doesNotContain(secret);
      }
      assertThat(everything).doesNotContain("Bearer ");
    }
  }

  @Test
  void aQuotaExhaustionEndsThePollCleanlyAndTheSameRunResumes() throws Exception {
    Path landing = dir.resolve("landing");
    SimulatorConfig config =
        faultyDay()
            .withFaults(SimulatorConfig.Faults.none())
            .withRateLimit(SimulatorConfig.RateLimit.unlimited().withDailyQuota(4));
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0)) {
      Instant at = DAY_START.plus(Duration.ofHours(14));

      Cli.Result first = poll(sim, landing, at);

      assertThat(first.exitCode()).as(first.stderr()).isEqualTo(3);
      assertThat(first.summary().path("status").asText()).isEqualTo("partial");
      assertThat(first.summary().path("retry_after_seconds").asLong())
          .as("the quota's Retry-After, for whoever schedules the next run")
          .isEqualTo(52531);
      assertThat(sim.stats().quotaRejected())
          .as("no worker asked again once the quota was spent")
          .isLessThanOrEqualTo(3);
      assertThat(first.summary().path("message").asText())
          .contains("resume next run")
          .contains("quota");
      JsonNode manifest = Landed.manifests(landing, "recently_played").get(0);
      assertThat(manifest.path("status").asText()).isEqualTo("partial");
      Set<PlayKey> landedFirst = Landed.plays(landing);
      assertThat(first.summary().path("pages").asLong()).isEqualTo(4);

      // Only the users whose pages are landed have their watermark committed.
      JsonNode state =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  landing
                      .resolve(StateLayout.DEFAULT_FOLDER)
                      .resolve(StateLayout.watermarks())
                      .toFile());
      assertThat(state.path("users").size()).isEqualTo(4);

      sim.setRateLimit(SimulatorConfig.RateLimit.unlimited());
      Cli.Result resumed = poll(sim, landing, at);

      assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
      assertThat(resumed.summary().path("users_done_by_earlier_attempt").asLong()).isEqualTo(4);
      assertThat(Landed.plays(landing)).containsAll(landedFirst);
      assertThat(Landed.plays(landing))
          .isEqualTo(
              sim.groundTruth().retrievability(List.of(at), Optional.of(DAY_START)).retrievable());
      assertThat(Landed.parts(landing, "recently_played"))
          .as("the resumed attempt added a part after the first attempt's")
          .hasSize(2);
      assertThat(Landed.manifests(landing, "recently_played").get(0).path("status").asText())
          .isEqualTo("complete");
    }
  }
}
