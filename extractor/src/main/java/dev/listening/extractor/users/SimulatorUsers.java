package dev.listening.extractor.users;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.Json;
import dev.listening.extractor.api.Secret;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Users of a running simulator, read from its admin endpoint: the local stand-in for the consent
 * database. The simulator keeps rotated-out refresh tokens valid, so rotation needs no storage.
 */
public final class SimulatorUsers implements UserSource {
  /** The simulator's app credentials, served with its users for local runs. */
  public record SimulatorApp(String clientId, Secret clientSecret, List<UserCredential> users) {}

  /**
   * The admin endpoint is no API call: a simulator just started (or a big day's list of users) may
   * take longer to answer than the run's --request-timeout allows an API call.
   */
  static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

  private final OkHttpClient http;
  private final HttpUrl usersUrl;

  public SimulatorUsers(OkHttpClient http, HttpUrl simulatorRoot) {
    this.http =
        http.newBuilder()
            .callTimeout(ADMIN_TIMEOUT)
            .readTimeout(ADMIN_TIMEOUT)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.usersUrl = simulatorRoot.newBuilder().addPathSegments("_sim/users").build();
  }

  @Override
  public List<UserCredential> load() throws IOException {
    return app().users();
  }

  public SimulatorApp app() throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(usersUrl).build()).execute()) {
      if (r.code() != 200) {
        throw new IOException(usersUrl + " answered " + r.code());
      }
      JsonNode root = Json.mapper().readTree(r.body().bytes());
      List<UserCredential> users = new ArrayList<>();
      for (JsonNode u : root.path("users")) {
        users.add(
            new UserCredential(
                u.path("key").asText(), Secret.of(u.path("refresh_token").asText())));
      }
      String secret = root.path("client_secret").asText("");
      return new SimulatorApp(
          root.path("client_id").asText(), secret.isBlank() ? null : Secret.of(secret), users);
    } catch (IOException e) {
      throw new IOException(
          "could not read users from the simulator at "
              + usersUrl
              + " ("
              + e.getMessage()
              + "); start it with `java -jar extractor.jar simulator` or pass --users",
          e);
    }
  }

  @Override
  public void rotated(UserCredential user, Secret newRefreshToken) {
    // The simulator accepts the old token too (like Spotify for apps without PKCE).
  }

  @Override
  public void keyed(UserCredential user, String key) {
    // The simulator's users always come with their key.
  }

  @Override
  public void upsert(String key, Secret refreshToken) {
    throw new UnsupportedOperationException(
        "the simulator's users are its own: authorize into a users file (--users users.json)");
  }

  @Override
  public boolean storesRotations() {
    return false;
  }

  @Override
  public String describe() {
    return usersUrl.toString();
  }
}
