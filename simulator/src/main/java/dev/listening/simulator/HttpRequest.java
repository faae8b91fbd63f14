package dev.listening.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * The parts of a request the handlers need.
 *
 * @param path the decoded path (below /v1 for API requests)
 * @param rawQuery the query as sent, or "" (part of the fault request key)
 * @param apiBase the API base URL as the client addressed it (from the Host header), for links
 */
record HttpRequest(
    String method,
    String path,
    String rawQuery,
    Map<String, String> query,
    String authorization,
    String apiBase,
    byte[] body) {

  private static final int MAX_BODY = 1 << 20;

  static HttpRequest of(Request request, String pathPrefix, String fallbackHost)
      throws IOException {
    String fullPath = request.getHttpURI().getDecodedPath();
    String path =
        fullPath.startsWith(pathPrefix) ? fullPath.substring(pathPrefix.length()) : fullPath;
    String rawQuery = request.getHttpURI().getQuery();
    String host = request.getHeaders().get(HttpHeader.HOST);
    String apiBase = "http://" + (host == null || host.isBlank() ? fallbackHost : host) + "/v1";
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY);
    }
    return new HttpRequest(
        request.getMethod(),
        path,
        rawQuery == null ? "" : rawQuery,
        parseForm(rawQuery),
        request.getHeaders().get(HttpHeader.AUTHORIZATION),
        apiBase,
        body);
  }

  /** Parses a query string or form body; the first of repeated names wins. */
  static Map<String, String> parseForm(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(name, value);
    }
    return Collections.unmodifiableMap(out);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // A broken escape is kept as sent; validation of the value reports it.
      return s;
    }
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
