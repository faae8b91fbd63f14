package dev.listening.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.listening.landing.AppMode;
import java.io.IOException;
import java.util.Map;

/**
 * The {@code /v1} endpoints. Order of checks for each request: rate limit, quota, access token,
 * injected faults, then the endpoint itself (parameters, permissions, the resource).
 */
final class ApiHandler {
  static final String INVALID_TOKEN = "Invalid access token";
  static final String EXPIRED_TOKEN = "The access token expired";
  static final String USER_TOKEN_REQUIRED = "This endpoint requires a user access token";
  static final String DEVELOPMENT_MODE_FORBIDDEN =
      "Forbidden: this endpoint is not available to apps in development mode";
  static final String NOT_FOUND = "Resource not found";
  static final String INVALID_ID = "Invalid base62 id";
  static final String TOO_MANY_IDS = "Too many ids requested";

  private final SpotifySimulator sim;
  private final Catalog catalog;
  private final GroundTruth truth;
  private final JsonRenderer renderer;
  private final boolean extended;
  private final String[] spotifyUserIds;

  ApiHandler(SpotifySimulator sim, SimWorld world, JsonRenderer renderer) {
    this.sim = sim;
    this.catalog = world.catalog;
    this.truth = world.truth;
    this.renderer = renderer;
    this.extended = world.config.profile() == AppMode.EXTENDED;
    this.spotifyUserIds = world.population.spotifyIds;
  }

  /** Endpoint names used in {@link SimStats#byEndpoint()}. */
  static String endpointName(String path) {
    String[] p = segments(path);
    if (p.length == 3
        && p[0].equals("me")
        && p[1].equals("player")
        && p[2].equals("recently-played")) {
      return "recently-played";
    }
    if (p.length == 1
        && (p[0].equals("tracks") || p[0].equals("albums") || p[0].equals("artists"))) {
      return p[0] + "-batch";
    }
    if (p.length == 1 && p[0].equals("me")) {
      return "me";
    }
    if (p.length == 2
        && (p[0].equals("tracks") || p[0].equals("albums") || p[0].equals("artists"))) {
      return p[0];
    }
    if (p.length == 2 && p[0].equals("browse") && p[1].equals("new-releases")) {
      return "new-releases";
    }
    if (p.length == 3 && p[0].equals("albums") && p[2].equals("tracks")) {
      return "album-tracks";
    }
    if (p.length == 3 && p[0].equals("playlists") && p[2].equals("items")) {
      return "playlist-items";
    }
    if (p.length == 3 && p[0].equals("playlists") && p[2].equals("tracks")) {
      return "playlist-tracks";
    }
    return "other";
  }

