package dev.listening.simulator;

import java.util.SplittableRandom;

/**
 * Generates the day's plays. Each user draws from their own seeded stream, so a user's plays do not
 * change when other users are added.
 *
 * <p>Listening comes in sessions with one context each (an album played in order, a playlist, an
 * artist, or no context). Heavy listeners play short bursts: more than 50 plays of 30-70 s in under
 * an hour, which overruns the 50-play horizon between hourly polls. Others play 2-5 minute tracks.
 * played_at is the end of listening; visibility lags 0-15 s, or up to maxLateness for the late
 * share.
 */
final class PlayGenerator {
  private static final long DAY_MS = 86_400_000L;
  private static final long NORMAL_VISIBILITY_MS = 15_000L;
  private static final int MIN_BURST = 55;

  private PlayGenerator() {}

  static GroundTruth generate(SimulatorConfig config, Catalog catalog, Population population) {
    int users = population.size;
    long[] counts = playsPerUser(config, population);
    int[] userStart = new int[users + 1];
    for (int u = 0; u < users; u++) {
      userStart[u + 1] = Math.toIntExact(userStart[u] + counts[u]);
    }
    int total = userStart[users];
    long[] playedAt = new long[total];
    int[] delay = new int[total];
    int[] item = new int[total];
    int[] context = new int[total];

    int[][] ownedPlaylists = ownedPlaylists(catalog, users);
    long dayStart = config.day().toEpochDay() * DAY_MS;
    long maxLateMs = config.maxLateness().toMillis();
    long[] scratch = new long[0];
    for (int u = 0; u < users; u++) {
      int n = (int) counts[u];
      if (n == 0) {
        continue;
      }
      if (scratch.length < n) {
        scratch = new long[Math.max(n, scratch.length * 2)];
      }
      SplittableRandom r = new SplittableRandom(Mix.hash(config.seed(), Mix.hash("plays"), u));
      fillUser(
          r,
          catalog,
          population.heavy[u],
          population.localFiles[u],
          ownedPlaylists[u],
          dayStart,
          userStart[u],
          n,
          scratch,
          playedAt,
          item,
          context);
      for (int i = userStart[u]; i < userStart[u] + n; i++) {
        boolean late = r.nextDouble() < config.lateShare();
        long lo = late ? Math.min(NORMAL_VISIBILITY_MS + 1, maxLateMs) : 0;
        long hi = late ? maxLateMs : Math.min(NORMAL_VISIBILITY_MS, maxLateMs);
        delay[i] = (int) (lo + (hi > lo ? r.nextLong(hi - lo + 1) : 0));
      }
    }
    return new GroundTruth(
        catalog, population.keys, population.expired, userStart, playedAt, delay, item, context);
  }

  /**
   * Splits the day's plays over users exactly: heavy listeners weigh five times a normal user,
   * normal users vary around one.
   */
  private static long[] playsPerUser(SimulatorConfig config, Population population) {
    int users = population.size;
    double[] weight = new double[users];
    double sum = 0;
    SplittableRandom r = new SplittableRandom(Mix.hash(config.seed(), Mix.hash("weights")));
    for (int u = 0; u < users; u++) {
      weight[u] = population.heavy[u] ? 5.0 : 0.5 + r.nextDouble();
      sum += weight[u];
    }
    long[] counts = new long[users];
    long assigned = 0;
    for (int u = 0; u < users; u++) {
      counts[u] = (long) Math.floor(config.playsPerDay() * weight[u] / sum);
      assigned += counts[u];
    }
    // Hand out the rounding remainder round-robin from a seeded start, so the total is exact.
    int at = users == 0 ? 0 : r.nextInt(users);
    for (long left = config.playsPerDay() - assigned; left > 0; left--) {
      counts[at]++;
      at = (at + 1) % users;
    }
    return counts;
  }

  private static int[][] ownedPlaylists(Catalog catalog, int users) {
    int[] perUser = new int[users];
    for (int p = 0; p < catalog.userPlaylistCount; p++) {
      perUser[catalog.playlistOwner[p]]++;
    }
    int[][] owned = new int[users][];
    for (int u = 0; u < users; u++) {
      owned[u] = new int[perUser[u]];
      perUser[u] = 0;
    }
    for (int p = 0; p < catalog.userPlaylistCount; p++) {
      int owner = catalog.playlistOwner[p];
      owned[owner][perUser[owner]++] = p;
    }
    return owned;
  }

