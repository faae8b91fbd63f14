package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization code flow with PKCE, as the extractor's authorize command uses it: the checks a
 * real accounts service makes on the code, the verifier and the redirect URI, and the rotation of
 * the refresh tokens it issues.
 */
class AuthorizationCodeTest {
  private static final String REDIRECT = "http://127.0.0.1:43210/callback";
  private static final String VERIFIER = "verifier-0123456789-0123456789-0123456789-0123456789";
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
    sim.registerRedirectUri(REDIRECT);
    http = new SimHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static String authorizeUrl(String redirect, String extra) {
    return sim.accountsBaseUrl()
        + "/authorize?client_id="
        + sim.clientId()
        + "&response_type=code&redirect_uri="
        + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
        + "&code_challenge_method=S256&code_challenge="
        + Authorization.challengeOf(VERIFIER)
        + "&scope=user-read-recently-played&state=xyz"
        + extra;
  }

  private static Map<String, String> query(String location) {
    Map<String, String> q = new LinkedHashMap<>();
    for (String p : URI.create(location).getRawQuery().split("&")) {
      String[] kv = p.split("=", 2);
      q.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return q;
  }

  /** The code the redirect carries after the named user agreed. */
  private static String code(String user) {
    SimHttp.Resp r = http.get(authorizeUrl(REDIRECT, "&sim_user=" + user), null);
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.header("Location")).startsWith(REDIRECT + "?code=");
    Map<String, String> q = query(r.header("Location"));
    assertThat(q.get("state")).as("state comes back unchanged").isEqualTo("xyz");
    return q.get("code");
  }

  private static SimHttp.Resp exchange(String code, String redirect, String verifier) {
    return http.post(
        sim.accountsBaseUrl() + "/api/token",
        null,
        "grant_type=authorization_code&client_id="
            + sim.clientId()
            + "&code="
            + code
            + "&redirect_uri="
            + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
            + "&code_verifier="
            + verifier);
  }

  @Test
  void aConsentedUserGetsARefreshTokenThatReadsTheirPlaysAndRotatesOnEveryRefresh() {
    SimUser user = sim.users().get(1);
    SimHttp.Resp tokens = exchange(code(user.key()), REDIRECT, VERIFIER);
    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    String refresh = tokens.json().get("refresh_token").asText();
    String access = tokens.json().get("access_token").asText();
    assertThat(http.api("/me", access).json().get("account_id").asText()).isEqualTo(user.key());

    SimHttp.Resp refreshed = http.token("grant_type=refresh_token&refresh_token=" + refresh);
    assertThat(refreshed.status()).isEqualTo(200);
    String next = refreshed.json().get("refresh_token").asText();
    assertThat(next).as("a PKCE refresh token is replaced on every refresh").isNotEqualTo(refresh);
    SimHttp.Resp reused = http.token("grant_type=refresh_token&refresh_token=" + refresh);
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(http.token("grant_type=refresh_token&refresh_token=" + next).status())
        .isEqualTo(200);
  }

  @Test
  void aWrongVerifierAReusedCodeAndAnotherRedirectUriAreInvalidGrants() {
    String code = code(sim.users().get(2).key());
    SimHttp.Resp wrong = exchange(code, REDIRECT, VERIFIER + "x");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().get("error_description").asText()).contains("code_verifier");

    String code2 = code(sim.users().get(2).key());
    assertThat(exchange(code2, REDIRECT, VERIFIER).status()).isEqualTo(200);
    SimHttp.Resp again = exchange(code2, REDIRECT, VERIFIER);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().get("error").asText()).isEqualTo("invalid_grant");

    String code3 = code(sim.users().get(2).key());
    SimHttp.Resp elsewhere = exchange(code3, "http://127.0.0.1:9/other", VERIFIER);
    assertThat(elsewhere.json().get("error_description").asText()).contains("redirect URI");
  }

  @Test
  void anUnregisteredRedirectUriIsRefusedOnThePageNotRedirectedTo() {
    SimHttp.Resp r = http.get(authorizeUrl("http://evil.example/cb", "&sim_user=u00001"), null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Location")).isNull();
    assertThat(r.body()).contains("Invalid redirect URI");
  }

  @Test
  void aUserWhoCancelsIsSentBackWithAccessDenied() {
    SimHttp.Resp r = http.get(authorizeUrl(REDIRECT, "&sim_user=u00001&sim_answer=deny"), null);
    assertThat(r.status()).isEqualTo(302);
    assertThat(query(r.header("Location"))).containsEntry("error", "access_denied");
  }

  @Test
  void withoutAChosenUserTheConsentPageListsEveryAccount() {
    SimHttp.Resp r = http.get(authorizeUrl(REDIRECT, ""), null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("agree-u00001", "user-read-recently-played");
  }

  @Test
  void aUserWhoseConsentExpiredIsRenewedByConsentingAgain() {
    SimUser expired = sim.users().stream().filter(SimUser::tokenExpired).findFirst().orElseThrow();
    assertThat(
            http.token("grant_type=refresh_token&refresh_token=" + expired.refreshToken()).status())
        .isEqualTo(400);
    SimHttp.Resp fresh = exchange(code(expired.key()), REDIRECT, VERIFIER);
    assertThat(fresh.status()).isEqualTo(200);
    assertThat(
            http.api(
                    "/me/player/recently-played?limit=5", fresh.json().get("access_token").asText())
                .status())
        .isEqualTo(200);
  }
}
