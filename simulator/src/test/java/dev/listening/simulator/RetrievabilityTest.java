package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** GroundTruth.retrievability on small hand-built days, one rule per test. */
class RetrievabilityTest {
  private static final Catalog CATALOG = SimWorld.generate(SimulatorConfig.defaults()).catalog;
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  /** One user's plays: played_at minutes after T0 and visibility delays in seconds. */
  private record UserPlays(boolean expired, double[] minutes, int[] delaySeconds) {
    static UserPlays every(int count, double firstMinute, double stepMinutes) {
      double[] m = new double[count];
      for (int i = 0; i < count; i++) {
        m[i] = firstMinute + i * stepMinutes;
      }
      return new UserPlays(false, m, new int[count]);
    }

    UserPlays late(int index, int delaySeconds) {
      int[] d = this.delaySeconds.clone();
      d[index] = delaySeconds;
      return new UserPlays(expired, minutes, d);
    }

    UserPlays expiredToken() {
      return new UserPlays(true, minutes, delaySeconds);
    }
  }

  private static GroundTruth truth(UserPlays... users) {
    String[] keys = new String[users.length];
    boolean[] expired = new boolean[users.length];
    int[] start = new int[users.length + 1];
    for (int u = 0; u < users.length; u++) {
      keys[u] = String.format("u%05d", u + 1);
      expired[u] = users[u].expired();
      start[u + 1] = start[u] + users[u].minutes().length;
    }
    long[] playedAt = new long[start[users.length]];
    int[] delay = new int[playedAt.length];
    for (int u = 0; u < users.length; u++) {
      for (int k = 0; k < users[u].minutes().length; k++) {
        playedAt[start[u] + k] = T0.toEpochMilli() + Math.round(users[u].minutes()[k] * 60_000);
        delay[start[u] + k] = users[u].delaySeconds()[k] * 1000;
      }
    }
    return new GroundTruth(
        CATALOG,
        keys,
        expired,
        start,
        playedAt,
        delay,
        new int[playedAt.length],
        new int[playedAt.length]);
  }

  private static Instant minute(double m) {
    return T0.plusMillis(Math.round(m * 60_000));
  }

  /** Keys of user 1's plays with these 1-based play numbers. */
  private static Set<GroundTruth.PlayKey> plays(UserPlays user, int fromNumber, int toNumber) {
    Set<GroundTruth.PlayKey> keys = new HashSet<>();
    for (int n = fromNumber; n <= toNumber; n++) {
      keys.add(new GroundTruth.PlayKey("u00001", minute(user.minutes()[n - 1])));
    }
    return keys;
  }

  @Test
  void everythingIsRetrievableWhenPollsKeepUp() {
    UserPlays u = UserPlays.every(30, 1, 2);
    GroundTruth.Retrievability r =
        truth(u).retrievability(List.of(minute(30), minute(70)), Optional.empty());
    assertThat(r.retrievable()).isEqualTo(plays(u, 1, 30));
    assertThat(r.lostInGaps()).isEmpty();
    assertThat(r.gaps()).isEmpty();
  }

  @Test
  void moreThanFiftyPlaysBetweenPollsLeaveAGap() {
    // 120 plays, one every 30 s. At minute 15.1 the user has played 30: all seen, watermark is
    // play 30. At minute 61 the horizon holds plays 71-120, all newer than the watermark.
    UserPlays u = UserPlays.every(120, 0.5, 0.5);
    GroundTruth.Retrievability r =
        truth(u).retrievability(List.of(minute(15.1), minute(61)), Optional.empty());
    assertThat(r.gaps())
        .containsExactly(new GroundTruth.PollGap("u00001", minute(61), minute(15), minute(35.5)));
    assertThat(r.lostInGaps()).isEqualTo(plays(u, 31, 70));
    Set<GroundTruth.PlayKey> seen = plays(u, 1, 30);
    seen.addAll(plays(u, 71, 120));
    assertThat(r.retrievable()).isEqualTo(seen);
    assertThat(r.lateEvicted()).isEmpty();
  }

  @Test
  void aLatePlayPushedBehindTheWatermarkIsEvictedNotLost() {
    // Plays every minute from minute 1 to 90. Play 29 shows only at minute 35, after the first
    // poll (minute 30.5) saw plays 1-28 and 30. By the second poll it has been pushed out of the
    // horizon (plays 41-90) and it is older than the watermark: the extractor cannot see it.
    UserPlays u = UserPlays.every(90, 1, 1).late(28, 6 * 60);
    GroundTruth.Retrievability r =
        truth(u).retrievability(List.of(minute(30.5), minute(91)), Optional.empty());
    assertThat(r.lateEvicted()).isEqualTo(plays(u, 29, 29));
    assertThat(r.lostInGaps()).isEqualTo(plays(u, 31, 40));
    assertThat(r.gaps()).extracting(GroundTruth.PollGap::windowFrom).containsExactly(minute(30));
  }

