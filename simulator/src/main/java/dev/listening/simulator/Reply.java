package dev.listening.simulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer, built fully in memory before it is sent. */
record Reply(int status, byte[] body, String contentType, Map<String, String> headers) {
  static final String JSON = "application/json; charset=utf-8";

  static Reply json(int status, byte[] body) {
    return new Reply(status, body, JSON, Map.of());
  }

  /** An API error in Spotify's shape: {"error":{"status":N,"message":"..."}}. */
  static Reply apiError(int status, String message) {
    return json(
        status,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeObjectFieldStart("error");
              g.writeNumberField("status", status);
              g.writeStringField("message", message);
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  /** A token endpoint error: {"error":"invalid_client","error_description":"..."}. */
  static Reply oauthError(int status, String error, String description) {
    return json(
        status,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeStringField("error", error);
              g.writeStringField("error_description", description);
              g.writeEndObject();
            }));
  }

  /** What a proxy in front of the API answers when the backend is gone. */
  static Reply badGatewayHtml() {
    String html =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    return new Reply(502, html.getBytes(StandardCharsets.UTF_8), "text/html", Map.of());
  }

  Reply withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Reply(status, body, contentType, Map.copyOf(more));
  }

  /** The body cut off mid-JSON, as a dropped connection behind a proxy would leave it. */
  Reply truncated() {
    int keep = Math.max(1, body.length / 2);
    byte[] cut = java.util.Arrays.copyOf(body, Math.min(keep, Math.max(0, body.length - 1)));
    return new Reply(status, cut, contentType, headers);
  }
}
