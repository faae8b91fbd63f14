package dev.listening.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Every play of the simulated day, and what a given poll schedule could have retrieved. Tests of
 * the extractor compare what it landed against {@link #retrievability}.
 *
 * <p>Plays are held as parallel primitive arrays grouped by user and sorted by played_at, so a day
 * of 1.2 million plays costs about 24 MB and a horizon lookup is a binary search.
 */
public final class GroundTruth {
  /** How many plays recently-played can ever return: Spotify's 50-play horizon. */
  public static final int HORIZON = 50;

  static final int CONTEXT_NONE = 0;
  static final int CONTEXT_ALBUM = 1;
  static final int CONTEXT_ARTIST = 2;
  static final int CONTEXT_PLAYLIST = 3;
  private static final int CONTEXT_SHIFT = 29;
  private static final int CONTEXT_INDEX_MASK = (1 << CONTEXT_SHIFT) - 1;

  public record Play(
      String userKey,
      Instant playedAt,
      Instant visibleAt,
      String trackId,
      String trackUri,
      String contextUri) {}

  public record PlayKey(String userKey, Instant playedAt) {}

  public record PollGap(String userKey, Instant pollTime, Instant windowFrom, Instant windowTo) {}

  public record Retrievability(
      Set<PlayKey> retrievable,
      Set<PlayKey> lostInGaps,
      Set<PlayKey> lateEvicted,
      Set<PlayKey> notYetVisible,
      Set<PlayKey> unauthorized,
      List<PollGap> gaps) {}

  final Catalog catalog;
  final String[] userKeys;
  final boolean[] expired;

  /** Plays of user u are at indices [userStart[u], userStart[u + 1]). */
  final int[] userStart;

  final long[] playedAtMs;
  final int[] visibleDelayMs;

  /** Catalog track index, or {@code -1 - localFileIndex} for a local file. */
  final int[] item;

  /** {@code kind << 29 | index}, kind one of the CONTEXT_ constants. */
  final int[] context;

  GroundTruth(
      Catalog catalog,
      String[] userKeys,
      boolean[] expired,
      int[] userStart,
      long[] playedAtMs,
      int[] visibleDelayMs,
      int[] item,
      int[] context) {
    this.catalog = catalog;
    this.userKeys = userKeys;
    this.expired = expired;
    this.userStart = userStart;
    this.playedAtMs = playedAtMs;
    this.visibleDelayMs = visibleDelayMs;
    this.item = item;
    this.context = context;
  }

  static int encodeContext(int kind, int index) {
    return kind << CONTEXT_SHIFT | index;
  }

  static int contextKind(int code) {
    return code >>> CONTEXT_SHIFT;
  }

  static int contextIndex(int code) {
    return code & CONTEXT_INDEX_MASK;
  }

  /** Every play of the day, all users, ordered by user then played_at. */
  public Stream<Play> plays() {
    return IntStream.range(0, userKeys.length)
        .boxed()
        .flatMap(u -> IntStream.range(userStart[u], userStart[u + 1]).mapToObj(i -> play(u, i)));
  }

  public long playCount() {
    return playedAtMs.length;
  }

  Play play(int user, int i) {
    return new Play(
        userKeys[user],
        Instant.ofEpochMilli(playedAtMs[i]),
        Instant.ofEpochMilli(visibleAtMs(i)),
        catalog.trackIdOrNull(item[i]),
        catalog.trackUri(item[i]),
        contextUri(context[i]));
  }

  long visibleAtMs(int i) {
    return playedAtMs[i] + visibleDelayMs[i];
  }

  String contextUri(int code) {
    int index = contextIndex(code);
    return switch (contextKind(code)) {
      case CONTEXT_ALBUM -> "spotify:album:" + catalog.albumIds[index];
      case CONTEXT_ARTIST -> "spotify:artist:" + catalog.artistIds[index];
      case CONTEXT_PLAYLIST -> "spotify:playlist:" + catalog.playlistIds[index];
      default -> null;
    };
  }

  /**
   * The plays of {@code user} that recently-played shows at {@code nowMs}: the {@link #HORIZON}
   * newest by played_at among those visible by then. Fills {@code out} (play indices) newest first
   * and returns how many.
   */
  int horizon(int user, long nowMs, int[] out) {
    int from = userStart[user];
    int to = userStart[user + 1];
    // Nothing played after now can be visible (visibleAt >= playedAt): start below it.
    int hi = upperBound(playedAtMs, from, to, nowMs) - 1;
    int n = 0;
    for (int i = hi; i >= from && n < HORIZON; i--) {
      if (visibleAtMs(i) <= nowMs) {
        out[n++] = i;
      }
    }
    return n;
  }

  /** First index in [from, to) whose value is greater than {@code key}. */
  private static int upperBound(long[] a, int from, int to, long key) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Which plays a schedule of polls (the same instants for every user) could retrieve, and why the
   * others could not. The exact rules are in the package documentation (package-info.java).
   */
  public Retrievability retrievability(List<Instant> pollTimes, Optional<Instant> startFrom) {
    Objects.requireNonNull(pollTimes, "pollTimes");
    Objects.requireNonNull(startFrom, "startFrom");
    long[] polls = pollTimes.stream().mapToLong(Instant::toEpochMilli).sorted().toArray();
    long lastPoll = polls.length == 0 ? Long.MIN_VALUE : polls[polls.length - 1];
    boolean hasStart = startFrom.isPresent();
    long start = hasStart ? startFrom.get().toEpochMilli() : Long.MIN_VALUE;

    Set<PlayKey> retrievable = new HashSet<>();
    Set<PlayKey> lostInGaps = new HashSet<>();
    Set<PlayKey> lateEvicted = new HashSet<>();
    Set<PlayKey> notYetVisible = new HashSet<>();
    Set<PlayKey> unauthorized = new HashSet<>();
    List<PollGap> gaps = new ArrayList<>();

    BitSet retrieved = new BitSet(playedAtMs.length);
    int[] window = new int[HORIZON];
    List<long[]> userGaps = new ArrayList<>();
    for (int u = 0; u < userKeys.length; u++) {
      if (expired[u]) {
        for (int i = userStart[u]; i < userStart[u + 1]; i++) {
          if (!hasStart || playedAtMs[i] > start) {
            unauthorized.add(key(u, i));
          }
        }
        continue;
      }
      userGaps.clear();
      boolean hasWatermark = hasStart;
      long watermark = start;
      for (long poll : polls) {
        int n = horizon(u, poll, window);
        if (n == 0) {
          continue;
        }
        long newest = playedAtMs[window[0]];
        long oldest = playedAtMs[window[n - 1]];
        if (hasWatermark && n == HORIZON && oldest > watermark) {
          gaps.add(
              new PollGap(
                  userKeys[u],
                  Instant.ofEpochMilli(poll),
                  Instant.ofEpochMilli(watermark),
                  Instant.ofEpochMilli(oldest)));
          userGaps.add(new long[] {watermark, oldest});
        }
        for (int k = 0; k < n; k++) {
          retrieved.set(window[k]);
        }
        watermark = hasWatermark ? Math.max(watermark, newest) : newest;
        hasWatermark = true;
      }
      for (int i = userStart[u]; i < userStart[u + 1]; i++) {
        long playedAt = playedAtMs[i];
        if (hasStart && playedAt <= start) {
          continue;
        }
        PlayKey key = key(u, i);
        if (retrieved.get(i)) {
          retrievable.add(key);
        } else if (visibleAtMs(i) > lastPoll) {
          notYetVisible.add(key);
        } else if (insideGap(userGaps, playedAt)) {
          lostInGaps.add(key);
        } else {
          lateEvicted.add(key);
        }
      }
    }
    return new Retrievability(
        retrievable, lostInGaps, lateEvicted, notYetVisible, unauthorized, List.copyOf(gaps));
  }

  private static boolean insideGap(List<long[]> gaps, long playedAt) {
    for (long[] gap : gaps) {
      if (playedAt > gap[0] && playedAt < gap[1]) {
        return true;
      }
    }
    return false;
  }

  private PlayKey key(int user, int i) {
    return new PlayKey(userKeys[user], Instant.ofEpochMilli(playedAtMs[i]));
  }
}
