package dev.listening.extractor.landing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.extractor.api.ApiResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One landing line: a raw API page inside the context needed to use it later (which endpoint and
 * parameters, for which user, when, by which run, in which app mode). The request carries no token:
 * tokens travel in headers, which are never landed.
 *
 * @param items records in the page (plays, tracks, albums...), for the manifest's counts
 */
public record Envelope(
    String endpoint,
    String path,
    Map<String, String> params,
    String userKey,
    Instant fetchedAt,
    String runId,
    String appMode,
    int httpStatus,
    byte[] response,
    int items) {

  public static Envelope of(
      ApiResponse response,
      String userKey,
      Instant fetchedAt,
      String runId,
      String appMode,
      int items) {
    return new Envelope(
        response.endpoint(),
        response.path(),
        response.params(),
        userKey,
        fetchedAt,
        runId,
        appMode,
        response.status(),
        response.rawBody(),
        items);
  }

  /**
   * The NDJSON line, newline included. The page is spliced in as the API sent it rather than
   * re-serialised: cheaper, and the landing keeps the original bytes. Line breaks inside it can
   * only be whitespace between tokens (JSON strings escape them), so they become spaces.
   */
  public byte[] toLine(ObjectMapper json) {
    ByteArrayOutputStream header = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.getFactory().createGenerator(header)) {
      g.writeStartObject();
      g.writeStringField("endpoint", endpoint);
      g.writeObjectFieldStart("request");
      g.writeStringField("method", "GET");
      g.writeStringField("path", path);
      g.writeObjectFieldStart("params");
      for (Map.Entry<String, String> p : params.entrySet()) {
        g.writeStringField(p.getKey(), p.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeStringField("user_key", userKey);
      g.writeStringField("fetched_at", fetchedAt.toString());
      g.writeStringField("run_id", runId);
      g.writeStringField("app_mode", appMode);
      g.writeNumberField("http_status", httpStatus);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] head = header.toByteArray(); // ends with '}': reopened to add the page
    byte[] page = response == null || response.length == 0 ? NULL : response;
    byte[] line = new byte[head.length - 1 + RESPONSE_FIELD.length + page.length + 2];
    System.arraycopy(head, 0, line, 0, head.length - 1);
    int at = head.length - 1;
    System.arraycopy(RESPONSE_FIELD, 0, line, at, RESPONSE_FIELD.length);
    at += RESPONSE_FIELD.length;
    for (byte b : page) {
      line[at++] = b == '\n' || b == '\r' ? (byte) ' ' : b;
    }
    line[at++] = '}';
    line[at] = '\n';
    return line;
  }

  private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
  private static final byte[] RESPONSE_FIELD = ",\"response\":".getBytes(StandardCharsets.UTF_8);
}
