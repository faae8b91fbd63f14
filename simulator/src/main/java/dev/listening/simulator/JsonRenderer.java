package dev.listening.simulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Renders catalog objects in the shapes of the Spotify Web API, for one profile: development mode
 * leaves out the fields Spotify removed for it (track popularity, available_markets, linked_from;
 * album label, popularity; artist followers, popularity).
 *
 * <p>Tracks and artists are rendered once and cached as UTF-8 bytes; pages embed them with {@code
 * writeRawValue}. Object hrefs point at the simulator's own base URL so they can be followed; page
 * hrefs are built per request from the base the client used.
 */
final class JsonRenderer {
  /** Emoji go out as raw UTF-8 (as Spotify sends them), not as escaped surrogate pairs. */
  static final JsonFactory FACTORY =
      JsonFactory.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  static final DateTimeFormatter PLAYED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  static final DateTimeFormatter ADDED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final String OPEN = "https://open.spotify.com/";
  private static final long ISRC_KIND = Mix.hash("isrc");
  private static final long IMAGE_KIND = Mix.hash("image");
  private static final long UPC_KIND = Mix.hash("upc");
  private static final long LINKED_KIND = Mix.hash("linked-from");
  private static final long PREVIEW_KIND = Mix.hash("preview");

  private final Catalog c;
  private final boolean extended;
  private final String api;
  private final AtomicReferenceArray<RawJson> tracks;
  private final AtomicReferenceArray<RawJson> localTracks;
  private final AtomicReferenceArray<RawJson> artists;
  private final AtomicReferenceArray<RawJson> simplifiedAlbums;

  /** Writes JSON to a generator; the IOException is the generator's, never real I/O here. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  JsonRenderer(Catalog catalog, boolean extended, String apiBaseUrl) {
    this.c = catalog;
    this.extended = extended;
    this.api = apiBaseUrl;
    this.tracks = new AtomicReferenceArray<>(catalog.trackCount);
    this.localTracks = new AtomicReferenceArray<>(catalog.localFiles.length);
    this.artists = new AtomicReferenceArray<>(catalog.artistCount);
    this.simplifiedAlbums = new AtomicReferenceArray<>(catalog.albumCount);
  }

  static byte[] render(Body body) {
    ByteArrayBuilder out = new ByteArrayBuilder(2_048);
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("rendering JSON to memory failed", e);
    }
    return out.toByteArray();
  }

  static String playedAt(long epochMs) {
    return PLAYED_AT.format(Instant.ofEpochMilli(epochMs));
  }

  /** A TrackObject for a play or playlist item ({@code >= 0} catalog track, else local file). */
  RawJson track(int item) {
    if (item < 0) {
      int local = -1 - item;
      RawJson cached = localTracks.get(local);
      if (cached == null) {
        cached = new RawJson(render(g -> writeLocalTrack(g, c.localFiles[local])));
        localTracks.set(local, cached);
      }
      return cached;
    }
    RawJson cached = tracks.get(item);
    if (cached == null) {
      cached = new RawJson(render(g -> writeTrack(g, item)));
      tracks.set(item, cached);
    }
    return cached;
  }

  RawJson artist(int artist) {
    RawJson cached = artists.get(artist);
    if (cached == null) {
      cached = new RawJson(render(g -> writeArtist(g, artist)));
      artists.set(artist, cached);
    }
    return cached;
  }

  RawJson simplifiedAlbum(int album) {
    RawJson cached = simplifiedAlbums.get(album);
    if (cached == null) {
      cached = new RawJson(render(g -> writeSimplifiedAlbum(g, album)));
      simplifiedAlbums.set(album, cached);
    }
    return cached;
  }

