package dev.listening.extractor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.landing.CatalogKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a real HTTP server on loopback: exact requests, paging, and every retry path,
 * on virtual time so that a 30-second Retry-After costs nothing.
 */
class SpotifyClientTest {
  private static final String USER_TOKEN_JSON =
      "{\"access_token\":\"user-access-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
  private static final String APP_TOKEN_JSON =
      "{\"access_token\":\"app-access-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
  private static final String EMPTY_PAGE =
      "{\"items\":[],\"next\":null,\"cursors\":null,\"limit\":50,\"href\":\"x\"}";

  private final MockWebServer api = new MockWebServer();
  private final MockWebServer accounts = new MockWebServer();
  private final FakeTiming timing = new FakeTiming();
  private final ClientStats stats = new ClientStats();
  private final ObjectMapper json = new ObjectMapper();
  private RetrySettings settings = RetrySettings.defaults();
  private AccountsClient accountsClient;
  private SpotifyClient client;
  private final List<Secret> rotated = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    api.start(0);
    accounts.start(0);
    build(settings);
  }

  private void build(RetrySettings s) {
    OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    accountsClient =
        new AccountsClient(
            http,
            json,
            accounts.url("/"),
            "client-1",
            Secret.of("client-secret-xyz"),
            stats,
            timing,
            s);
    SpotifyHttp spotifyHttp =
        new SpotifyHttp(http, json, new RequestGate(1000, timing), stats, timing, s, () -> 0.5);
    client =
        new SpotifyClient(
            spotifyHttp, api.url("/v1"), RefreshingTokens.forApp(accountsClient, timing));
  }

  @AfterEach
  void stop() {
    api.close();
    accounts.close();
  }

  private RefreshingTokens user(String refreshToken) {
    return RefreshingTokens.forUser(accountsClient, Secret.of(refreshToken), timing, rotated::add);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private RecordedRequest next(MockWebServer server) throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("expected another request").isNotNull();
    return r;
  }

  @Test
  void recentlyPlayedSendsTheExactRequestWithAUserTokenFromARefreshGrant() throws Exception {
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    api.enqueue(
        new MockResponse.Builder()
            .code(200)
            .setHeader("Date", "Fri, 20 Nov 2026 13:00:00 GMT")
            .body(EMPTY_PAGE)
            .build());

    ApiResponse page = client.recentlyPlayed(user("refresh-1"), 1_763_640_000_000L);

    RecordedRequest token = next(accounts);
    assertThat(token.getMethod()).isEqualTo("POST");
    assertThat(token.getUrl().encodedPath()).isEqualTo("/api/token");
    assertThat(token.getHeaders().get("Authorization"))
        .isEqualTo(
            "Basic " + Base64.getEncoder().encodeToString("client-1:client-secret-xyz".getBytes()));
    assertThat(token.getBody().utf8())
        .isEqualTo("grant_type=refresh_token&refresh_token=refresh-1");

    RecordedRequest call = next(api);
    assertThat(call.getMethod()).isEqualTo("GET");
    assertThat(call.getTarget())
        .isEqualTo("/v1/me/player/recently-played?limit=50&after=1763640000000");
    assertThat(call.getHeaders().get("Authorization")).isEqualTo("Bearer user-access-1");
    assertThat(call.getHeaders().get("Accept")).isEqualTo("application/json");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.params()).containsEntry("limit", "50").containsEntry("after", "1763640000000");
    assertThat(page.serverTime()).hasToString("2026-11-20T13:00:00Z");
    assertThat(page.body().path("items").size()).isZero();
  }

  @Test
  void aFirstPollWithoutWatermarkSendsNoAfter() throws Exception {
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    api.enqueue(json(200, EMPTY_PAGE));
    client.recentlyPlayed(user("r"), null);
    next(accounts);
    assertThat(next(api).getTarget()).isEqualTo("/v1/me/player/recently-played?limit=50");
  }

  @Test
  void pagingFollowsNextLinksUntilNull() throws Exception {
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    String page2 = api.url("/v1/playlists/pl1/items?offset=50&limit=50").toString();
    api.enqueue(json(200, "{\"items\":[{},{}],\"next\":\"" + page2 + "\",\"total\":3}"));
    api.enqueue(json(200, "{\"items\":[{}],\"next\":null,\"total\":3}"));
    RefreshingTokens tokens = user("r");

    List<ApiResponse> pages = new ArrayList<>();
    for (ApiResponse p = client.playlistItems(tokens, "pl1");
        p != null;
        p = client.next(p, null, tokens)) {
      pages.add(p);
    }

    assertThat(pages).hasSize(2);
    assertThat(next(api).getTarget()).isEqualTo("/v1/playlists/pl1/items?limit=50&offset=0");
    assertThat(next(api).getTarget()).isEqualTo("/v1/playlists/pl1/items?offset=50&limit=50");
    assertThat(pages.get(1).params())
        .as("the page keeps the playlist id for the landing envelope")
        .containsEntry("playlist_id", "pl1")
        .containsEntry("offset", "50");
    assertThat(api.getRequestCount()).isEqualTo(2);
    assertThat(accounts.getRequestCount()).as("one token serves both pages").isEqualTo(1);
  }

  @Test
  void aNextLinkToAnotherHostIsRefusedSoTheTokenNeverLeaves() throws Exception {
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    api.enqueue(json(200, "{\"items\":[],\"next\":\"https://evil.example/v1/x\"}"));
    RefreshingTokens tokens = user("r");
    ApiResponse first = client.playlistItems(tokens, "pl1");
    assertThatThrownBy(() -> client.next(first, null, tokens))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("outside the API base URL");
    assertThat(api.getRequestCount()).isEqualTo(1);
  }

  @Test
  void newReleasesPagesThroughTheNestedAlbumsPagingObject() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    String page2 = api.url("/v1/browse/new-releases?country=SE&offset=50&limit=50").toString();
    api.enqueue(json(200, "{\"albums\":{\"items\":[{}],\"next\":\"" + page2 + "\"}}"));
    api.enqueue(json(200, "{\"albums\":{\"items\":[{}],\"next\":null}}"));

    ApiResponse first = client.newReleases("SE");
    ApiResponse second = client.next(first, "albums", null);

    assertThat(client.next(second, "albums", null)).isNull();
    RecordedRequest r1 = next(api);
    assertThat(r1.getTarget()).isEqualTo("/v1/browse/new-releases?country=SE&limit=50&offset=0");
    assertThat(r1.getHeaders().get("Authorization")).isEqualTo("Bearer app-access-1");
    assertThat(next(accounts).getBody().utf8()).isEqualTo("grant_type=client_credentials");
    assertThat(second.params()).containsEntry("country", "SE").containsEntry("offset", "50");
  }

  @Test
  void albumTracksAskFiftyFromAnOffsetAndEveryPageNamesTheAlbum() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    String page3 = api.url("/v1/albums/al1/tracks?offset=100&limit=50").toString();
    api.enqueue(json(200, "{\"items\":[{}],\"offset\":50,\"next\":\"" + page3 + "\"}"));
    api.enqueue(json(200, "{\"items\":[{}],\"offset\":100,\"next\":null}"));

    ApiResponse second = client.albumTracks("al1", 50);
    ApiResponse third = client.next(second, null, null);

    assertThat(client.next(third, null, null)).isNull();
    RecordedRequest r = next(api);
    assertThat(r.getTarget()).isEqualTo("/v1/albums/al1/tracks?limit=50&offset=50");
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer app-access-1");
    assertThat(next(api).getTarget()).isEqualTo("/v1/albums/al1/tracks?offset=100&limit=50");
    assertThat(second.params()).containsEntry("id", "al1").containsEntry("offset", "50");
    assertThat(third.params())
        .as("the album's id, which only the path carries, stays with every page")
        .containsEntry("id", "al1")
        .containsEntry("offset", "100");
    assertThatThrownBy(() -> client.lookup(CatalogKind.ALBUM_TRACKS, "al1"))
        .hasMessageContaining("albumTracks");
  }

  @Test
  void batchAndSingleLookupsHitTheirEndpoints() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(json(200, "{\"tracks\":[{\"id\":\"a\"},null]}"));
    api.enqueue(json(200, "{\"id\":\"c\"}"));

    ApiResponse batch = client.lookupBatch(CatalogKind.TRACK, List.of("a", "b"));
    ApiResponse single = client.lookup(CatalogKind.ALBUM, "c");

    RecordedRequest b = next(api);
    assertThat(b.getUrl().encodedPath()).isEqualTo("/v1/tracks");
    assertThat(b.getUrl().queryParameter("ids")).isEqualTo("a,b");
    assertThat(next(api).getTarget()).isEqualTo("/v1/albums/c");
    assertThat(batch.params()).containsEntry("ids", "a,b");
    assertThat(single.params()).containsEntry("id", "c");
    assertThatThrownBy(
            () -> client.lookupBatch(CatalogKind.ALBUM, java.util.Collections.nCopies(21, "x")))
        .hasMessageContaining("1 to 20 ids");
  }

  @Test
  void aForbiddenBatchIsReturnedToTheCallerNotRetried() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(json(403, "{\"error\":{\"status\":403,\"message\":\"Forbidden\"}}"));

    ApiResponse r = client.lookupBatch(CatalogKind.ARTIST, List.of("a"));

    assertThat(r.status()).isEqualTo(403);
    assertThat(api.getRequestCount()).isEqualTo(1);
    assertThat(stats.retries()).isZero();
  }

  @Test
  void retryAfterIsHonouredBeforeTheNextCall() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "7")
            .body("{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\"}}")
            .build());
    api.enqueue(json(200, "{\"id\":\"t\"}"));

    ApiResponse r = client.lookup(CatalogKind.TRACK, "t");

    assertThat(r.status()).isEqualTo(200);
    assertThat(api.getRequestCount()).isEqualTo(2);
    assertThat(timing.slept())
        .as("slept exactly the announced 7 s")
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(stats.retries()).isEqualTo(1);
    assertThat(stats.retryAfterWaited()).isEqualTo(Duration.ofSeconds(7));
    assertThat(stats.responsesByStatus()).containsEntry(429, 1L).containsEntry(200, 1L);
  }

  @Test
  void a429WithoutRetryAfterBacksTheAppOffFromOneSecondDoublingUpToTheDefault() throws Exception {
    build(
        new RetrySettings(
            8, Duration.ofMinutes(5), Duration.ofSeconds(3), Duration.ZERO, Duration.ZERO));
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    for (int i = 0; i < 3; i++) {
      api.enqueue(
          json(429, "{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\"}}"));
    }
    api.enqueue(json(200, "{}"));

    client.lookup(CatalogKind.TRACK, "t");

    // Random fixed at 0.5: equal jitter gives 3/4 of each step: 1 s, 2 s, then 4 s capped at 3 s.
    assertThat(timing.sleeps)
        .containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500), Duration.ofMillis(2250));
    assertThat(stats.rateLimitedWithoutRetryAfter()).isEqualTo(3);
    assertThat(stats.blockedByRateLimit()).isEqualTo(Duration.ofMillis(4500));
  }

  @Test
  void theTokenIsFetchedBeforeTheGateSoARetryAfterThatBeganMeanwhileIsKept() throws Exception {
    // A token refresh that takes a while (here: during it another worker's request is answered
    // 429 Retry-After 5) must not let this request out before the 5 s are over.
    RequestGate gate = new RequestGate(1000, timing);
    OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    SpotifyHttp spotifyHttp = new SpotifyHttp(http, json, gate, stats, timing, settings, () -> 0.5);
    AccessTokenSource slowRefresh =
        new AccessTokenSource() {
          @Override
          public Secret token() {
            gate.blockFor(Duration.ofSeconds(5));
            return Secret.of("user-access-1");
          }

          @Override
          public void invalidate(Secret token) {}
        };
    api.enqueue(json(200, EMPTY_PAGE));
    long start = timing.nanoTime();

    new SpotifyClient(spotifyHttp, api.url("/v1"), slowRefresh).recentlyPlayed(slowRefresh, null);

    assertThat(api.getRequestCount()).isEqualTo(1);
    assertThat(Duration.ofNanos(timing.nanoTime() - start))
        .as("sent only after the Retry-After that began while the token was fetched")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aQuotaStopClosesTheGateSoNoOtherRequestGoesOut() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "2")
            .body(
                "{\"error\":{\"status\":429,\"message\":\"Quota exceeded\",\"reason\":\"QUOTA_EXCEEDED\"}}")
            .build());
    api.enqueue(json(200, "{\"id\":\"u\"}"));

    assertThatThrownBy(() -> client.lookup(CatalogKind.TRACK, "t"))
        .isInstanceOf(ApiException.StopRun.class);
    assertThatThrownBy(() -> client.lookup(CatalogKind.TRACK, "u"))
        .as("another worker's next request, or a retry")
        .isInstanceOfSatisfying(
            ApiException.StopRun.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2)));
    assertThat(api.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aMalformedBodyIsCountedKeptForQuarantineAndFetchedAgain() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(json(200, "{\"id\":\"t\",\"name\":\"tru"));
    api.enqueue(json(200, "{\"id\":\"t\",\"name\":\"true\"}"));

    ApiResponse r = client.lookup(CatalogKind.TRACK, "t");

    assertThat(r.body().path("name").asText()).isEqualTo("true");
    assertThat(r.malformedAttempts()).hasSize(1);
    ApiResponse cut = r.malformedAttempts().get(0);
    assertThat(new String(cut.rawBody(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":\"t\",\"name\":\"tru");
    assertThat(cut.status()).isEqualTo(200);
    assertThat(cut.params()).containsEntry("id", "t");
    assertThat(stats.malformedBodies()).isEqualTo(1);
  }

  @Test
  void aResponseSlowerThanTheRequestTimeoutIsAbandonedAndAskedAgain() throws Exception {
    OkHttpClient http =
        dev.listening.extractor.run.ExtractionFactory.httpClient(1, Duration.ofMillis(300));
    SpotifyHttp spotifyHttp =
        new SpotifyHttp(http, json, new RequestGate(1000, timing), stats, timing, settings);
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body("{\"id\":\"slow\"}")
            .headersDelay(2, TimeUnit.SECONDS)
            .build());
    api.enqueue(json(200, "{\"id\":\"t\"}"));
    long start = System.nanoTime();

    ApiResponse r =
        new SpotifyClient(
                spotifyHttp, api.url("/v1"), RefreshingTokens.forApp(accountsClient, timing))
            .lookup(CatalogKind.TRACK, "t");

    assertThat(r.body().path("id").asText()).isEqualTo("t");
    assertThat(stats.timeouts()).isEqualTo(1);
    assertThat(api.getRequestCount()).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("gave up on the slow answer, did not wait for it")
        .isLessThan(Duration.ofMillis(1900));
  }

  @Test
  void aTokenEndpointSlowerThanTheRequestTimeoutIsAskedAgainAndCountedAsATimeout()
      throws Exception {
    OkHttpClient http =
        dev.listening.extractor.run.ExtractionFactory.httpClient(1, Duration.ofMillis(300));
    AccountsClient slowAccounts =
        new AccountsClient(
            http,
            json,
            accounts.url("/"),
            "client-1",
            Secret.of("client-secret-xyz"),
            stats,
            timing,
            settings);
    accounts.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body(APP_TOKEN_JSON)
            .headersDelay(2, TimeUnit.SECONDS)
            .build());
    accounts.enqueue(json(200, APP_TOKEN_JSON));

    TokenGrant grant = slowAccounts.clientCredentials();

    assertThat(grant.accessToken().reveal()).isEqualTo("app-access-1");
    assertThat(stats.timeouts()).as("the token endpoint's timeouts count too").isEqualTo(1);
    assertThat(accounts.getRequestCount()).isEqualTo(2);
  }

  @Test
  void rateLimitedAttemptsDoNotUseUpARequestsAttempts() throws Exception {
    build(
        new RetrySettings(
            2, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(json(500, "{\"error\":{\"status\":500,\"message\":\"Server error\"}}"));
    for (int i = 0; i < 3; i++) {
      api.enqueue(
          new MockResponse.Builder()
              .code(429)
              .setHeader("Retry-After", "1")
              .body("{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\"}}")
              .build());
    }
    api.enqueue(json(200, "{\"id\":\"t\"}"));

    assertThat(client.lookup(CatalogKind.TRACK, "t").status()).isEqualTo(200);
    assertThat(api.getRequestCount()).isEqualTo(5);
  }

  @Test
  void aRetryAfterLongerThanTheCapStopsTheRunWithoutWaiting() throws Exception {
    build(
        new RetrySettings(
            8, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "3600")
            .body("{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\"}}")
            .build());

    assertThatThrownBy(() -> client.lookup(CatalogKind.TRACK, "t"))
        .isInstanceOfSatisfying(
            ApiException.StopRun.class,
            e -> {
              assertThat(e.quotaExhausted()).isFalse();
              assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(1));
            })
        .hasMessageContaining("longer than --max-wait");
    assertThat(api.getRequestCount()).isEqualTo(1);
    assertThat(timing.slept()).isZero();
  }

  @Test
  void quotaExhaustionStopsTheRunAtOnce() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "52531")
            .body(
                "{\"error\":{\"status\":429,\"message\":\"Quota exceeded\",\"reason\":\"QUOTA_EXCEEDED\"}}")
            .build());

    assertThatThrownBy(() -> client.lookup(CatalogKind.TRACK, "t"))
        .isInstanceOfSatisfying(
            ApiException.StopRun.class, e -> assertThat(e.quotaExhausted()).isTrue())
        .hasMessageContaining("quota exhausted");
    assertThat(api.getRequestCount()).isEqualTo(1);
    assertThat(timing.slept()).isZero();
  }

  @Test
  void serverErrorsBackOffExponentiallyWithJitter() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(json(503, "{\"error\":{\"status\":503,\"message\":\"Service unavailable\"}}"));
    api.enqueue(new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build());
    api.enqueue(json(200, "{\"id\":\"t\"}"));

    client.lookup(CatalogKind.TRACK, "t");

    // Random fixed at 0.5: equal jitter gives 3/4 of each doubling step (500 ms, then 1 s).
    assertThat(timing.sleeps).containsExactly(Duration.ofMillis(375), Duration.ofMillis(750));
    assertThat(api.getRequestCount()).isEqualTo(3);
  }

  @Test
  void ioErrorsAndMalformedBodiesAreRetried() throws Exception {
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    api.enqueue(
        new MockResponse.Builder()
            .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
            .body("x")
            .build());
    api.enqueue(json(200, "{\"id\":\"t\",\"name\":\"tru"));
    api.enqueue(json(200, "{\"id\":\"t\"}"));

    ApiResponse r = client.lookup(CatalogKind.TRACK, "t");

    assertThat(r.body().path("id").asText()).isEqualTo("t");
    assertThat(api.getRequestCount()).isEqualTo(3);
    assertThat(stats.retries()).isEqualTo(2);
  }

  @Test
  void retriesStopAfterMaxAttempts() throws Exception {
    build(
        new RetrySettings(
            3, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
    accounts.enqueue(json(200, APP_TOKEN_JSON));
    for (int i = 0; i < 3; i++) {
      api.enqueue(json(500, "{\"error\":{\"status\":500,\"message\":\"Server error\"}}"));
    }

    assertThatThrownBy(() -> client.lookup(CatalogKind.TRACK, "t"))
        .isInstanceOf(ApiException.class)
        .isNotInstanceOf(ApiException.Retryable.class)
        .hasMessageContaining("500")
        .hasMessageContaining("gave up after 3 failed attempt(s)");
    assertThat(api.getRequestCount()).isEqualTo(3);
  }

  @Test
  void a401RefreshesTheTokenOnceAndRetries() throws Exception {
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    accounts.enqueue(
        json(
            200,
            "{\"access_token\":\"user-access-2\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    api.enqueue(json(401, "{\"error\":{\"status\":401,\"message\":\"The access token expired\"}}"));
    api.enqueue(json(200, EMPTY_PAGE));

    client.recentlyPlayed(user("r"), null);

    assertThat(next(api).getHeaders().get("Authorization")).isEqualTo("Bearer user-access-1");
    assertThat(next(api).getHeaders().get("Authorization")).isEqualTo("Bearer user-access-2");
    assertThat(accounts.getRequestCount()).isEqualTo(2);
    assertThat(stats.tokenRefreshesOn401()).isEqualTo(1);
    assertThat(stats.backoffWaited()).as("a token refresh needs no backoff").isZero();
  }

  @Test
  void aTokenThatExpiredAgainAfterARefreshIsRefreshedAgain() throws Exception {
    // Another worker used the refreshed token up meanwhile (or it expired early): a different
    // token refused is worth another refresh; only the same one refused twice is not.
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    accounts.enqueue(
        json(
            200,
            "{\"access_token\":\"user-access-2\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    accounts.enqueue(
        json(
            200,
            "{\"access_token\":\"user-access-3\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    api.enqueue(json(401, "{\"error\":{\"status\":401,\"message\":\"The access token expired\"}}"));
    api.enqueue(json(401, "{\"error\":{\"status\":401,\"message\":\"The access token expired\"}}"));
    api.enqueue(json(200, EMPTY_PAGE));

    assertThat(client.recentlyPlayed(user("r"), null).status()).isEqualTo(200);

    assertThat(next(api).getHeaders().get("Authorization")).isEqualTo("Bearer user-access-1");
    assertThat(next(api).getHeaders().get("Authorization")).isEqualTo("Bearer user-access-2");
    assertThat(next(api).getHeaders().get("Authorization")).isEqualTo("Bearer user-access-3");
    assertThat(stats.tokenRefreshesOn401()).isEqualTo(2);
  }

  @Test
  void a401AfterARefreshIsNotRetriedAgain() throws Exception {
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    api.enqueue(json(401, "{\"error\":{\"status\":401,\"message\":\"Invalid access token\"}}"));
    api.enqueue(json(401, "{\"error\":{\"status\":401,\"message\":\"Invalid access token\"}}"));

    assertThatThrownBy(() -> client.recentlyPlayed(user("r"), null))
        .isInstanceOf(ApiException.class)
        .isNotInstanceOf(ApiException.Retryable.class)
        .hasMessageContaining("freshly refreshed");
    assertThat(api.getRequestCount()).isEqualTo(2);
    assertThat(accounts.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aRotatedRefreshTokenIsUsedAndReportedAndAnAbsentOneKeepsTheOld() throws Exception {
    accounts.enqueue(
        json(
            200,
            "{\"access_token\":\"a1\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"r2\"}"));
    accounts.enqueue(
        json(200, "{\"access_token\":\"a2\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    accounts.enqueue(
        json(200, "{\"access_token\":\"a3\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    RefreshingTokens tokens = user("r1");

    tokens.token();
    timing.advance(Duration.ofHours(1)); // expired: the next call refreshes
    tokens.token();
    timing.advance(Duration.ofHours(1));
    tokens.token();

    assertThat(next(accounts).getBody().utf8()).endsWith("refresh_token=r1");
    assertThat(next(accounts).getBody().utf8()).endsWith("refresh_token=r2");
    assertThat(next(accounts).getBody().utf8())
        .as("no new refresh token in the second grant: keep r2")
        .endsWith("refresh_token=r2");
    assertThat(rotated).extracting(Secret::reveal).containsExactly("r2");
  }

  @Test
  void tokensAreRefreshedShortlyBeforeExpiryNotAfter() throws Exception {
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    RefreshingTokens tokens = user("r");
    tokens.token();
    timing.advance(Duration.ofSeconds(3500));
    tokens.token();
    assertThat(accounts.getRequestCount()).isEqualTo(1);
    timing.advance(Duration.ofSeconds(60));
    tokens.token();
    assertThat(accounts.getRequestCount()).isEqualTo(2);
  }

  @Test
  void invalidGrantAndInvalidClientAreNotRetriedAndNameTheFix() throws Exception {
    accounts.enqueue(
        json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh token revoked\"}"));
    assertThatThrownBy(() -> user("old").token())
        .isInstanceOf(ApiException.InvalidGrant.class)
        .hasMessageContaining("authorize the app again");

    accounts.enqueue(
        json(400, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client\"}"));
    assertThatThrownBy(() -> RefreshingTokens.forApp(accountsClient, timing).token())
        .isInstanceOf(ApiException.InvalidClient.class)
        .hasMessageContaining("SPOTIFY_CLIENT_ID");
    assertThat(accounts.getRequestCount()).isEqualTo(2);
  }

  @Test
  void theTokenEndpointIsRetriedOn5xx() throws Exception {
    accounts.enqueue(json(503, "{}"));
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    assertThat(user("r").token().reveal()).isEqualTo("user-access-1");
    assertThat(accounts.getRequestCount()).isEqualTo(2);
  }

  @Test
  void noSecretAppearsInErrorsOrToString() throws Exception {
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    api.enqueue(json(401, "{\"error\":{\"status\":401,\"message\":\"Invalid access token\"}}"));
    accounts.enqueue(json(200, USER_TOKEN_JSON));
    api.enqueue(json(401, "{\"error\":{\"status\":401,\"message\":\"Invalid access token\"}}"));
    Throwable error = null;
    try {
      client.recentlyPlayed(user("refresh-secret-123"), null);
    } catch (ApiException e) {
      error = e;
    }
    assertThat(error).isNotNull();
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    assertThat(all.toString())
        .doesNotContain("refresh-secret-123")
        .doesNotContain("user-access-1")
        .doesNotContain("client-secret-xyz");
    assertThat(Secret.of("s3cr3t").toString()).doesNotContain("s3cr3t");
  }

  @Test
  void theGateHoldsEveryoneBackUntilRetryAfterAndSlowsDown() throws Exception {
    RequestGate gate = new RequestGate(10, timing);
    gate.acquire();
    gate.blockFor(Duration.ofSeconds(5));
    long before = timing.nanoTime();
    gate.acquire();
    assertThat(Duration.ofNanos(timing.nanoTime() - before))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(gate.currentRate()).as("halved by the 429").isEqualTo(5.0);
    for (int i = 0; i < 200; i++) {
      gate.accepted();
    }
    assertThat(gate.currentRate()).as("speeds back up after accepted requests").isGreaterThan(5.0);
  }

  @Test
  void aCallerThatReservedASlotBeforeA429WaitsOutTheBlockToo() throws Exception {
    // Worker A reserves the next slot and sleeps towards it; meanwhile another worker's request
    // is answered 429 with Retry-After 3 s. A must not send at its old slot.
    RequestGate[] gate = new RequestGate[1];
    Timing sleeper =
        new Timing() {
          @Override
          public long nanoTime() {
            return timing.nanoTime();
          }

          @Override
          public void sleep(Duration d) {
            timing.sleep(d);
            if (timing.sleeps.size() == 1) {
              gate[0].blockFor(Duration.ofSeconds(3));
            }
          }
        };
    gate[0] = new RequestGate(2, sleeper);
    gate[0].acquire(); // the first slot is free
    long start = timing.nanoTime();

    gate[0].acquire();

    assertThat(Duration.ofNanos(timing.nanoTime() - start))
        .as("A sends only after the 3 s block that began while it slept")
        .isGreaterThanOrEqualTo(Duration.ofMillis(3500));
  }

  @Test
  void the429sOfRequestsInFlightTogetherSlowThePaceOnceAndCountTheirWaitOnce() throws Exception {
    RequestGate gate = new RequestGate(16, timing);
    assertThat(gate.blockFor(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    timing.advance(Duration.ofMillis(100));
    // Two more requests that were on their way come back 429 with what is left, or a little more.
    assertThat(gate.blockFor(Duration.ofMillis(1900))).isZero();
    assertThat(gate.blockFor(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(1100));
    assertThat(gate.currentRate()).as("one cut for one overrun").isEqualTo(8.0);
    assertThat(gate.blockedTime()).isEqualTo(Duration.ofMillis(3100));
    timing.advance(Duration.ofSeconds(5));
    gate.blockFor(Duration.ofSeconds(1));
    assertThat(gate.currentRate()).as("a new overrun cuts again").isEqualTo(4.0);
  }

  @Test
  void aClosedGateLetsNobodyThrough() {
    RequestGate gate = new RequestGate(16, timing);
    gate.close(new ApiException.StopRun("quota", 429, Duration.ofHours(1), true));
    assertThatThrownBy(gate::acquire)
        .isInstanceOfSatisfying(
            ApiException.StopRun.class, e -> assertThat(e.quotaExhausted()).isTrue());
  }

  @Test
  void theGatePacesRequestsAtItsRate() throws Exception {
    RequestGate gate = new RequestGate(4, timing);
    long start = timing.nanoTime();
    for (int i = 0; i < 9; i++) {
      gate.acquire();
    }
    // 9 permits at 4/s: the first is free, the other 8 take 2 s.
    assertThat(Duration.ofNanos(timing.nanoTime() - start)).isEqualTo(Duration.ofSeconds(2));
  }
}
