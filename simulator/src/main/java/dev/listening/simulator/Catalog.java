package dev.listening.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generated catalog: artists, albums, tracks, local files and playlists, all derived from the
 * seed. Held as parallel arrays (one entry per entity) so a catalog for a million plays stays
 * small; JSON is rendered from it by {@link JsonRenderer}.
 */
public final class Catalog {
  static final int VARIOUS_ARTISTS = 0;

  /** Spotify's real id of "Various Artists", the album artist of compilations. */
  static final String VARIOUS_ARTISTS_ID = "0LyfQWJT6nXafLPZqxe9Of";

  static final byte TYPE_ALBUM = 0;
  static final byte TYPE_SINGLE = 1;
  static final byte TYPE_COMPILATION = 2;
  static final byte PRECISION_YEAR = 0;
  static final byte PRECISION_MONTH = 1;
  static final byte PRECISION_DAY = 2;

  static final int FLAG_EXPLICIT = 1;
  static final int FLAG_PREVIEW = 2;
  static final int FLAG_RESTRICTED = 4;
  static final int FLAG_LINKED = 8;

  /** Markets beyond the configured ones, so available_markets looks like a real list. */
  private static final List<String> EXTRA_MARKETS =
      List.of(
          "AD", "AR", "AT", "AU", "BE", "CA", "CH", "CL", "CO", "DK", "ES", "FI", "FR", "IE", "IN",
          "IT", "KR", "MX", "NL", "NO", "NZ", "PL", "PT", "TW", "ZA");

  final long seed;
  final LocalDate day;
  final List<String> allMarkets;

  final int artistCount;
  final String[] artistIds;
  final String[] artistNames;
  final int[] artistFollowers;
  final byte[] artistPopularity;
  final byte[] artistGenre;
  final int[] artistTrackStart;
  final int[] artistTracks;

  final int albumCount;
  final String[] albumIds;
  final String[] albumNames;
  final String[] albumLabels;
  final byte[] albumType;
  final int[] albumArtist;
  final int[] albumFirstTrack;
  final int[] albumReleaseEpochDay;
  final byte[] albumPrecision;
  final byte[] albumPopularity;
  final long[] albumMissingMarkets;

  final int trackCount;

  /**
   * Tracks of the listened-to catalog, the ones plays and playlists draw from: every track but the
   * box sets' (see {@link #BOX_SETS}).
   */
  final int playableTrackCount;

  final String[] trackIds;
  final String[] trackNames;
  final int[] trackAlbum;
  final int[] trackDurationMs;
  final byte[] trackPopularity;
  final byte[] trackFlags;
  final int[] trackArtistStart;
  final int[] trackArtists;

  final LocalFile[] localFiles;

  /** User playlists first ({@code userPlaylistCount} of them), then editorial ones. */
  final String[] playlistIds;

  final int[] playlistOwner;
  final int[][] playlistItems;
  final long[][] playlistAddedAtMs;
  final int userPlaylistCount;

  /**
   * Box sets: long compilations (51 to 130 tracks, more than one page of {@code
   * /albums/{id}/tracks}) released in the three weeks before the day and featured in every market's
   * new releases. Nobody has played them yet. They come after the rest of the catalog and from
   * their own random stream, so the catalog, the plays and the playlists are what they were without
   * them.
   */
  static final int BOX_SETS = 3;

  static final int BOX_SET_MIN_TRACKS = 51;
  static final int BOX_SET_MAX_TRACKS = 130;

  private final int[] newReleasePool;
  private final int[] boxSets;
  private final int newReleasesPerMarket;
  private final Map<String, int[]> newReleasesByMarket = new ConcurrentHashMap<>();

  private final Map<String, Integer> trackIndex;
  private final Map<String, Integer> albumIndex;
  private final Map<String, Integer> artistIndex;
  private final Map<String, Integer> playlistIndex;

  /** A local file: no catalog id, only the parts of its {@code spotify:local:} URI. */
  record LocalFile(String artist, String album, String title, int durationMs, String uri) {}