  /** A full AlbumObject; its {@code tracks} page uses {@code requestBase} for its links. */
  void writeAlbum(JsonGenerator g, int album, String requestBase) throws IOException {
    g.writeStartObject();
    writeAlbumBase(g, album);
    g.writeFieldName("tracks");
    int first = c.albumFirstTrack[album];
    int total = c.albumFirstTrack[album + 1] - first;
    int limit = 50;
    g.writeStartObject();
    g.writeStringField(
        "href", requestBase + "/albums/" + c.albumIds[album] + "/tracks?offset=0&limit=" + limit);
    g.writeArrayFieldStart("items");
    for (int t = first; t < first + Math.min(total, limit); t++) {
      writeSimplifiedTrack(g, t);
    }
    g.writeEndArray();
    g.writeNumberField("limit", limit);
    if (total > limit) {
      g.writeStringField(
          "next",
          requestBase
              + "/albums/"
              + c.albumIds[album]
              + "/tracks?offset="
              + limit
              + "&limit="
              + limit);
    } else {
      g.writeNullField("next");
    }
    g.writeNumberField("offset", 0);
    g.writeNullField("previous");
    g.writeNumberField("total", total);
    g.writeEndObject();
    int year = LocalDate.ofEpochDay(c.albumReleaseEpochDay[album]).getYear();
    String label = c.albumLabels[album];
    g.writeArrayFieldStart("copyrights");
    g.writeStartObject();
    g.writeStringField("text", "© " + year + " " + label);
    g.writeStringField("type", "C");
    g.writeEndObject();
    g.writeStartObject();
    g.writeStringField("text", "℗ " + year + " " + label);
    g.writeStringField("type", "P");
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("external_ids");
    g.writeStringField("upc", digits(Mix.hash(c.seed, UPC_KIND, album), 12));
    g.writeEndObject();
    g.writeArrayFieldStart("genres");
    g.writeEndArray();
    if (extended) {
      g.writeStringField("label", label);
      g.writeNumberField("popularity", c.albumPopularity[album]);
    }
    g.writeEndObject();
  }

  private void writeSimplifiedAlbum(JsonGenerator g, int album) throws IOException {
    g.writeStartObject();
    writeAlbumBase(g, album);
    g.writeEndObject();
  }

  private void writeAlbumBase(JsonGenerator g, int album) throws IOException {
    String id = c.albumIds[album];
    g.writeStringField("album_type", albumType(c.albumType[album]));
    g.writeNumberField("total_tracks", c.albumFirstTrack[album + 1] - c.albumFirstTrack[album]);
    writeMarkets(g, album);
    writeExternalUrls(g, "album", id);
    g.writeStringField("href", api + "/albums/" + id);
    g.writeStringField("id", id);
    writeImages(g, album, "ab67616d0000b273", "ab67616d00001e02", "ab67616d00004851", 640, 300, 64);
    g.writeStringField("name", c.albumNames[album]);
    g.writeStringField("release_date", releaseDate(album));
    g.writeStringField("release_date_precision", precision(c.albumPrecision[album]));
    g.writeStringField("type", "album");
    g.writeStringField("uri", "spotify:album:" + id);
    g.writeArrayFieldStart("artists");
    writeSimplifiedArtist(g, c.albumArtist[album]);
    g.writeEndArray();
  }

  private void writeTrack(JsonGenerator g, int t) throws IOException {
    int album = c.trackAlbum[t];
    String id = c.trackIds[t];
    int flags = c.trackFlags[t];
    g.writeStartObject();
    g.writeFieldName("album");
    g.writeRawValue(simplifiedAlbum(album));
    g.writeArrayFieldStart("artists");
    for (int j = c.trackArtistStart[t]; j < c.trackArtistStart[t + 1]; j++) {
      writeSimplifiedArtist(g, c.trackArtists[j]);
    }
    g.writeEndArray();
    if (extended) {
      writeMarkets(g, album);
    }
    g.writeNumberField("disc_number", discNumber(t));
    g.writeNumberField("duration_ms", c.trackDurationMs[t]);
    g.writeBooleanField("explicit", (flags & Catalog.FLAG_EXPLICIT) != 0);
    g.writeObjectFieldStart("external_ids");
    g.writeStringField("isrc", isrc(t));
    g.writeEndObject();
    writeExternalUrls(g, "track", id);
    g.writeStringField("href", api + "/tracks/" + id);
    g.writeStringField("id", id);
    g.writeBooleanField("is_local", false);
    if (extended && (flags & Catalog.FLAG_LINKED) != 0) {
      // Track relinking: the requested track was replaced by this one in the user's market.
      long h = Mix.hash(c.seed, LINKED_KIND, t);
      String linked = Mix.base62Id(h, Mix.mix(h));
      g.writeObjectFieldStart("linked_from");
      writeExternalUrls(g, "track", linked);
      g.writeStringField("href", api + "/tracks/" + linked);
      g.writeStringField("id", linked);
      g.writeStringField("type", "track");
      g.writeStringField("uri", "spotify:track:" + linked);
      g.writeEndObject();
    }
    g.writeStringField("name", c.trackNames[t]);
    if (extended) {
      g.writeNumberField("popularity", c.trackPopularity[t]);
    }
    if ((flags & Catalog.FLAG_PREVIEW) != 0) {
      g.writeStringField(
          "preview_url",
          "https://p.scdn.co/mp3-preview/" + Mix.hex(Mix.hash(c.seed, PREVIEW_KIND, t), 40));
    } else {
      g.writeNullField("preview_url");
    }
    if ((flags & Catalog.FLAG_RESTRICTED) != 0) {
      g.writeObjectFieldStart("restrictions");
      g.writeStringField("reason", "market");
      g.writeEndObject();
    }
    g.writeNumberField("track_number", trackNumber(t));
    g.writeStringField("type", "track");
    g.writeStringField("uri", "spotify:track:" + id);
    g.writeEndObject();
  }

