package dev.listening.simulator;

import java.util.SplittableRandom;

/** Who the simulated users are: keys, which ones are heavy listeners, expired, own playlists. */
final class Population {
  final int size;
  final String[] keys;
  final boolean[] expired;
  final boolean[] heavy;
  final boolean[] localFiles;

  /** The Spotify user id each user shows as in {@code added_by} (not the pseudonymous key). */
  final String[] spotifyIds;

  /** Owner (user index) of each user playlist, in playlist order. */
  final int[] playlistOwners;

  final boolean[] playlistOwnerHasLocalFiles;

  private Population(SimulatorConfig config) {
    size = config.users();
    keys = new String[size];
    expired = new boolean[size];
    heavy = new boolean[size];
    localFiles = new boolean[size];
    spotifyIds = new String[size];
    long seed = config.seed();
    for (int u = 0; u < size; u++) {
      keys[u] = String.format(java.util.Locale.ROOT, "u%05d", u + 1);
      spotifyIds[u] = userId(seed, u);
      // About one user in six keeps local files (rips, DJ sets) in their library.
      localFiles[u] = Mix.unit(Mix.hash(seed, Mix.hash("local-files"), u)) < 0.17;
    }
    int heavyCount = (int) Math.round(size * config.heavyListenerShare());
    if (heavyCount == 0 && config.heavyListenerShare() > 0) {
      heavyCount = 1;
    }
    for (int u : pick(new SplittableRandom(Mix.hash(seed, Mix.hash("heavy"))), heavyCount)) {
      heavy[u] = true;
    }
    for (int u :
        pick(
            new SplittableRandom(Mix.hash(seed, Mix.hash("expired"))),
            config.expiredTokenUsers())) {
      expired[u] = true;
    }
    // Local files are an edge case every run should exercise: make sure a user who can be
    // read has them.
    if (!anyTrue(localFiles)) {
      int start =
          (int) Long.remainderUnsigned(Mix.hash(seed, Mix.hash("local-files-fallback")), size);
      for (int k = 0; k < size; k++) {
        int u = (start + k) % size;
        if (!expired[u]) {
          localFiles[u] = true;
          break;
        }
      }
    }
    // Playlists go to users who can consent (valid token) first, so an extractor can read them.
    int eligible = 0;
    for (int u = 0; u < size; u++) {
      eligible += expired[u] ? 0 : 1;
    }
    int[] owners = new int[eligible == 0 ? size : eligible];
    int k = 0;
    for (int u = 0; u < size; u++) {
      if (eligible == 0 || !expired[u]) {
        owners[k++] = u;
      }
    }
    SplittableRandom r = new SplittableRandom(Mix.hash(seed, Mix.hash("playlist-owners")));
    shuffle(r, owners);
    playlistOwners = new int[config.playlists()];
    playlistOwnerHasLocalFiles = new boolean[config.playlists()];
    for (int p = 0; p < playlistOwners.length; p++) {
      playlistOwners[p] = owners[p % owners.length];
      playlistOwnerHasLocalFiles[p] = localFiles[playlistOwners[p]];
    }
  }

  private static boolean anyTrue(boolean[] values) {
    for (boolean v : values) {
      if (v) {
        return true;
      }
    }
    return false;
  }

  static Population generate(SimulatorConfig config) {
    return new Population(config);
  }

  /** A 28-character lowercase id, the shape of Spotify user ids of newer accounts. */
  private static String userId(long seed, int user) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(28);
    long h = Mix.hash(seed, Mix.hash("spotify-user"), user);
    for (int i = 0; i < 28; i++) {
      if (i % 10 == 0) {
        h = Mix.mix(h + i);
      }
      sb.append(alphabet.charAt((int) Long.remainderUnsigned(h >>> (i % 10) * 6, 36)));
    }
    return sb.toString();
  }

  private int[] pick(SplittableRandom r, int count) {
    int[] all = new int[size];
    for (int i = 0; i < size; i++) {
      all[i] = i;
    }
    shuffle(r, all);
    return java.util.Arrays.copyOf(all, Math.min(count, size));
  }

  private static void shuffle(SplittableRandom r, int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