  private Catalog(SimulatorConfig config, int[] playlistOwners, boolean[] ownerHasLocalFiles) {
    this.seed = config.seed();
    this.day = config.day();
    this.newReleasesPerMarket = config.newReleasesPerMarket();
    LinkedHashSet<String> markets = new LinkedHashSet<>(config.markets());
    markets.addAll(EXTRA_MARKETS);
    this.allMarkets =
        List.copyOf(new ArrayList<>(markets).subList(0, Math.min(64, markets.size())));

    SplittableRandom base = new SplittableRandom(Mix.hash(seed, Mix.hash("catalog")));
    SplittableRandom r = base;
    // Size the catalog to the traffic: a bigger day draws from more tracks, as real listening
    // does, while a small test config stays quick to build.
    int baseAlbums = (int) Math.max(150, Math.min(8_000, config.playsPerDay() / 200));
    SplittableRandom boxRandom = new SplittableRandom(Mix.hash(seed, Mix.hash("box-sets")));
    albumCount = baseAlbums + BOX_SETS;
    artistCount = Math.max(60, baseAlbums / 2) + 1;

    artistIds = new String[artistCount];
    artistNames = new String[artistCount];
    artistFollowers = new int[artistCount];
    artistPopularity = new byte[artistCount];
    artistGenre = new byte[artistCount];
    for (int a = 0; a < artistCount; a++) {
      artistIds[a] = a == VARIOUS_ARTISTS ? VARIOUS_ARTISTS_ID : id("artist", a);
      artistNames[a] = a == VARIOUS_ARTISTS ? "Various Artists" : Names.artist(r);
      artistFollowers[a] =
          (int) Math.min(Integer.MAX_VALUE, (long) (Math.pow(r.nextDouble(), 3) * 40_000_000));
      artistPopularity[a] = (byte) r.nextInt(101);
      artistGenre[a] = r.nextDouble() < 0.35 ? (byte) r.nextInt(Names.GENRES.length) : -1;
    }

    albumIds = new String[albumCount];
    albumNames = new String[albumCount];
    albumLabels = new String[albumCount];
    albumType = new byte[albumCount];
    albumArtist = new int[albumCount];
    albumFirstTrack = new int[albumCount + 1];
    albumReleaseEpochDay = new int[albumCount];
    albumPrecision = new byte[albumCount];
    albumPopularity = new byte[albumCount];
    albumMissingMarkets = new long[albumCount];

    int recent = Math.min(baseAlbums, Math.max(30, newReleasesPerMarket * 2));
    newReleasePool = new int[recent];
    boolean[] isRecent = new boolean[albumCount];
    for (int k = 0; k < recent; k++) {
      int album = (int) ((long) k * baseAlbums / recent);
      newReleasePool[k] = album;
      isRecent[album] = true;
    }
    boxSets = new int[BOX_SETS];
    long dayEpoch = day.toEpochDay();
    long oldest = LocalDate.of(1960, 1, 1).toEpochDay();
    int totalTracks = 0;
    int[] tracksPerAlbum = new int[albumCount];
    for (int b = 0; b < albumCount; b++) {
      albumIds[b] = id("album", b);
      if (b >= baseAlbums) {
        boxSets[b - baseAlbums] = b;
        tracksPerAlbum[b] = boxSet(boxRandom, b, dayEpoch, config);
        albumFirstTrack[b] = totalTracks;
        totalTracks += tracksPerAlbum[b];
        continue;
      }
      double p = r.nextDouble();
      albumType[b] = p < 0.60 ? TYPE_ALBUM : p < 0.92 ? TYPE_SINGLE : TYPE_COMPILATION;
      albumNames[b] = Names.title(r);
      albumLabels[b] = Names.label(r);
      // Every artist gets an album before any gets a second one, so artist contexts always
      // have tracks to play.
      albumArtist[b] =
          albumType[b] == TYPE_COMPILATION
              ? VARIOUS_ARTISTS
              : b < artistCount - 1 ? 1 + b : 1 + r.nextInt(artistCount - 1);
      tracksPerAlbum[b] =
          switch (albumType[b]) {
            case TYPE_SINGLE -> 1 + r.nextInt(3);
            case TYPE_COMPILATION -> 12 + r.nextInt(9);
            default -> 7 + r.nextInt(10);
          };
      if (isRecent[b]) {
        albumReleaseEpochDay[b] = (int) (dayEpoch - 1 - r.nextInt(21));
        albumPrecision[b] = PRECISION_DAY;
      } else {
        albumReleaseEpochDay[b] = (int) (oldest + r.nextLong(dayEpoch - 22 - oldest));
        double q = r.nextDouble();
        albumPrecision[b] = q < 0.80 ? PRECISION_DAY : q < 0.92 ? PRECISION_YEAR : PRECISION_MONTH;
      }
      albumPopularity[b] = (byte) r.nextInt(101);
      long missing = 0;
      for (int m = config.markets().size(); m < allMarkets.size(); m++) {
        if (r.nextDouble() < 0.06) {
          missing |= 1L << m;
        }
      }
      albumMissingMarkets[b] = missing;
      albumFirstTrack[b] = totalTracks;
      totalTracks += tracksPerAlbum[b];
    }
    albumFirstTrack[albumCount] = totalTracks;

    trackCount = totalTracks;
    playableTrackCount = albumFirstTrack[baseAlbums];
    trackIds = new String[trackCount];
    trackNames = new String[trackCount];
    trackAlbum = new int[trackCount];
    trackDurationMs = new int[trackCount];
    trackPopularity = new byte[trackCount];
    trackFlags = new byte[trackCount];
    trackArtistStart = new int[trackCount + 1];
    int[] artistsBuffer = new int[trackCount * 3];
    int artistRefs = 0;
    int[] perArtist = new int[artistCount];
    for (int b = 0; b < albumCount; b++) {
      // Box sets draw from their own stream: the rest of the catalog is as it was without them.
      SplittableRandom g = b < baseAlbums ? base : boxRandom;
      for (int t = albumFirstTrack[b]; t < albumFirstTrack[b + 1]; t++) {
        trackIds[t] = id("track", t);
        trackAlbum[t] = b;
        trackNames[t] =
            albumType[b] == TYPE_SINGLE && t == albumFirstTrack[b] ? albumNames[b] : Names.title(g);
        trackDurationMs[t] = 95_000 + g.nextInt(330_000);
        // Popularity falls with the index, matching how plays are drawn (see PlayGenerator).
        double rank = Math.min(1.0, (double) t / playableTrackCount);
        trackPopularity[t] =
            (byte) Math.max(0, Math.min(100, (int) (92 - 80 * Math.sqrt(rank)) + g.nextInt(9) - 4));
        int flags = 0;
        if (g.nextDouble() < 0.15) {
          flags |= FLAG_EXPLICIT;
        }
        if (g.nextDouble() < 0.08) {
          flags |= FLAG_PREVIEW;
        }
        if (g.nextDouble() < 0.015) {
          flags |= FLAG_RESTRICTED;
        }
        if (g.nextDouble() < 0.02) {
          flags |= FLAG_LINKED;
        }
        trackFlags[t] = (byte) flags;
        trackArtistStart[t] = artistRefs;
        int first =
            albumArtist[b] == VARIOUS_ARTISTS ? 1 + g.nextInt(artistCount - 1) : albumArtist[b];
        artistsBuffer[artistRefs++] = first;
        int playable = t < playableTrackCount ? 1 : 0;
        perArtist[first] += playable;
        double f = g.nextDouble();
        int featured = f < 0.08 ? 2 : f < 0.30 ? 1 : 0;
        for (int k = 0; k < featured; k++) {
          int other = 1 + g.nextInt(artistCount - 1);
          boolean dup = false;
          for (int j = trackArtistStart[t]; j < artistRefs; j++) {
            dup |= artistsBuffer[j] == other;
          }
          if (!dup) {
            artistsBuffer[artistRefs++] = other;
            perArtist[other] += playable;
          }
        }
      }
    }
    trackArtistStart[trackCount] = artistRefs;
    trackArtists = Arrays.copyOf(artistsBuffer, artistRefs);

    // An artist's tracks, for plays in an artist's context: the playable ones.
    artistTrackStart = new int[artistCount + 1];
    for (int a = 0; a < artistCount; a++) {
      artistTrackStart[a + 1] = artistTrackStart[a] + perArtist[a];
    }
    artistTracks = new int[artistTrackStart[artistCount]];
    int[] fill = Arrays.copyOf(artistTrackStart, artistCount);
    for (int t = 0; t < playableTrackCount; t++) {
      for (int j = trackArtistStart[t]; j < trackArtistStart[t + 1]; j++) {
        artistTracks[fill[trackArtists[j]]++] = t;
      }
    }

    localFiles = new LocalFile[30];
    for (int i = 0; i < localFiles.length; i++) {
      String artist = Names.artist(r);
      // Some rips have no album tag: the URI then has an empty part ("Artist::Title").
      String album = r.nextDouble() < 0.15 ? "" : Names.title(r);
      String title = Names.title(r);
      int seconds = 60 + r.nextInt(360);
      String uri =
          "spotify:local:" + enc(artist) + ":" + enc(album) + ":" + enc(title) + ":" + seconds;
      localFiles[i] = new LocalFile(artist, album, title, seconds * 1000, uri);
    }

    int editorial = 12;
    userPlaylistCount = playlistOwners.length;
    int playlistCount = userPlaylistCount + editorial;
    playlistIds = new String[playlistCount];
    playlistOwner = new int[playlistCount];
    playlistItems = new int[playlistCount][];
    playlistAddedAtMs = new long[playlistCount][];
    long dayStartMs = day.toEpochDay() * 86_400_000L;
    for (int p = 0; p < playlistCount; p++) {
      playlistIds[p] = id("playlist", p);
      boolean owned = p < userPlaylistCount;
      playlistOwner[p] = owned ? playlistOwners[p] : -1;
      // Every third user playlist is longer than 100 items, so readers must page.
      int length =
          owned ? (p % 3 == 0 ? 101 + r.nextInt(160) : 5 + r.nextInt(95)) : 40 + r.nextInt(80);
      boolean locals = owned && ownerHasLocalFiles[p];
      int[] items = new int[length];
      long[] added = new long[length];
      long at = dayStartMs - (30L + r.nextInt(870)) * 86_400_000L;
      long span = Math.max(1, (dayStartMs - 3_600_000L - at) / length);
      for (int i = 0; i < length; i++) {
        items[i] =
            locals && r.nextDouble() < 0.05 ? -1 - r.nextInt(localFiles.length) : popularTrack(r);
        at += 1_000L + r.nextLong(span);
        added[i] = at / 1000 * 1000;
      }
      playlistItems[p] = items;
      playlistAddedAtMs[p] = added;
    }

    trackIndex = index(trackIds);
    albumIndex = index(albumIds);
    artistIndex = index(artistIds);
    playlistIndex = index(playlistIds);
  }