  /** Path below /v1 split on '/', without empty segments. */
  static String[] segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }

  /** Serves an authorised request. {@code path} is below /v1 (decoded). */
  Reply route(HttpRequest req, Tokens.Access token) {
    String[] p = segments(req.path());
    String endpoint = endpointName(req.path());
    return switch (endpoint) {
      case "recently-played" -> recentlyPlayed(req, token);
      case "me" -> me(token);
      case "tracks" -> single(req, p[1], "track");
      case "albums" -> single(req, p[1], "album");
      case "artists" -> single(req, p[1], "artist");
      case "tracks-batch" -> batch(req, "track", "tracks", 50);
      case "albums-batch" -> batch(req, "album", "albums", 20);
      case "artists-batch" -> batch(req, "artist", "artists", 50);
      case "album-tracks" -> albumTracks(req, p[1]);
      case "new-releases" -> newReleases(req);
      case "playlist-items" -> playlist(req, token, p[1], true);
      case "playlist-tracks" -> playlist(req, token, p[1], false);
      default -> Reply.apiError(404, "Service not found");
    };
  }

  /**
   * {@code GET /me}: the user's profile as a development-mode app sees it since 2026 (no country,
   * email, followers or product), with {@code account_id}, the stable key Spotify recommends for
   * linking accounts. The simulator's account_id is the user's key in its ground truth.
   */
  private Reply me(Tokens.Access token) {
    if (!token.isUser()) {
      return Reply.apiError(403, USER_TOKEN_REQUIRED);
    }
    int u = token.subject();
    String id = spotifyUserIds[u];
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeStringField("account_id", truth.userKeys[u]);
              g.writeStringField("display_name", "Listener " + truth.userKeys[u]);
              g.writeObjectFieldStart("external_urls");
              g.writeStringField("spotify", "https://open.spotify.com/user/" + id);
              g.writeEndObject();
              g.writeStringField("href", "https://api.spotify.com/v1/users/" + id);
              g.writeStringField("id", id);
              g.writeArrayFieldStart("images");
              g.writeEndArray();
              g.writeStringField("type", "user");
              g.writeStringField("uri", "spotify:user:" + id);
              g.writeEndObject();
            }));
  }

  private Reply recentlyPlayed(HttpRequest req, Tokens.Access token) {
    if (!token.isUser()) {
      return Reply.apiError(403, USER_TOKEN_REQUIRED);
    }
    Map<String, String> q = req.query();
    Integer limit = intParam(q, "limit", 20, 1, 50);
    if (limit == null) {
      return Reply.apiError(400, "Invalid limit: must be between 1 and 50");
    }
    if (q.containsKey("after") && q.containsKey("before")) {
      return Reply.apiError(400, "Only one of after or before may be given");
    }
    Long after = longParam(q, "after");
    Long before = longParam(q, "before");
    if ((q.containsKey("after") && after == null) || (q.containsKey("before") && before == null)) {
      return Reply.apiError(400, "after and before must be Unix timestamps in milliseconds");
    }
    // The page is the newest `limit` plays of the horizon within the bounds, newest first; with
    // after, too, the newest ones are kept (with limit=50 the whole horizon fits anyway).
    int[] window = new int[GroundTruth.HORIZON];
    int n = truth.horizon(token.subject(), sim.clock().nowMillis(), window);
    int[] page = new int[limit];
    int count = 0;
    for (int k = 0; k < n && count < limit; k++) {
      long playedAt = truth.playedAtMs[window[k]];
      if ((after == null || playedAt > after) && (before == null || playedAt < before)) {
        page[count++] = window[k];
      }
    }
    String base = req.apiBase() + "/me/player/recently-played";
    StringBuilder href = new StringBuilder(base).append("?limit=").append(limit);
    if (after != null) {
      href.append("&after=").append(after);
    }
    if (before != null) {
      href.append("&before=").append(before);
    }
    int size = count;
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("items");
              for (int k = 0; k < size; k++) {
                int i = page[k];
                g.writeStartObject();
                g.writeFieldName("track");
                g.writeRawValue(renderer.track(truth.item[i]));
                g.writeStringField("played_at", JsonRenderer.playedAt(truth.playedAtMs[i]));
                g.writeFieldName("context");
                renderer.writeContext(g, truth.context[i]);
                g.writeEndObject();
              }
              g.writeEndArray();
              if (size == 0) {
                g.writeNullField("next");
                g.writeNullField("cursors");
              } else {
                long newest = truth.playedAtMs[page[0]];
                long oldest = truth.playedAtMs[page[size - 1]];
                if (size == limit) {
                  g.writeStringField("next", base + "?before=" + oldest + "&limit=" + limit);
                } else {
                  g.writeNullField("next");
                }
                g.writeObjectFieldStart("cursors");
                g.writeStringField("after", Long.toString(newest));
                g.writeStringField("before", Long.toString(oldest));
                g.writeEndObject();
              }
              g.writeNumberField("limit", limit);
              g.writeStringField("href", href.toString());
              g.writeEndObject();
            }));
  }

  private Reply single(HttpRequest req, String id, String kind) {
    if (!Mix.isBase62Id(id)) {
      return Reply.apiError(400, INVALID_ID);
    }
    int index = indexOf(kind, id);
    if (index < 0) {
      return Reply.apiError(404, NOT_FOUND);
    }
    return switch (kind) {
      case "track" -> Reply.json(200, renderer.track(index).bytes());
      case "artist" -> Reply.json(200, renderer.artist(index).bytes());
      default ->
          Reply.json(200, JsonRenderer.render(g -> renderer.writeAlbum(g, index, req.apiBase())));
    };
  }

  private Reply batch(HttpRequest req, String kind, String field, int max) {
    if (!extended) {
      return Reply.apiError(403, DEVELOPMENT_MODE_FORBIDDEN);
    }
    String raw = req.query().get("ids");
    if (raw == null || raw.isBlank()) {
      return Reply.apiError(400, "Missing required parameter: ids");
    }
    String[] ids = raw.split(",", -1);
    if (ids.length > max) {
      return Reply.apiError(400, TOO_MANY_IDS);
    }
    int[] indices = new int[ids.length];
    for (int k = 0; k < ids.length; k++) {
      if (!Mix.isBase62Id(ids[k])) {
        return Reply.apiError(400, INVALID_ID);
      }
      indices[k] = indexOf(kind, ids[k]);
    }
    String base = req.apiBase();
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart(field);
              for (int index : indices) {
                if (index < 0) {
                  g.writeNull();
                } else if (kind.equals("track")) {
                  g.writeRawValue(renderer.track(index));
                } else if (kind.equals("artist")) {
                  g.writeRawValue(renderer.artist(index));
                } else {
                  renderer.writeAlbum(g, index, base);
                }
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  private Reply newReleases(HttpRequest req) {
    if (!extended) {
      return Reply.apiError(403, DEVELOPMENT_MODE_FORBIDDEN);
    }
    Map<String, String> q = req.query();
    String country = q.get("country");
    if (country != null && !country.matches("[A-Za-z]{2}")) {
      return Reply.apiError(400, "Invalid country code");
    }
    Integer limit = intParam(q, "limit", 20, 1, 50);
    Integer offset = intParam(q, "offset", 0, 0, 100_000);
    if (limit == null || offset == null) {
      return Reply.apiError(400, "Invalid limit or offset");
    }
    String market = country == null ? "" : country.toUpperCase(java.util.Locale.ROOT);
    int[] albums = catalog.newReleases(market);
    String base =
        req.apiBase()
            + "/browse/new-releases?"
            + (country == null ? "" : "country=" + market + "&");
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeFieldName("albums");
              writePage(
                  g,
                  base,
                  offset,
                  limit,
                  albums.length,
                  i -> g.writeRawValue(renderer.simplifiedAlbum(albums[i])));
              g.writeEndObject();
            }));
  }

  /**
   * {@code GET /albums/{id}/tracks}: a page of the album's simplified tracks, in album order. Kept
   * for development-mode apps in 2026 (only the batch {@code /albums?ids=} went), so served in both
   * profiles; development mode leaves out available_markets, as everywhere.
   */
  private Reply albumTracks(HttpRequest req, String id) {
    if (!Mix.isBase62Id(id)) {
      return Reply.apiError(400, INVALID_ID);
    }
    Map<String, String> q = req.query();
    String market = q.get("market");
    if (market != null && !market.matches("[A-Za-z]{2}")) {
      return Reply.apiError(400, "Invalid market code");
    }
    Integer limit = intParam(q, "limit", 20, 1, 50);
    Integer offset = intParam(q, "offset", 0, 0, 100_000);
    if (limit == null || offset == null) {
      return Reply.apiError(400, "Invalid limit or offset");
    }
    int album = catalog.albumIndexOf(id);
    if (album < 0) {
      return Reply.apiError(404, NOT_FOUND);
    }
    int first = catalog.albumFirstTrack[album];
    int total = catalog.albumFirstTrack[album + 1] - first;
    String base = req.apiBase() + "/albums/" + id + "/tracks?";
    return Reply.json(
        200,
        JsonRenderer.render(
            g ->
                writePage(
                    g,
                    base,
                    offset,
                    limit,
                    total,
                    i -> renderer.writeSimplifiedTrack(g, first + i))));
  }

  private Reply playlist(HttpRequest req, Tokens.Access token, String id, boolean items) {
    if (!items && !extended) {
      return Reply.apiError(403, DEVELOPMENT_MODE_FORBIDDEN);
    }
    if (!token.isUser()) {
      return Reply.apiError(403, USER_TOKEN_REQUIRED);
    }
    if (!Mix.isBase62Id(id)) {
      return Reply.apiError(400, INVALID_ID);
    }
    int p = catalog.playlistIndexOf(id);
    if (p < 0) {
      return Reply.apiError(404, NOT_FOUND);
    }
    if (catalog.playlistOwner[p] != token.subject()) {
      // Since 2026 only the owner or a collaborator may read a playlist's contents.
      return Reply.apiError(
          403, "Forbidden: you are not the owner or a collaborator of this playlist");
    }
    int maxLimit = items ? 50 : 100;
    Map<String, String> q = req.query();
    Integer limit = intParam(q, "limit", 20, 1, maxLimit);
    Integer offset = intParam(q, "offset", 0, 0, 100_000);
    if (limit == null || offset == null) {
      return Reply.apiError(400, "Invalid limit or offset");
    }
    int[] playlistItems = catalog.playlistItems[p];
    long[] addedAt = catalog.playlistAddedAtMs[p];
    String owner = spotifyUserIds[catalog.playlistOwner[p]];
    String base = req.apiBase() + "/playlists/" + id + (items ? "/items?" : "/tracks?");
    String itemField = items ? "item" : "track";
    return Reply.json(
        200,
        JsonRenderer.render(
            g ->
                writePage(
                    g,
                    base,
                    offset,
                    limit,
                    playlistItems.length,
                    i -> {
                      g.writeStartObject();
                      g.writeStringField(
                          "added_at",
                          JsonRenderer.ADDED_AT.format(java.time.Instant.ofEpochMilli(addedAt[i])));
                      g.writeFieldName("added_by");
                      renderer.writeUser(g, owner);
                      g.writeBooleanField("is_local", playlistItems[i] < 0);
                      g.writeFieldName(itemField);
                      g.writeRawValue(renderer.track(playlistItems[i]));
                      g.writeEndObject();
                    })));
  }

  /** Writes an item at a position of a page. */
  private interface ItemWriter {
    void write(int index) throws IOException;
  }

  /** A PagingObject: {href, items, limit, next, offset, previous, total}. */
  private static void writePage(
      JsonGenerator g, String base, int offset, int limit, int total, ItemWriter items)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("href", base + "offset=" + offset + "&limit=" + limit);
    g.writeArrayFieldStart("items");
    for (int i = offset; i < Math.min(total, offset + limit); i++) {
      items.write(i);
    }
    g.writeEndArray();
    g.writeNumberField("limit", limit);
    if (offset + limit < total) {
      g.writeStringField("next", base + "offset=" + (offset + limit) + "&limit=" + limit);
    } else {
      g.writeNullField("next");
    }
    g.writeNumberField("offset", offset);
    if (offset > 0) {
      g.writeStringField(
          "previous", base + "offset=" + Math.max(0, offset - limit) + "&limit=" + limit);
    } else {
      g.writeNullField("previous");
    }
    g.writeNumberField("total", total);
    g.writeEndObject();
  }

  private int indexOf(String kind, String id) {
    return switch (kind) {
      case "track" -> catalog.trackIndexOf(id);
      case "album" -> catalog.albumIndexOf(id);
      default -> catalog.artistIndexOf(id);
    };
  }

  /** The parameter as an int in [min, max], its default when absent, null when invalid. */
  static Integer intParam(Map<String, String> q, String name, int dflt, int min, int max) {
    String raw = q.get(name);
    if (raw == null) {
      return dflt;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      return value < min || value > max ? null : value;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Long longParam(Map<String, String> q, String name) {
    String raw = q.get(name);
    if (raw == null) {
      return null;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
