package dev.listening.extractor.auth;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the authorization code gets back to the command: the browser is redirected to a loopback
 * listener on the registered redirect URI, or (on a server without a browser) the person pastes the
 * URL the browser ended on.
 */
final class Callback {
  private Callback() {}

  /** The query parameters of the redirect: code and state, or error. */
  static Map<String, String> query(URI redirected) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = redirected.getRawQuery();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.putIfAbsent(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  /**
   * Listens on the redirect URI (which must be a loopback address) until the browser arrives, and
   * answers it with a page saying the window can be closed.
   *
   * @param ready told once the listener accepts connections
   */
  static Map<String, String> listen(URI redirectUri, Duration timeout, Runnable ready)
      throws IOException, InterruptedException {
    InetAddress host = InetAddress.getByName(redirectUri.getHost());
    if (!host.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "--redirect-uri "
              + redirectUri
              + " is not a loopback address: use http://127.0.0.1:<port>/<path>, or --headless on"
              + " a machine without a browser");
    }
    CompletableFuture<Map<String, String>> arrived = new CompletableFuture<>();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, redirectUri.getPort()), 4);
    } catch (IOException e) {
      throw new IOException(
          "cannot listen on "
              + redirectUri
              + " ("
              + e.getMessage()
              + "): is another authorize running? Use another --redirect-uri registered in the"
              + " app, or --headless",
          e);
    }
    String path =
        redirectUri.getPath() == null || redirectUri.getPath().isEmpty()
            ? "/"
            : redirectUri.getPath();
    server.createContext(
        path,
        exchange -> {
          Map<String, String> q = query(exchange.getRequestURI());
          boolean ok = q.containsKey("code");
          byte[] page =
              ("<!doctype html><html><body><p>"
                      + (ok
                          ? "Authorized. You can close this window and go back to the terminal."
                          : "Not authorized: the terminal says why.")
                      + "</p></body></html>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(ok ? 200 : 400, page.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
          }
          arrived.complete(q);
        });
    server.start();
    try {
      ready.run();
      return arrived.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          "no browser came back to " + redirectUri + " within " + timeout.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new IOException("the redirect could not be read", e.getCause());
    } finally {
      server.stop(0);
    }
  }

  /** Reads the URL the browser ended on, pasted by the person running the command. */
  static Map<String, String> pasted(InputStream in) throws IOException {
    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isBlank()) {
      throw new IOException("no URL was pasted: paste the whole address the browser ended on");
    }
    try {
      return query(URI.create(line.strip()));
    } catch (IllegalArgumentException e) {
      throw new IOException("that is not a URL: paste the whole address the browser ended on");
    }
  }
}