  /** A SimplifiedTrackObject, as album pages list them (no album, popularity or ids). */
  void writeSimplifiedTrack(JsonGenerator g, int t) throws IOException {
    String id = c.trackIds[t];
    int flags = c.trackFlags[t];
    g.writeStartObject();
    g.writeArrayFieldStart("artists");
    for (int j = c.trackArtistStart[t]; j < c.trackArtistStart[t + 1]; j++) {
      writeSimplifiedArtist(g, c.trackArtists[j]);
    }
    g.writeEndArray();
    if (extended) {
      writeMarkets(g, c.trackAlbum[t]);
    }
    g.writeNumberField("disc_number", discNumber(t));
    g.writeNumberField("duration_ms", c.trackDurationMs[t]);
    g.writeBooleanField("explicit", (flags & Catalog.FLAG_EXPLICIT) != 0);
    writeExternalUrls(g, "track", id);
    g.writeStringField("href", api + "/tracks/" + id);
    g.writeStringField("id", id);
    g.writeBooleanField("is_local", false);
    g.writeStringField("name", c.trackNames[t]);
    g.writeNullField("preview_url");
    if ((flags & Catalog.FLAG_RESTRICTED) != 0) {
      g.writeObjectFieldStart("restrictions");
      g.writeStringField("reason", "market");
      g.writeEndObject();
    }
    g.writeNumberField("track_number", trackNumber(t));
    g.writeStringField("type", "track");
    g.writeStringField("uri", "spotify:track:" + id);
    g.writeEndObject();
  }

