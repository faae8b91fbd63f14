package dev.listening.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.landing.AppMode;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Landing lines with hand-written API pages inside the landing contract's envelope, with the shapes
 * that trip pipelines (see SPOTIFY_API_NOTES.md): local files, release-date precisions, null
 * contexts, empty pages, Unicode names, development-mode objects without the removed fields.
 */
public final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /**
   * A landing line written by the landing contract's {@link Envelope}, as the extractor writes it.
   *
   * @param endpoint the landing name, e.g. "recently_played"
   * @param params the request parameters as a JSON fragment, e.g. {@code "ids":"t1,t2"}
   * @param fetchedAt an ISO instant; anything else is written as given, to test its quarantine
   */
  public static String envelope(
      String endpoint,
      String params,
      String userKey,
      String fetchedAt,
      String run,
      int status,
      String response) {
    Map<String, String> requestParams;
    try {
      requestParams = JSON.readValue("{" + params + "}", new TypeReference<>() {});
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("params must be a JSON fragment: " + params, e);
    }
    Instant at;
    try {
      at = Instant.parse(fetchedAt);
    } catch (DateTimeParseException e) {
      at = null;
    }
    String line =
        new String(
                new Envelope(
                        Endpoint.fromLandingName(endpoint),
                        "/v1/x",
                        requestParams,
                        userKey,
                        at == null ? Instant.EPOCH : at,
                        run,
                        AppMode.EXTENDED.wireName(),
                        status,
                        response.getBytes(StandardCharsets.UTF_8),
                        0)
                    .toLine(),
                StandardCharsets.UTF_8)
            .strip();
    return at != null
        ? line
        : line.replace(
            "\"" + Envelope.FETCHED_AT + "\":\"" + Instant.EPOCH + "\"",
            "\"" + Envelope.FETCHED_AT + "\":" + Fixtures.q(fetchedAt));
  }

  public static String artist(String id, String name) {
    return "{\"id\":"
        + q(id)
        + ",\"name\":"
        + q(name)
        + ",\"uri\":"
        + (id == null ? "null" : q("spotify:artist:" + id))
        + ",\"href\":null,\"type\":\"artist\"}";
  }

  public static String album(
      String id, String name, String releaseDate, String precision, String... artists) {
    return "{\"id\":"
        + q(id)
        + ",\"name\":"
        + q(name)
        + ",\"album_type\":\"album\",\"release_date\":"
        + q(releaseDate)
        + ",\"release_date_precision\":"
        + q(precision)
        + ",\"total_tracks\":10,\"uri\":"
        + (id == null ? "null" : q("spotify:album:" + id))
        + ",\"artists\":["
        + String.join(",", artists)
        + "],\"available_markets\":[\"SE\",\"US\"]}";
  }

  /** A catalog track in extended mode (popularity, available_markets present). */
  public static String track(String id, String name, String album, String... artists) {
    return "{\"id\":"
        + q(id)
        + ",\"name\":"
        + q(name)
        + ",\"uri\":"
        + q("spotify:track:" + id)
        + ",\"href\":null,\"duration_ms\":201000,"
        + "\"explicit\":true,\"is_local\":false,\"popularity\":71,\"disc_number\":1,\"track_number\":3,\"preview_url\":null,"
        + "\"external_ids\":{\"isrc\":\"SE1234567890\"},\"album\":"
        + album
        + ",\"artists\":["
        + String.join(",", artists)
        + "],"
        + "\"available_markets\":[\"SE\",\"US\",\"DE\"],\"type\":\"track\"}";
  }

  /** The same track as a development-mode app sees it: no popularity, no available_markets. */
  public static String devTrack(String id, String name, String album, String... artists) {
    return "{\"id\":"
        + q(id)
        + ",\"name\":"
        + q(name)
        + ",\"uri\":"
        + q("spotify:track:" + id)
        + ",\"duration_ms\":201000,"
        + "\"explicit\":false,\"is_local\":false,\"external_ids\":{\"isrc\":\"SE1234567890\"},\"album\":"
        + album
        + ",\"artists\":["
        + String.join(",", artists)
        + "],\"type\":\"track\"}";
  }

  /** A local file: real play, no catalog ids. */
  public static String localTrack(String title) {
    return "{\"id\":null,\"name\":"
        + q(title)
        + ",\"uri\":\"spotify:local:Some+Artist:Some+Album:"
        + title.replace(' ', '+')
        + ":174\","
        + "\"href\":null,\"duration_ms\":174000,\"explicit\":false,\"is_local\":true,\"album\":{\"id\":null,\"name\":\"Some Album\","
        + "\"album_type\":\"album\",\"release_date\":null,\"release_date_precision\":null,\"uri\":null,\"artists\":[]},"
        + "\"artists\":[{\"id\":null,\"name\":\"Some Artist\",\"uri\":null,\"href\":null,\"type\":\"artist\"}],\"type\":\"track\"}";
  }

  /** A SimplifiedTrackObject as album pages list it (extended mode: with available_markets). */
  public static String simplifiedTrack(String id, String name, int durationMs, String... artists) {
    return "{\"id\":"
        + q(id)
        + ",\"name\":"
        + q(name)
        + ",\"uri\":"
        + q("spotify:track:" + id)
        + ",\"href\":null,\"duration_ms\":"
        + durationMs
        + ",\"explicit\":false,\"is_local\":false,\"disc_number\":1,\"track_number\":1,"
        + "\"artists\":["
        + String.join(",", artists)
        + "],\"available_markets\":[\"SE\"],\"preview_url\":null,\"type\":\"track\"}";
  }

  /** A paging object of an album's tracks, from {@code offset}, of {@code total} tracks. */
  public static String trackPage(int offset, int total, String... tracks) {
    return "{\"href\":\"h\",\"items\":["
        + String.join(",", tracks)
        + "],\"limit\":50,\"next\":"
        + (offset + tracks.length < total ? "\"n\"" : "null")
        + ",\"offset\":"
        + offset
        + ",\"previous\":null,\"total\":"
        + total
        + "}";
  }

  /** A landed page of {@code GET /albums/{id}/tracks}. */
  public static String albumTracks(
      String albumId, String fetchedAt, String run, int offset, int total, String... tracks) {
    return envelope(
        "album_tracks",
        "\"limit\":\"50\",\"offset\":\"" + offset + "\",\"id\":" + q(albumId),
        null,
        fetchedAt,
        run,
        200,
        trackPage(offset, total, tracks));
  }

  /** A full AlbumObject (a look-up's answer) with the first page of its tracks. */
  public static String fullAlbum(String id, String name, String tracksPage, String... artists) {
    return "{\"id\":"
        + q(id)
        + ",\"name\":"
        + q(name)
        + ",\"album_type\":\"album\",\"release_date\":\"2026-11-13\","
        + "\"release_date_precision\":\"day\",\"total_tracks\":10,\"uri\":"
        + q("spotify:album:" + id)
        + ",\"label\":\"Label\",\"popularity\":40,\"genres\":[],\"artists\":["
        + String.join(",", artists)
        + "],\"external_ids\":{\"upc\":\"1\"},\"tracks\":"
        + tracksPage
        + "}";
  }

  /** A landed page of a playlist's items (2026 shape: "item"), from {@code offset}. */
  public static String playlistItems(
      String user, String fetchedAt, String run, String playlistId, int offset, String... tracks) {
    StringBuilder items = new StringBuilder();
    for (String t : tracks) {
      if (items.length() > 0) {
        items.append(',');
      }
      items
          .append("{\"added_at\":\"2026-01-02T03:04:05Z\",\"added_by\":{\"id\":\"me\"},")
          .append("\"is_local\":")
          .append(t.contains("\"is_local\":true"))
          .append(",\"item\":")
          .append(t)
          .append('}');
    }
    return envelope(
        "playlist_items",
        "\"playlist_id\":" + q(playlistId),
        user,
        fetchedAt,
        run,
        200,
        "{\"href\":\"h\",\"items\":["
            + items
            + "],\"limit\":50,\"next\":null,\"offset\":"
            + offset
            + ",\"total\":"
            + (offset + tracks.length)
            + "}");
  }

  /** A landed page of a market's new releases (simplified albums, nested under "albums"). */
  public static String newReleases(String market, String fetchedAt, String run, String... albums) {
    return envelope(
        "new_releases",
        "\"country\":" + q(market),
        null,
        fetchedAt,
        run,
        200,
        "{\"albums\":{\"href\":\"h\",\"items\":["
            + String.join(",", albums)
            + "],\"limit\":50,\"next\":null,\"offset\":0,\"previous\":null,\"total\":"
            + albums.length
            + "}}");
  }

  /**
   * A landed single look-up ({@code GET /tracks/{id}}, /albums/..., /artists/...) that found it.
   */
  public static String lookup(
      String endpoint, String id, String fetchedAt, String run, String json) {
    return envelope(endpoint, "\"id\":" + q(id), null, fetchedAt, run, 200, json);
  }

  public static String play(String track, String playedAt, String contextUri) {
    String context =
        contextUri == null
            ? "null"
            : "{\"type\":\"playlist\",\"uri\":\"" + contextUri + "\",\"href\":null}";
    return "{\"track\":"
        + track
        + ",\"played_at\":\""
        + playedAt
        + "\",\"context\":"
        + context
        + "}";
  }

  public static String page(List<String> plays) {
    if (plays.isEmpty()) {
      return "{\"href\":\"h\",\"limit\":50,\"next\":null,\"cursors\":null,\"items\":[]}";
    }
    return "{\"href\":\"h\",\"limit\":50,\"next\":null,\"cursors\":{\"after\":\"1\",\"before\":\"0\"},\"items\":["
        + plays.stream().collect(Collectors.joining(","))
        + "]}";
  }

  public static String recentlyPlayed(String user, String fetchedAt, String run, String... plays) {
    return envelope(
        "recently_played", "\"limit\":\"50\"", user, fetchedAt, run, 200, page(List.of(plays)));
  }

  static String q(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