  private static void fillUser(
      SplittableRandom r,
      Catalog catalog,
      boolean heavy,
      boolean localFiles,
      int[] ownPlaylists,
      long dayStart,
      int offset,
      int n,
      long[] lengths,
      long[] playedAt,
      int[] item,
      int[] context) {
    // 1. Session sizes. A heavy listener's first session is a burst whenever there are plays
    // enough for one, so every heavy user overruns the horizon at least once.
    int sessions = 0;
    int[] sessionSize = new int[Math.max(1, n)];
    int left = n;
    while (left > 0) {
      int size;
      if (heavy && left >= MIN_BURST && (sessions == 0 || r.nextDouble() < 0.5)) {
        size = Math.min(left, MIN_BURST + r.nextInt(21));
      } else {
        size = Math.min(left, 3 + r.nextInt(18));
      }
      sessionSize[sessions++] = size;
      left -= size;
    }

    // 2. Listening time of each play (length plus a short gap before it). Bursts: 30-68 s plus
    // up to 1 s, so any 51 consecutive plays fit in 59 minutes.
    long busy = 0;
    for (int i = 0; i < n; i++) {
      long length = heavy ? 30_000 + r.nextInt(38_000) : 120_000 + r.nextInt(180_000);
      lengths[i] = length + r.nextInt(1_000);
      busy += lengths[i];
    }
    double scale = busy > 0.92 * DAY_MS ? 0.92 * DAY_MS / busy : 1.0;
    if (scale < 1.0) {
      busy = 0;
      for (int i = 0; i < n; i++) {
        lengths[i] = Math.max(1_000, (long) (lengths[i] * scale));
        busy += lengths[i];
      }
    }

    // 3. Idle time between sessions: exponential weights over the free part of the day.
    double[] gapWeight = new double[sessions + 1];
    double gapSum = 0;
    for (int s = 0; s <= sessions; s++) {
      gapWeight[s] = -Math.log(1.0 - r.nextDouble());
      gapSum += gapWeight[s];
    }
    long free = DAY_MS - 1 - busy;

    // 4. Lay out sessions and choose tracks and contexts.
    long clock = dayStart;
    int i = 0;
    for (int s = 0; s < sessions; s++) {
      clock += (long) (free * gapWeight[s] / gapSum);
      SessionSource source = SessionSource.choose(r, catalog, ownPlaylists);
      for (int k = 0; k < sessionSize[s]; k++, i++) {
        clock += lengths[i];
        playedAt[offset + i] = clock;
        item[offset + i] = source.next(r, catalog, localFiles);
        context[offset + i] = source.contextCode;
      }
    }
    // A user with local files plays at least one, so every day has them to land.
    if (localFiles && n > 0) {
      boolean any = false;
      for (int k = offset; k < offset + n && !any; k++) {
        any = item[k] < 0;
      }
      if (!any) {
        int k = offset + r.nextInt(n);
        item[k] = -1 - r.nextInt(catalog.localFiles.length);
        context[k] = GroundTruth.CONTEXT_NONE;
      }
    }
  }

  /** Where a session's tracks come from: an album in order, a playlist, an artist, or anything. */
  private static final class SessionSource {
    final int kind;
    final int index;
    final int contextCode;
    int position;

    private SessionSource(int kind, int index, int position) {
      this.kind = kind;
      this.index = index;
      this.contextCode =
          kind == GroundTruth.CONTEXT_NONE ? 0 : GroundTruth.encodeContext(kind, index);
      this.position = position;
    }

    static SessionSource choose(SplittableRandom r, Catalog catalog, int[] ownPlaylists) {
      double p = r.nextDouble();
      if (p < 0.20) {
        return new SessionSource(GroundTruth.CONTEXT_NONE, 0, 0);
      }
      if (p < 0.55) {
        int album = catalog.trackAlbum[catalog.popularTrack(r)];
        int tracks = catalog.albumFirstTrack[album + 1] - catalog.albumFirstTrack[album];
        int start = r.nextDouble() < 0.5 ? 0 : r.nextInt(tracks);
        return new SessionSource(GroundTruth.CONTEXT_ALBUM, album, start);
      }
      if (p < 0.80) {
        int playlist;
        if (ownPlaylists.length > 0 && r.nextDouble() < 0.5) {
          playlist = ownPlaylists[r.nextInt(ownPlaylists.length)];
        } else {
          int editorial = catalog.playlistIds.length - catalog.userPlaylistCount;
          playlist = catalog.userPlaylistCount + r.nextInt(editorial);
        }
        int start = r.nextInt(catalog.playlistItems[playlist].length);
        return new SessionSource(GroundTruth.CONTEXT_PLAYLIST, playlist, start);
      }
      int track = catalog.popularTrack(r);
      int artist = catalog.trackArtists[catalog.trackArtistStart[track]];
      return new SessionSource(GroundTruth.CONTEXT_ARTIST, artist, 0);
    }

    int next(SplittableRandom r, Catalog catalog, boolean localFiles) {
      switch (kind) {
        case GroundTruth.CONTEXT_ALBUM -> {
          int first = catalog.albumFirstTrack[index];
          int tracks = catalog.albumFirstTrack[index + 1] - first;
          return first + (position++ % tracks);
        }
        case GroundTruth.CONTEXT_PLAYLIST -> {
          int[] items = catalog.playlistItems[index];
          return items[position++ % items.length];
        }
        case GroundTruth.CONTEXT_ARTIST -> {
          int from = catalog.artistTrackStart[index];
          int count = catalog.artistTrackStart[index + 1] - from;
          return catalog.artistTracks[from + r.nextInt(count)];
        }
        default -> {
          if (localFiles && r.nextDouble() < 0.25) {
            return -1 - r.nextInt(catalog.localFiles.length);
          }
          return catalog.popularTrack(r);
        }
      }
    }
  }
}