  static Catalog generate(SimulatorConfig config, int[] playlistOwners, boolean[] ownerHasLocals) {
    return new Catalog(config, playlistOwners, ownerHasLocals);
  }

  /**
   * A box set's album fields, drawn from {@code r}: a compilation by Various Artists released in
   * the three weeks before the day; returns its number of tracks.
   */
  private int boxSet(SplittableRandom r, int b, long dayEpoch, SimulatorConfig config) {
    albumType[b] = TYPE_COMPILATION;
    albumNames[b] = Names.title(r) + " (Box Set)";
    albumLabels[b] = Names.label(r);
    albumArtist[b] = VARIOUS_ARTISTS;
    albumReleaseEpochDay[b] = (int) (dayEpoch - 1 - r.nextInt(21));
    albumPrecision[b] = PRECISION_DAY;
    albumPopularity[b] = (byte) r.nextInt(101);
    long missing = 0;
    for (int m = config.markets().size(); m < allMarkets.size(); m++) {
      if (r.nextDouble() < 0.06) {
        missing |= 1L << m;
      }
    }
    albumMissingMarkets[b] = missing;
    return BOX_SET_MIN_TRACKS + r.nextInt(BOX_SET_MAX_TRACKS - BOX_SET_MIN_TRACKS + 1);
  }