  /**
   * A local file as Spotify shows it: no ids, hrefs or URIs for the track's album and artists, a
   * {@code spotify:local:} URI, zeros for numbers it cannot know.
   */
  private void writeLocalTrack(JsonGenerator g, Catalog.LocalFile f) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("album");
    g.writeStringField("album_type", "album");
    g.writeNumberField("total_tracks", 0);
    g.writeArrayFieldStart("available_markets");
    g.writeEndArray();
    g.writeObjectFieldStart("external_urls");
    g.writeEndObject();
    g.writeNullField("href");
    g.writeNullField("id");
    g.writeArrayFieldStart("images");
    g.writeEndArray();
    g.writeStringField("name", f.album());
    g.writeNullField("release_date");
    g.writeNullField("release_date_precision");
    g.writeStringField("type", "album");
    g.writeNullField("uri");
    g.writeArrayFieldStart("artists");
    g.writeEndArray();
    g.writeEndObject();
    g.writeArrayFieldStart("artists");
    g.writeStartObject();
    g.writeObjectFieldStart("external_urls");
    g.writeEndObject();
    g.writeNullField("href");
    g.writeNullField("id");
    g.writeStringField("name", f.artist());
    g.writeStringField("type", "artist");
    g.writeNullField("uri");
    g.writeEndObject();
    g.writeEndArray();
    if (extended) {
      g.writeArrayFieldStart("available_markets");
      g.writeEndArray();
    }
    g.writeNumberField("disc_number", 0);
    g.writeNumberField("duration_ms", f.durationMs());
    g.writeBooleanField("explicit", false);
    g.writeObjectFieldStart("external_ids");
    g.writeEndObject();
    g.writeObjectFieldStart("external_urls");
    g.writeEndObject();
    g.writeNullField("href");
    g.writeNullField("id");
    g.writeBooleanField("is_local", true);
    g.writeStringField("name", f.title());
    if (extended) {
      g.writeNumberField("popularity", 0);
    }
    g.writeNullField("preview_url");
    g.writeNumberField("track_number", 0);
    g.writeStringField("type", "track");
    g.writeStringField("uri", f.uri());
    g.writeEndObject();
  }

  private void writeArtist(JsonGenerator g, int a) throws IOException {
    String id = c.artistIds[a];
    g.writeStartObject();
    writeExternalUrls(g, "artist", id);
    if (extended) {
      g.writeObjectFieldStart("followers");
      g.writeNullField("href");
      g.writeNumberField("total", c.artistFollowers[a]);
      g.writeEndObject();
    }
    g.writeArrayFieldStart("genres");
    if (c.artistGenre[a] >= 0) {
      g.writeString(Names.GENRES[c.artistGenre[a]]);
    }
    g.writeEndArray();
    g.writeStringField("href", api + "/artists/" + id);
    g.writeStringField("id", id);
    // About one artist in ten has no picture: images is then an empty array.
    if (Mix.unit(Mix.hash(c.seed, IMAGE_KIND, a)) < 0.1) {
      g.writeArrayFieldStart("images");
      g.writeEndArray();
    } else {
      writeImages(
          g, -1 - a, "ab6761610000e5eb", "ab67616100005174", "ab6761610000f178", 640, 320, 160);
    }
    g.writeStringField("name", c.artistNames[a]);
    if (extended) {
      g.writeNumberField("popularity", c.artistPopularity[a]);
    }
    g.writeStringField("type", "artist");
    g.writeStringField("uri", "spotify:artist:" + id);
    g.writeEndObject();
  }

  private void writeSimplifiedArtist(JsonGenerator g, int a) throws IOException {
    String id = c.artistIds[a];
    g.writeStartObject();
    writeExternalUrls(g, "artist", id);
    g.writeStringField("href", api + "/artists/" + id);
    g.writeStringField("id", id);
    g.writeStringField("name", c.artistNames[a]);
    g.writeStringField("type", "artist");
    g.writeStringField("uri", "spotify:artist:" + id);
    g.writeEndObject();
  }

  /** A ContextObject for a play, or null. */
  void writeContext(JsonGenerator g, int code) throws IOException {
    int kind = GroundTruth.contextKind(code);
    if (kind == GroundTruth.CONTEXT_NONE) {
      g.writeNull();
      return;
    }
    int index = GroundTruth.contextIndex(code);
    String type;
    String id;
    String path;
    switch (kind) {
      case GroundTruth.CONTEXT_ALBUM -> {
        type = "album";
        id = c.albumIds[index];
        path = "/albums/";
      }
      case GroundTruth.CONTEXT_ARTIST -> {
        type = "artist";
        id = c.artistIds[index];
        path = "/artists/";
      }
      default -> {
        type = "playlist";
        id = c.playlistIds[index];
        path = "/playlists/";
      }
    }
    g.writeStartObject();
    g.writeStringField("type", type);
    g.writeStringField("href", api + path + id);
    writeExternalUrls(g, type, id);
    g.writeStringField("uri", "spotify:" + type + ":" + id);
    g.writeEndObject();
  }

  /** A PlaylistUserObject (added_by). */
  void writeUser(JsonGenerator g, String spotifyUserId) throws IOException {
    g.writeStartObject();
    writeExternalUrls(g, "user", spotifyUserId);
    g.writeStringField("href", api + "/users/" + spotifyUserId);
    g.writeStringField("id", spotifyUserId);
    g.writeStringField("type", "user");
    g.writeStringField("uri", "spotify:user:" + spotifyUserId);
    g.writeEndObject();
  }

  private void writeMarkets(JsonGenerator g, int album) throws IOException {
    long missing = c.albumMissingMarkets[album];
    g.writeArrayFieldStart("available_markets");
    for (int m = 0; m < c.allMarkets.size(); m++) {
      if ((missing & (1L << m)) == 0) {
        g.writeString(c.allMarkets.get(m));
      }
    }
    g.writeEndArray();
  }

  private static void writeExternalUrls(JsonGenerator g, String type, String id)
      throws IOException {
    g.writeObjectFieldStart("external_urls");
    g.writeStringField("spotify", OPEN + type + "/" + id);
    g.writeEndObject();
  }

  private void writeImages(
      JsonGenerator g,
      int key,
      String large,
      String medium,
      String small,
      int largeSize,
      int mediumSize,
      int smallSize)
      throws IOException {
    String hash = Mix.hex(Mix.hash(c.seed, IMAGE_KIND, key, 1), 24);
    g.writeArrayFieldStart("images");
    writeImage(g, large + hash, largeSize);
    writeImage(g, medium + hash, mediumSize);
    writeImage(g, small + hash, smallSize);
    g.writeEndArray();
  }

  private static void writeImage(JsonGenerator g, String file, int size) throws IOException {
    g.writeStartObject();
    g.writeStringField("url", "https://i.scdn.co/image/" + file);
    g.writeNumberField("height", size);
    g.writeNumberField("width", size);
    g.writeEndObject();
  }

  private String releaseDate(int album) {
    LocalDate date = LocalDate.ofEpochDay(c.albumReleaseEpochDay[album]);
    return switch (c.albumPrecision[album]) {
      case Catalog.PRECISION_YEAR -> String.format(Locale.ROOT, "%04d", date.getYear());
      case Catalog.PRECISION_MONTH ->
          String.format(Locale.ROOT, "%04d-%02d", date.getYear(), date.getMonthValue());
      default -> date.toString();
    };
  }

  private static String precision(byte p) {
    return switch (p) {
      case Catalog.PRECISION_YEAR -> "year";
      case Catalog.PRECISION_MONTH -> "month";
      default -> "day";
    };
  }

  private static String albumType(byte type) {
    return switch (type) {
      case Catalog.TYPE_SINGLE -> "single";
      case Catalog.TYPE_COMPILATION -> "compilation";
      default -> "album";
    };
  }

  /** Long albums come on two discs; numbering restarts on the second. */
  private int discNumber(int t) {
    int album = c.trackAlbum[t];
    int position = t - c.albumFirstTrack[album];
    int total = c.albumFirstTrack[album + 1] - c.albumFirstTrack[album];
    return total > 14 && position >= (total + 1) / 2 ? 2 : 1;
  }

  private int trackNumber(int t) {
    int album = c.trackAlbum[t];
    int position = t - c.albumFirstTrack[album];
    int total = c.albumFirstTrack[album + 1] - c.albumFirstTrack[album];
    return discNumber(t) == 2 ? position - (total + 1) / 2 + 1 : position + 1;
  }

  /** CC-XXX-YY-NNNNN without dashes: country, registrant, year, designation. */
  private String isrc(int t) {
    long h = Mix.hash(c.seed, ISRC_KIND, t);
    String country =
        c.allMarkets.get((int) Long.remainderUnsigned(h, Math.min(6, c.allMarkets.size())));
    StringBuilder sb = new StringBuilder(12).append(country);
    long x = Mix.mix(h);
    for (int i = 0; i < 3; i++) {
      sb.append((char) ('A' + Long.remainderUnsigned(x >>> (i * 8), 26)));
    }
    int year = LocalDate.ofEpochDay(c.albumReleaseEpochDay[c.trackAlbum[t]]).getYear() % 100;
    sb.append(
        String.format(Locale.ROOT, "%02d%05d", year, Long.remainderUnsigned(x >>> 24, 100_000)));
    return sb.toString();
  }

  private static String digits(long h, int n) {
    StringBuilder sb = new StringBuilder(n);
    long x = h;
    for (int i = 0; i < n; i++) {
      if (i % 18 == 0) {
        x = Mix.mix(x + i);
      }
      sb.append((char) ('0' + Long.remainderUnsigned(x, 10)));
      x = Long.divideUnsigned(x, 10);
    }
    return sb.toString();
  }
}
