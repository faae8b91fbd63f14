package dev.listening.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small test client for a running simulator: plain java.net.http, no retries. */
final class SimHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final SpotifySimulator sim;

  SimHttp(SpotifySimulator sim) {
    this.sim = sim;
  }

  record Resp(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** GET {api base}{path} with a bearer token (none when null). */
  Resp api(String path, String token) {
    return get(sim.apiBaseUrl() + path, token);
  }

  Resp get(String url, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.GET().build());
  }

  Resp post(String url, String authorization, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  String basic() {
    return basic(sim.clientId(), sim.clientSecret());
  }

  static String basic(String id, String secret) {
    return "Basic "
        + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  Resp token(String form) {
    return post(sim.accountsBaseUrl() + "/api/token", basic(), form);
  }

  String clientToken() {
    Resp r = token("grant_type=client_credentials");
    if (r.status() != 200) {
      throw new IllegalStateException("client credentials grant failed: " + r);
    }
    return r.json().get("access_token").asText();
  }

  String userToken(SimUser user) {
    Resp r = token("grant_type=refresh_token&refresh_token=" + user.refreshToken());
    if (r.status() != 200) {
      throw new IllegalStateException(
          "refresh grant for " + user.key() + " failed: " + r.status() + " " + r.body());
    }
    return r.json().get("access_token").asText();
  }

  SimUser firstUserWithPlaylists() {
    return sim.users().stream()
        .filter(u -> !u.tokenExpired() && !u.playlistIds().isEmpty())
        .findFirst()
        .orElseThrow();
  }

  SimUser user(String key) {
    return sim.users().stream().filter(u -> u.key().equals(key)).findFirst().orElseThrow();
  }

  private static Resp send(HttpRequest request) {
    try {
      HttpResponse<String> r =
          CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Resp(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.uri().toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
