package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.landing.AppMode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    SimulatorConfig c = SimulatorConfig.defaults();
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.profile()).isEqualTo(AppMode.EXTENDED);
    assertThat(c.day()).isEqualTo(LocalDate.of(2026, 11, 20));
    assertThat(c.users()).isEqualTo(20);
    assertThat(c.playsPerDay()).isEqualTo(2_000);
    assertThat(c.heavyListenerShare()).isEqualTo(0.10);
    assertThat(c.expiredTokenUsers()).isEqualTo(1);
    assertThat(c.lateShare()).isEqualTo(0.03);
    assertThat(c.maxLateness()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.playlists()).isEqualTo(4);
    assertThat(c.markets()).containsExactly("US", "GB", "SE", "DE", "JP", "BR");
    assertThat(c.newReleasesPerMarket()).isEqualTo(60);
    assertThat(c.refreshRotationShare()).isEqualTo(0.3);
    assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofSeconds(3600));
    assertThat(c.rateLimit())
        .isEqualTo(
            new SimulatorConfig.RateLimit(
                600,
                Duration.ofSeconds(30),
                0.2,
                Duration.ofSeconds(2),
                0,
                Duration.ofSeconds(52_531)));
    assertThat(c.faults())
        .isEqualTo(new SimulatorConfig.Faults(0.02, 0.01, Duration.ofMillis(300), 0.01, 0.01));
    assertThat(SimulatorConfig.Faults.none().serverErrorRate()).isZero();
    assertThat(SimulatorConfig.RateLimit.unlimited().windowUnlimited()).isTrue();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    SimulatorConfig d = SimulatorConfig.defaults();
    assertThatThrownBy(
            () ->
                new SimulatorConfig(
                    d.seed(),
                    AppMode.DEVELOPMENT,
                    d.day(),
                    20,
                    -1,
                    1.5,
                    30,
                    d.lateShare(),
                    Duration.ofMinutes(-1),
                    d.playlists(),
                    List.of("US", "usa"),
                    d.newReleasesPerMarket(),
                    d.refreshRotationShare(),
                    Duration.ZERO,
                    d.rateLimit(),
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("users must be <= 5 in development profile")
        .hasMessageContaining("playsPerDay must be >= 0")
        .hasMessageContaining("heavyListenerShare must be between 0 and 1")
        .hasMessageContaining("expiredTokenUsers must be between 0 and users (20)")
        .hasMessageContaining("maxLateness")
        .hasMessageContaining("market 'usa'")
        .hasMessageContaining("accessTokenTtl")
        .hasMessageContaining("faults must be set");
  }

  @Test
  void nestedRecordsReportAllTheirProblems() {
    assertThatThrownBy(
            () ->
                new SimulatorConfig.RateLimit(
                    0, Duration.ZERO, -0.1, Duration.ofSeconds(-1), -1, null))
        .hasMessageContaining("requestsPerWindow")
        .hasMessageContaining("window must be positive")
        .hasMessageContaining("retryAfterMissingShare")
        .hasMessageContaining("penaltyStep")
        .hasMessageContaining("dailyQuota")
        .hasMessageContaining("quotaRetryAfter");
    assertThatThrownBy(() -> new SimulatorConfig.Faults(2, -1, null, 0, Double.NaN))
        .hasMessageContaining("serverErrorRate")
        .hasMessageContaining("slowRate")
        .hasMessageContaining("slowDelay")
        .hasMessageContaining("tokenExpiryRate");
  }

  @Test
  void tooManyPlaysForTheUsersAreRejectedWithTheBound() {
    assertThatThrownBy(() -> SimulatorConfig.defaults().withUsers(2).withPlaysPerDay(1_001))
        .hasMessageContaining("playsPerDay must be <= 500 per user (1000 for 2 users)");
  }

  @Test
  void withersChangeOnlyTheirField() {
    SimulatorConfig d = SimulatorConfig.defaults();
    assertThat(d.withSeed(7)).isEqualTo(copyWith(d, 0, 7L));
    assertThat(d.withUsers(5).users()).isEqualTo(5);
    assertThat(d.withUsers(5).withSeed(d.seed())).isEqualTo(copyWith(d, 3, 5));
    assertThat(d.withPlaylists(9).playlists()).isEqualTo(9);
    assertThat(d.withMarkets(List.of("FR")).markets()).containsExactly("FR");
    assertThat(d.withFaults(SimulatorConfig.Faults.none()).faults())
        .isEqualTo(SimulatorConfig.Faults.none());
    assertThat(d.withRateLimit(SimulatorConfig.RateLimit.unlimited()).withSeed(42).playsPerDay())
        .isEqualTo(d.playsPerDay());
  }

  @Test
  void developmentDefaultsFitTheFiveUserLimit() {
    SimulatorConfig dev = SimulatorConfig.defaults(AppMode.DEVELOPMENT);
    assertThat(dev.profile()).isEqualTo(AppMode.DEVELOPMENT);
    assertThat(dev.users()).isEqualTo(5);
    assertThat(dev.playsPerDay()).isEqualTo(500);
    // Switching the profile of the 20-user defaults directly is refused, with the reason.
    assertThatThrownBy(() -> SimulatorConfig.defaults().withProfile(AppMode.DEVELOPMENT))
        .hasMessageContaining("users must be <= 5 in development profile");
  }

  @Test
  void marketsAreCopied() {
    List<String> markets = new ArrayList<>(List.of("US"));
    SimulatorConfig c = SimulatorConfig.defaults().withMarkets(markets);
    markets.add("GB");
    assertThat(c.markets()).containsExactly("US");
  }

  /** The defaults with one component replaced, built through the canonical constructor. */
  private static SimulatorConfig copyWith(SimulatorConfig d, int component, Object value) {
    return new SimulatorConfig(
        component == 0 ? (Long) value : d.seed(),
        d.profile(),
        d.day(),
        component == 3 ? (Integer) value : d.users(),
        d.playsPerDay(),
        d.heavyListenerShare(),
        d.expiredTokenUsers(),
        d.lateShare(),
        d.maxLateness(),
        d.playlists(),
        d.markets(),
        d.newReleasesPerMarket(),
        d.refreshRotationShare(),
        d.accessTokenTtl(),
        d.rateLimit(),
        d.faults());
  }
}