  @Test
  void aLatePlayStillInTheHorizonIsRetrieved() {
    UserPlays u = UserPlays.every(40, 1, 1).late(28, 6 * 60);
    GroundTruth.Retrievability r =
        truth(u).retrievability(List.of(minute(30.5), minute(41)), Optional.empty());
    assertThat(r.retrievable()).isEqualTo(plays(u, 1, 40));
  }

  @Test
  void playsVisibleOnlyAfterTheLastPollAreNotYetVisible() {
    // Play 10 is played at minute 10 but shows at minute 10 + 5; the last poll is at minute 12.
    UserPlays u = UserPlays.every(12, 1, 1).late(9, 5 * 60);
    GroundTruth.Retrievability r =
        truth(u).retrievability(List.of(minute(5.5), minute(12)), Optional.empty());
    assertThat(r.notYetVisible()).isEqualTo(plays(u, 10, 10));
    Set<GroundTruth.PlayKey> rest = plays(u, 1, 9);
    rest.addAll(plays(u, 11, 12));
    assertThat(r.retrievable()).isEqualTo(rest);
  }

  @Test
  void noPollsMeansNothingIsVisibleYet() {
    UserPlays u = UserPlays.every(5, 1, 1);
    GroundTruth.Retrievability r = truth(u).retrievability(List.of(), Optional.empty());
    assertThat(r.notYetVisible()).isEqualTo(plays(u, 1, 5));
  }

  @Test
  void usersWithExpiredTokensAreUnauthorizedOnly() {
    UserPlays u = UserPlays.every(120, 0.5, 0.5).expiredToken();
    GroundTruth.Retrievability r =
        truth(u).retrievability(List.of(minute(15.1), minute(61)), Optional.empty());
    assertThat(r.unauthorized()).isEqualTo(plays(u, 1, 120));
    assertThat(r.retrievable()).isEmpty();
    assertThat(r.lostInGaps()).isEmpty();
    assertThat(r.notYetVisible()).isEmpty();
    assertThat(r.gaps()).isEmpty();
  }

  @Test
  void startFromScopesThePlaysAndSeedsTheWatermark() {
    // Plays every 30 s from minute 0.5 to 60. Start from minute 10: plays up to it are out of
    // scope. The only poll, at minute 61, sees plays 71-120 (minute 35.5 on), newer than the
    // start: a gap from minute 10 to 35.5.
    UserPlays u = UserPlays.every(120, 0.5, 0.5);
    GroundTruth.Retrievability r =
        truth(u).retrievability(List.of(minute(61)), Optional.of(minute(10)));
    assertThat(r.gaps())
        .containsExactly(new GroundTruth.PollGap("u00001", minute(61), minute(10), minute(35.5)));
    assertThat(r.lostInGaps()).isEqualTo(plays(u, 21, 70));
    assertThat(r.retrievable()).isEqualTo(plays(u, 71, 120));
    assertThat(all(r)).doesNotContainAnyElementsOf(plays(u, 1, 20));
  }

  @Test
  void theSetsPartitionAGeneratedDayAndGapsBelongToHeavyListeners() {
    SimWorld world = SimWorld.generate(SimulatorConfig.defaults());
    List<Instant> polls = new ArrayList<>();
    Instant dayStart = world.config.day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    for (int h = 1; h <= 24; h++) {
      polls.add(dayStart.plusSeconds(3600L * h));
    }
    GroundTruth.Retrievability r = world.truth.retrievability(polls, Optional.empty());
    List<GroundTruth.PlayKey> every = new ArrayList<>(all(r));
    assertThat(every).hasSize((int) world.truth.playCount()).doesNotHaveDuplicates();
    assertThat(r.gaps()).isNotEmpty();
    Set<String> heavy = new HashSet<>();
    for (int u = 0; u < world.population.size; u++) {
      if (world.population.heavy[u]) {
        heavy.add(world.population.keys[u]);
      }
    }
    assertThat(r.gaps().stream().map(GroundTruth.PollGap::userKey).collect(Collectors.toSet()))
        .isSubsetOf(heavy);
    assertThat(r.unauthorized())
        .hasSize((int) world.truth.plays().filter(p -> isExpired(world, p.userKey())).count());
  }

  private static boolean isExpired(SimWorld world, String key) {
    return world.population.expired[Integer.parseInt(key.substring(1)) - 1];
  }

  private static List<GroundTruth.PlayKey> all(GroundTruth.Retrievability r) {
    List<GroundTruth.PlayKey> all = new ArrayList<>(r.retrievable());
    all.addAll(r.lostInGaps());
    all.addAll(r.lateEvicted());
    all.addAll(r.notYetVisible());
    all.addAll(r.unauthorized());
    return all;
  }
}