  /** Draws a playable track index skewed to the popular (low) end, like real listening. */
  int popularTrack(SplittableRandom r) {
    double u = r.nextDouble();
    return (int) (playableTrackCount * (u * u * u));
  }

  private String id(String kind, int index) {
    long k = Mix.hash(kind);
    return Mix.base62Id(Mix.hash(seed, k, index), Mix.hash(seed, k, index, 1));
  }

  private static Map<String, Integer> index(String[] ids) {
    Map<String, Integer> map = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (map.put(ids[i], i) != null) {
        // 131 bits of hash make this practically impossible; fail loudly rather than alias.
        throw new IllegalStateException("generated id collision: " + ids[i]);
      }
    }
    return map;
  }

  private static String enc(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8);
  }

  public List<String> trackIds() {
    return Collections.unmodifiableList(Arrays.asList(trackIds));
  }

  public List<String> albumIds() {
    return Collections.unmodifiableList(Arrays.asList(albumIds));
  }

  public List<String> artistIds() {
    return Collections.unmodifiableList(Arrays.asList(artistIds));
  }

  /** Ids of the playlists users own (the ones {@code /playlists/{id}/items} serves). */
  public List<String> userPlaylistIds() {
    return List.of(Arrays.copyOf(playlistIds, userPlaylistCount));
  }

  /** Track URIs of a playlist in order (local files as {@code spotify:local:...}). */
  public Optional<List<String>> playlistTrackUris(String playlistId) {
    Integer p = playlistIndex.get(playlistId);
    if (p == null) {
      return Optional.empty();
    }
    List<String> uris = new ArrayList<>(playlistItems[p].length);
    for (int item : playlistItems[p]) {
      uris.add(trackUri(item));
    }
    return Optional.of(uris);
  }

  /** Album ids served by {@code /browse/new-releases} for a market, in page order. */
  public List<String> newReleaseAlbumIds(String market) {
    int[] albums = newReleases(market);
    List<String> ids = new ArrayList<>(albums.length);
    for (int album : albums) {
      ids.add(albumIds[album]);
    }
    return ids;
  }

  /** The track ids of an album in order (the order of {@code /albums/{id}/tracks}). */
  public Optional<List<String>> albumTrackIds(String albumId) {
    int b = albumIndexOf(albumId);
    if (b < 0) {
      return Optional.empty();
    }
    return Optional.of(
        List.of(Arrays.copyOfRange(trackIds, albumFirstTrack[b], albumFirstTrack[b + 1])));
  }

  /** The albums that are box sets (longer than one page of tracks), by id. */
  public List<String> boxSetAlbumIds() {
    List<String> ids = new ArrayList<>(boxSets.length);
    for (int b : boxSets) {
      ids.add(albumIds[b]);
    }
    return ids;
  }

  public Set<String> markets() {
    return new LinkedHashSet<>(allMarkets);
  }

  /** Whether an id names a generated entity. {@code kind}: "track", "album" or "artist". */
  public boolean isKnown(String kind, String id) {
    return switch (kind) {
      case "track" -> trackIndex.containsKey(id);
      case "album" -> albumIndex.containsKey(id);
      case "artist" -> artistIndex.containsKey(id);
      case "playlist" -> playlistIndex.containsKey(id);
      default ->
          throw new IllegalArgumentException(
              "kind must be track, album, artist or playlist, not '" + kind + "'");
    };
  }

  int trackIndexOf(String id) {
    return trackIndex.getOrDefault(id, -1);
  }

  int albumIndexOf(String id) {
    return albumIndex.getOrDefault(id, -1);
  }

  int artistIndexOf(String id) {
    return artistIndex.getOrDefault(id, -1);
  }

  int playlistIndexOf(String id) {
    return playlistIndex.getOrDefault(id, -1);
  }

  /** Track item encoding shared with plays and playlists: {@code >= 0} catalog, else local. */
  String trackUri(int item) {
    return item >= 0 ? "spotify:track:" + trackIds[item] : localFiles[-1 - item].uri();
  }

  String trackIdOrNull(int item) {
    return item >= 0 ? trackIds[item] : null;
  }

  /** A played item's length: the catalog track's, or the local file's. */
  int durationMs(int item) {
    return item >= 0 ? trackDurationMs[item] : localFiles[-1 - item].durationMs();
  }

  /** A catalog track's artist ids in billing order; none for a local file. */
  List<String> artistIdsOf(int item) {
    List<String> ids = new ArrayList<>();
    if (item >= 0) {
      for (int j = trackArtistStart[item]; j < trackArtistStart[item + 1]; j++) {
        ids.add(artistIds[trackArtists[j]]);
      }
    }
    return ids;
  }

  int[] newReleases(String market) {
    return newReleasesByMarket.computeIfAbsent(market, this::pickNewReleases);
  }

  private int[] pickNewReleases(String market) {
    long salt = Mix.hash(seed, Mix.hash("new-releases"), Mix.hash(market));
    Integer[] pool = new Integer[newReleasePool.length];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = newReleasePool[i];
    }
    // A per-market hash order picks which recent albums each market features.
    Arrays.sort(pool, (x, y) -> Long.compare(Mix.hash(salt, x), Mix.hash(salt, y)));
    // The box sets are featured everywhere, the rest of the list is the market's own pick.
    int n = Math.min(newReleasesPerMarket, pool.length + boxSets.length);
    int boxes = Math.min(n, boxSets.length);
    Integer[] chosen = new Integer[n];
    for (int i = 0; i < boxes; i++) {
      chosen[i] = boxSets[i];
    }
    System.arraycopy(pool, 0, chosen, boxes, n - boxes);
    // Newest first, then by index for a stable order among same-day releases.
    Arrays.sort(
        chosen,
        (x, y) ->
            albumReleaseEpochDay[x] != albumReleaseEpochDay[y]
                ? Integer.compare(albumReleaseEpochDay[y], albumReleaseEpochDay[x])
                : Integer.compare(x, y));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = chosen[i];
    }
    return out;
  }
}
