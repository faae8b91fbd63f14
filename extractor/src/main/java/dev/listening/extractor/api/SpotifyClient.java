package dev.listening.extractor.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.landing.CatalogKind;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * The handful of Web API endpoints the pipeline reads, on one retrying transport. Catalog calls use
 * the app's client-credentials token; user calls take that user's token source.
 */
public final class SpotifyClient {
  /** Always ask for the most Spotify returns: only about the last 50 plays exist at all. */
  public static final int RECENTLY_PLAYED_LIMIT = 50;

  public static final int NEW_RELEASES_LIMIT = 50;

  /** The query parameter of new releases naming the market. */
  public static final String MARKET_PARAM = "country";

  public static final int PLAYLIST_ITEMS_LIMIT = 50;

  public static final int ALBUM_TRACKS_LIMIT = 50;

  private final SpotifyHttp http;
  private final HttpUrl apiBase;
  private final AccessTokenSource appTokens;

  public SpotifyClient(SpotifyHttp http, HttpUrl apiBase, AccessTokenSource appTokens) {
    this.http = http;
    this.apiBase = apiBase;
    this.appTokens = appTokens;
  }

  public ClientStats stats() {
    return http.stats();
  }

  /** {@code after} is an exclusive Unix-millisecond bound, or null for the newest 50 plays. */
  public ApiResponse recentlyPlayed(AccessTokenSource user, Long afterMs) {
    HttpUrl.Builder url =
        apiBase
            .newBuilder()
            .addPathSegments("me/player/recently-played")
            .addQueryParameter("limit", Integer.toString(RECENTLY_PLAYED_LIMIT));
    if (afterMs != null) {
      url.addQueryParameter("after", Long.toString(afterMs));
    }
    HttpUrl built = url.build();
    return http.get(Endpoint.RECENTLY_PLAYED, built, queryParams(built), user);
  }

  /** {@code GET /me}: the user's profile, with the stable {@code account_id}. Not landed. */
  public ApiResponse me(AccessTokenSource user) {
    HttpUrl url = apiBase.newBuilder().addPathSegment("me").build();
    return http.get(null, url, Map.of(), user);
  }

  /** {@code GET /tracks/{id}}, {@code /albums/{id}} or {@code /artists/{id}}. */
  public ApiResponse lookup(CatalogKind kind, String id) {
    requireBatchable(kind);
    HttpUrl url =
        apiBase
            .newBuilder()
            .addPathSegment(kind.endpoint().landingName())
            .addPathSegment(id)
            .build();
    return http.get(kind.endpoint(), url, Map.of(Envelope.PARAM_ID, id), appTokens);
  }

  /** One batch call; {@code ids} must not exceed {@link CatalogKind#maxBatch()}. */
  public ApiResponse lookupBatch(CatalogKind kind, List<String> ids) {
    requireBatchable(kind);
    if (ids.isEmpty() || ids.size() > kind.maxBatch()) {
      throw new IllegalArgumentException(
          "a "
              + kind.wireName()
              + " batch takes 1 to "
              + kind.maxBatch()
              + " ids, got "
              + ids.size());
    }
    HttpUrl url =
        apiBase
            .newBuilder()
            .addPathSegment(kind.endpoint().landingName())
            .addQueryParameter(Envelope.PARAM_IDS, String.join(",", ids))
            .build();
    return http.get(kind.endpoint(), url, queryParams(url), appTokens);
  }

  /**
   * {@code GET /albums/{id}/tracks}, 50 tracks from {@code offset} (the rest by {@link #next}); the
   * album's id is recorded as {@link Envelope#PARAM_ID}, since only the path carries it.
   */
  public ApiResponse albumTracks(String albumId, int offset) {
    HttpUrl url =
        apiBase
            .newBuilder()
            .addPathSegment("albums")
            .addPathSegment(albumId)
            .addPathSegment("tracks")
            .addQueryParameter("limit", Integer.toString(ALBUM_TRACKS_LIMIT))
            .addQueryParameter("offset", Integer.toString(offset))
            .build();
    Map<String, String> params = queryParams(url);
    params.put(Envelope.PARAM_ID, albumId);
    return http.get(Endpoint.ALBUM_TRACKS, url, params, appTokens);
  }

  private static void requireBatchable(CatalogKind kind) {
    if (!kind.hasBatchForm()) {
      throw new IllegalArgumentException(
          kind.wireName() + " is not an object look-up: use albumTracks(albumId, offset)");
    }
  }

  public ApiResponse newReleases(String market) {
    HttpUrl url =
        apiBase
            .newBuilder()
            .addPathSegments("browse/new-releases")
            .addQueryParameter(MARKET_PARAM, market)
            .addQueryParameter("limit", Integer.toString(NEW_RELEASES_LIMIT))
            .addQueryParameter("offset", "0")
            .build();
    return http.get(Endpoint.NEW_RELEASES, url, queryParams(url), appTokens);
  }

  public ApiResponse playlistItems(AccessTokenSource user, String playlistId) {
    HttpUrl url =
        apiBase
            .newBuilder()
            .addPathSegment("playlists")
            .addPathSegment(playlistId)
            .addPathSegment("items")
            .addQueryParameter("limit", Integer.toString(PLAYLIST_ITEMS_LIMIT))
            .addQueryParameter("offset", "0")
            .build();
    Map<String, String> params = queryParams(url);
    params.put(Envelope.PARAM_PLAYLIST_ID, playlistId);
    return http.get(Endpoint.PLAYLIST_ITEMS, url, params, user);
  }

  /**
   * The page after {@code previous}, following its {@code next} link, or null on the last page.
   * {@code pagingField} names the paging object inside the body ("albums" for new releases), or is
   * null when the body is the paging object. A link that leaves the API's base URL is refused, so a
   * token never travels to another host.
   */
  public ApiResponse next(ApiResponse previous, String pagingField, AccessTokenSource tokens) {
    JsonNode paging = pagingField == null ? previous.body() : previous.body().path(pagingField);
    JsonNode next = paging == null ? null : paging.get("next");
    if (next == null || next.isNull() || next.asText().isBlank()) {
      return null;
    }
    return continueAt(previous.endpoint(), next.asText(), previous.params(), tokens);
  }

  /**
   * The page a {@code next} link names, such as one an earlier, interrupted attempt landed last:
   * {@code params} are the first page's (a playlist's id) that the link does not carry.
   */
  public ApiResponse continueAt(
      Endpoint endpoint, String nextLink, Map<String, String> params, AccessTokenSource tokens) {
    HttpUrl url = HttpUrl.parse(nextLink);
    if (url == null
        || !url.scheme().equals(apiBase.scheme())
        || !url.host().equals(apiBase.host())
        || url.port() != apiBase.port()
        || !url.encodedPath().startsWith(apiBase.encodedPath())) {
      throw new ApiException(
          "refusing to follow a 'next' link outside the API base URL " + apiBase + ": " + nextLink,
          0);
    }
    Map<String, String> query = queryParams(url);
    params.forEach(query::putIfAbsent);
    return http.get(endpoint, url, query, tokens == null ? appTokens : tokens);
  }

  private static Map<String, String> queryParams(HttpUrl url) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : url.queryParameterNames()) {
      params.put(name, url.queryParameter(name));
    }
    return params;
  }
}
