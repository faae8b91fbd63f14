package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token endpoint's grants and errors, and how /v1 treats tokens. */
class AuthTest {
  private static SpotifySimulator sim;
  private static SimHttp http;

  @BeforeAll
  static void start() {
    sim =
        SpotifySimulator.start(
            SimulatorConfig.defaults()
                .withFaults(SimulatorConfig.Faults.none())
                .withRateLimit(SimulatorConfig.RateLimit.unlimited()),
            0);
    http = new SimHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static SimUser validUser() {
    return sim.users().stream().filter(u -> !u.tokenExpired()).findFirst().orElseThrow();
  }

  @Test
  void clientCredentialsGrant() {
    SimHttp.Resp r = http.token("grant_type=client_credentials");
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asInt()).isEqualTo(3600);
    assertThat(body.get("access_token").asText()).isNotBlank();
    assertThat(body.has("refresh_token")).isFalse();
    assertThat(
            http.api(
                    "/tracks/" + sim.catalog().trackIds().get(0), body.get("access_token").asText())
                .status())
        .isEqualTo(200);
  }

  @Test
  void badClientCredentialsAreInvalidClient() {
    String url = sim.accountsBaseUrl() + "/api/token";
    for (String auth :
        new String[] {
          null,
          SimHttp.basic(sim.clientId(), "wrong"),
          SimHttp.basic("other", sim.clientSecret()),
          "Basic !!!"
        }) {
      SimHttp.Resp r = http.post(url, auth, "grant_type=client_credentials");
      assertThat(r.status()).as(String.valueOf(auth)).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
      assertThat(r.json().get("error_description").asText()).isNotBlank();
    }
  }

  @Test
  void refreshGrantCarriesScope() {
    SimHttp.Resp r =
        http.token("grant_type=refresh_token&refresh_token=" + validUser().refreshToken());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("scope").asText())
        .contains("user-read-recently-played", "playlist-read-private");
    assertThat(r.json().get("expires_in").asInt()).isEqualTo(3600);
  }

  @Test
  void aShareOfRefreshGrantsRotatesAndBothTokensKeepWorking() {
    SimUser user = validUser();
    int rotated = 0;
    Set<String> newTokens = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      JsonNode body =
          http.token("grant_type=refresh_token&refresh_token=" + user.refreshToken()).json();
      if (body.has("refresh_token")) {
        rotated++;
        newTokens.add(body.get("refresh_token").asText());
      }
    }
    assertThat(rotated).as("about 30%% of 200 grants rotate").isBetween(35, 85);
    assertThat(newTokens).hasSize(rotated).doesNotContain(user.refreshToken());
    String rotatedToken = newTokens.iterator().next();
    assertThat(http.token("grant_type=refresh_token&refresh_token=" + rotatedToken).status())
        .isEqualTo(200);
    assertThat(http.token("grant_type=refresh_token&refresh_token=" + user.refreshToken()).status())
        .isEqualTo(200);
  }

  @Test
  void expiredAndUnknownRefreshTokensAreInvalidGrant() {
    SimUser expired = sim.users().stream().filter(SimUser::tokenExpired).findFirst().orElseThrow();
    SimHttp.Resp revoked =
        http.token("grant_type=refresh_token&refresh_token=" + expired.refreshToken());
    assertThat(revoked.status()).isEqualTo(400);
    assertThat(revoked.json().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(revoked.json().get("error_description").asText()).isEqualTo("Refresh token revoked");

    String valid = validUser().refreshToken();
    String tampered = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA");
    for (String token : new String[] {"nonsense", tampered}) {
      SimHttp.Resp r = http.token("grant_type=refresh_token&refresh_token=" + token);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
      assertThat(r.json().get("error_description").asText()).isEqualTo("Invalid refresh token");
    }
  }

  @Test
  void otherGrantTypesAreUnsupported() {
    for (String form : new String[] {"grant_type=password", "foo=bar"}) {
      SimHttp.Resp r = http.token(form);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isEqualTo("unsupported_grant_type");
    }
  }

  @Test
  void accessTokensExpireInSimulatedTime() {
    sim.clock().set(java.time.Instant.parse("2026-11-20T12:00:00Z"));
    String token = http.userToken(validUser());
    assertThat(http.api("/me/player/recently-played", token).status()).isEqualTo(200);
    sim.clock().advance(Duration.ofSeconds(3599));
    assertThat(http.api("/me/player/recently-played", token).status()).isEqualTo(200);
    sim.clock().advance(Duration.ofSeconds(1));
    SimHttp.Resp expired = http.api("/me/player/recently-played", token);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json().at("/error/message").asText()).isEqualTo("The access token expired");
  }

  @Test
  void missingOrForeignBearerTokensAreInvalid() {
    for (String token : new String[] {null, "BQnotreal", sim.users().get(0).refreshToken()}) {
      SimHttp.Resp r = http.api("/tracks/" + sim.catalog().trackIds().get(0), token);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().at("/error/message").asText()).isEqualTo("Invalid access token");
    }
  }

  @Test
  void userEndpointsNeedAUserTokenAndPlaylistsTheirOwner() {
    String client = http.clientToken();
    SimUser owner = http.firstUserWithPlaylists();
    String playlist = owner.playlistIds().get(0);
    assertThat(http.api("/me/player/recently-played", client).status()).isEqualTo(403);
    assertThat(http.api("/playlists/" + playlist + "/items", client).status()).isEqualTo(403);
    assertThat(http.api("/playlists/" + playlist + "/items", http.userToken(owner)).status())
        .isEqualTo(200);
    SimUser other =
        sim.users().stream()
            .filter(u -> !u.tokenExpired() && !u.playlistIds().contains(playlist))
            .findFirst()
            .orElseThrow();
    assertThat(http.api("/playlists/" + playlist + "/items", http.userToken(other)).status())
        .isEqualTo(403);
    assertThat(http.api("/playlists/0000000000000000000000/items", http.userToken(owner)).status())
        .isEqualTo(404);
  }
}
