package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimClockTest {
  private static final Instant START = Instant.parse("2026-11-20T01:00:00Z");

  @Test
  void frozenUntilToldOtherwise() {
    AtomicLong nanos = new AtomicLong();
    SimClock clock = new SimClock(START, nanos::get);
    nanos.addAndGet(Duration.ofMinutes(5).toNanos());
    assertThat(clock.now()).isEqualTo(START);
    clock.advance(Duration.ofHours(2));
    assertThat(clock.now()).isEqualTo(START.plus(Duration.ofHours(2)));
    clock.set(Instant.parse("2026-11-20T13:00:00Z"));
    assertThat(clock.now()).isEqualTo(Instant.parse("2026-11-20T13:00:00Z"));
    assertThat(clock.flowing()).isFalse();
  }

  @Test
  void flowingFollowsRealTimeInMillisecondsAndSetFreezesAgain() {
    AtomicLong nanos = new AtomicLong(123);
    SimClock clock = new SimClock(START, nanos::get);
    clock.flowFrom(START);
    nanos.addAndGet(1_500_000_700L);
    assertThat(clock.now()).isEqualTo(START.plusMillis(1_500));
    clock.advance(Duration.ofHours(1));
    assertThat(clock.now()).isEqualTo(START.plusSeconds(3600).plusMillis(1_500));
    clock.set(START);
    nanos.addAndGet(1_000_000_000L);
    assertThat(clock.now()).isEqualTo(START);
  }

  @Test
  void aSimulatorStartsFrozenAnHourIntoTheDay() {
    try (SpotifySimulator sim = SpotifySimulator.start(SimulatorConfig.defaults(), 0)) {
      assertThat(sim.clock().now()).isEqualTo(START);
      assertThat(sim.clock().flowing()).isFalse();
    }
  }
}
