package dev.listening.landing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One landing line: a raw API page inside the context needed to use it later (which endpoint and
 * parameters, for which user, when, by which run, in which app mode). The request carries no token:
 * tokens travel in headers, which are never landed.
 *
 * <pre>
 * {"endpoint":"recently_played","request":{"method":"GET","path":"/v1/me/player/recently-played",
 *  "params":{"limit":"50"}},"user_key":"u1","fetched_at":"2026-11-20T13:00:00Z","run_id":"r1",
 *  "app_mode":"extended","http_status":200,"response":{...the page as the API sent it...}}
 * </pre>
 *
 * @param userKey the user whose token fetched the page; null for catalog pages
 * @param fetchedAt the API's clock (its Date header) when the page was served
 * @param appMode {@link AppMode#wireName()} of the surface the page came from
 * @param response the page's bytes as received; null or empty lands as JSON null
 * @param items records in the page (plays, tracks, albums...), for the manifest's counts
 */
public record Envelope(
    Endpoint endpoint,
    String path,
    Map<String, String> params,
    String userKey,
    Instant fetchedAt,
    String runId,
    String appMode,
    int httpStatus,
    byte[] response,
    int items) {

  // The field names, for readers that declare the envelope's schema (bronze, DuckDB).
  public static final String ENDPOINT = "endpoint";
  public static final String REQUEST = "request";
  public static final String REQUEST_METHOD = "method";
  public static final String REQUEST_PATH = "path";
  public static final String REQUEST_PARAMS = "params";
  public static final String USER_KEY = "user_key";
  public static final String FETCHED_AT = "fetched_at";
  public static final String RUN_ID = "run_id";
  public static final String APP_MODE = "app_mode";
  public static final String HTTP_STATUS = "http_status";
  public static final String RESPONSE = "response";

  // Request parameters the extractor records besides the query string, so a reader knows what
  // was asked for even when the path carries it.
  /**
   * The id of a single look-up ({@code /tracks/{id}}), or the album whose track list a page of
   * {@code /albums/{id}/tracks} holds.
   */
  public static final String PARAM_ID = "id";

  /** The ids of a batch look-up, comma-separated, in the order the answer lists them. */
  public static final String PARAM_IDS = "ids";

  /** The playlist of a playlist-items page. */
  public static final String PARAM_PLAYLIST_ID = "playlist_id";

  private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

  /**
   * The NDJSON line, newline included. The page is spliced in as the API sent it rather than
   * re-serialised: cheaper, and the landing keeps the original bytes. Line breaks inside it can
   * only be whitespace between tokens (JSON strings escape them), so they become spaces.
   */
  public byte[] toLine() {
    StringBuilder h = new StringBuilder(256).append('{');
    field(h, ENDPOINT).append(':');
    JsonText.quote(h, endpoint.landingName()).append(',');
    field(h, REQUEST).append(":{");
    field(h, REQUEST_METHOD).append(":\"GET\",");
    field(h, REQUEST_PATH).append(':');
    JsonText.quote(h, path).append(',');
    field(h, REQUEST_PARAMS).append(":{");
    boolean first = true;
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (!first) {
        h.append(',');
      }
      first = false;
      JsonText.quote(h, p.getKey()).append(':');
      JsonText.quote(h, p.getValue());
    }
    h.append("}},");
    field(h, USER_KEY).append(':');
    JsonText.quote(h, userKey).append(',');
    field(h, FETCHED_AT).append(':');
    JsonText.quote(h, fetchedAt == null ? null : fetchedAt.toString()).append(',');
    field(h, RUN_ID).append(':');
    JsonText.quote(h, runId).append(',');
    field(h, APP_MODE).append(':');
    JsonText.quote(h, appMode).append(',');
    field(h, HTTP_STATUS).append(':').append(httpStatus).append(',');
    field(h, RESPONSE).append(':');
    byte[] head = h.toString().getBytes(StandardCharsets.UTF_8);
    byte[] page = response == null || response.length == 0 ? NULL : response;
    byte[] line = new byte[head.length + page.length + 2];
    System.arraycopy(head, 0, line, 0, head.length);
    int at = head.length;
    for (byte b : page) {
      line[at++] = b == '\n' || b == '\r' ? (byte) ' ' : b;
    }
    line[at++] = '}';
    line[at] = '\n';
    return line;
  }

  private static StringBuilder field(StringBuilder out, String name) {
    return JsonText.quote(out, name);
  }
}
