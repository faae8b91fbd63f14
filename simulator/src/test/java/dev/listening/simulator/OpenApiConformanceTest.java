package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.listening.landing.AppMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real HTTP responses of the simulator, in both profiles, validated against the response schema of
 * their operation in the shared OpenAPI file (patched only as {@link OpenApiSchemas} explains).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiConformanceTest {
  private final Map<AppMode, SpotifySimulator> sims = new EnumMap<>(AppMode.class);

  @BeforeAll
  void start() {
    for (AppMode profile : AppMode.values()) {
      SimulatorConfig config =
          SimulatorConfig.defaults(profile)
              .withFaults(SimulatorConfig.Faults.none())
              .withRateLimit(SimulatorConfig.RateLimit.unlimited());
      sims.put(profile, SpotifySimulator.start(config, 0));
    }
  }

  @AfterAll
  void stop() {
    sims.values().forEach(SpotifySimulator::close);
  }

  /** The schema of an operation's response, as a pointer into the OpenAPI file. */
  private static String responseSchema(String path, int status) {
    JsonNode doc = OpenApiSchemas.document();
    JsonNode response =
        doc.path("paths").path(path).path("get").path("responses").path(Integer.toString(status));
    String ref = response.path("$ref").asText();
    assertThat(ref)
        .as("operation GET %s has a %s response", path, status)
        .startsWith("#/components/responses/");
    return ref + "/content/application~1json/schema";
  }

  private static String errorSchema(String component) {
    return "#/components/responses/" + component + "/content/application~1json/schema";
  }

  private static void assertConforms(AppMode profile, String schema, SimHttp.Resp r, String what) {
    assertThat(r.status()).as("%s: status (body %s)", what, abbreviate(r.body())).isLessThan(600);
    assertThat(r.header("Content-Type")).as(what).startsWith("application/json");
    assertThat(
            OpenApiSchemas.messages(OpenApiSchemas.forProfile(profile).validate(schema, r.body())))
        .as("%s (%s) against %s", what, profile, schema)
        .isEmpty();
  }

  private static String abbreviate(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }

  @ParameterizedTest
  @EnumSource(AppMode.class)
  void recentlyPlayedPagesConformAcrossTheDay(AppMode profile) {
    SpotifySimulator sim = sims.get(profile);
    SimHttp http = new SimHttp(sim);
    String schema = responseSchema("/me/player/recently-played", 200);
    Instant dayStart = sim.config().day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    boolean sawLocal = false;
    boolean sawNullContext = false;
    boolean sawEmptyPage = false;
    boolean sawFullPage = false;
    for (SimUser user : sim.users()) {
      if (user.tokenExpired()) {
        continue;
      }
      // Every four hours from midnight (nothing played yet: an empty page) to the next midnight.
      for (int hour = 0; hour <= 24; hour += 4) {
        sim.clock().set(dayStart.plus(Duration.ofHours(hour)));
        SimHttp.Resp r = http.api("/me/player/recently-played?limit=50", http.userToken(user));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertConforms(profile, schema, r, "recently-played " + user.key() + " at hour " + hour);
        JsonNode items = r.json().get("items");
        sawEmptyPage |= items.isEmpty();
        sawFullPage |= items.size() == 50;
        for (JsonNode item : items) {
          sawLocal |= item.path("track").path("is_local").asBoolean();
          sawNullContext |= item.get("context").isNull();
        }
      }
    }
    // The patches for local files and null contexts must have been exercised, not just present.
    assertThat(sawLocal).as("a local-file play was served").isTrue();
    assertThat(sawNullContext).as("a play without context was served").isTrue();
    assertThat(sawEmptyPage).as("an empty page was served").isTrue();
    assertThat(sawFullPage).as("a full page was served").isTrue();
  }

  @ParameterizedTest
  @EnumSource(AppMode.class)
  void theCurrentUsersProfileConformsAndCarriesTheAccountIdAsTheStableKey(AppMode profile) {
    SpotifySimulator sim = sims.get(profile);
    SimHttp http = new SimHttp(sim);
    for (SimUser user : sim.users().stream().filter(u -> !u.tokenExpired()).limit(3).toList()) {
      SimHttp.Resp r = http.api("/me", http.userToken(user));
      assertThat(r.status()).isEqualTo(200);
      assertConforms(profile, "#/components/schemas/PrivateUserObject", r, "/me " + user.key());
      assertThat(r.json().path("account_id").asText())
          .as("the simulator's account_id is the user's key in its truth")
          .isEqualTo(user.key());
      assertThat(r.json().has("email")).as("removed in 2026").isFalse();
    }
    assertThat(http.api("/me", http.clientToken()).status())
        .as("an app token is not a user")
        .isEqualTo(403);
  }

  @ParameterizedTest
  @EnumSource(AppMode.class)
  void singleLookupsConform(AppMode profile) {
    SpotifySimulator sim = sims.get(profile);
    SimHttp http = new SimHttp(sim);
    String token = http.clientToken();
    Catalog c = sim.catalog();
    List<Integer> tracks = new ArrayList<>();
    // Every flag combination the renderer knows (restricted, relinked, preview, explicit) appears.
    for (int flag :
        new int[] {
          Catalog.FLAG_EXPLICIT, Catalog.FLAG_PREVIEW, Catalog.FLAG_RESTRICTED, Catalog.FLAG_LINKED
        }) {
      for (int t = 0, found = 0; t < c.trackCount && found < 3; t++) {
        if ((c.trackFlags[t] & flag) != 0) {
          tracks.add(t);
          found++;
        }
      }
    }
    tracks.addAll(List.of(0, 1, c.trackCount - 1));
    assertThat(tracks).hasSizeGreaterThan(12);
    for (int t : tracks) {
      assertConforms(
          profile,
          responseSchema("/tracks/{id}", 200),
          http.api("/tracks/" + c.trackIds[t], token),
          "track " + t);
    }
    for (int b = 0; b < c.albumCount; b += Math.max(1, c.albumCount / 40)) {
      assertConforms(
          profile,
          responseSchema("/albums/{id}", 200),
          http.api("/albums/" + c.albumIds[b], token),
          "album " + b);
    }
    for (int a = 0; a < c.artistCount; a += Math.max(1, c.artistCount / 40)) {
      assertConforms(
          profile,
          responseSchema("/artists/{id}", 200),
          http.api("/artists/" + c.artistIds[a], token),
          "artist " + a);
    }
  }

  @Test
  void batchLookupsOfTheWholeCatalogConform() {
    AppMode profile = AppMode.EXTENDED;
    SpotifySimulator sim = sims.get(profile);
    SimHttp http = new SimHttp(sim);
    String token = http.clientToken();
    Catalog c = sim.catalog();
    checkBatches(profile, http, token, "/tracks", c.trackIds, 50);
    checkBatches(profile, http, token, "/albums", c.albumIds, 20);
    checkBatches(profile, http, token, "/artists", c.artistIds, 50);
  }

  private static void checkBatches(
      AppMode profile, SimHttp http, String token, String path, String[] ids, int size) {
    String schema = responseSchema(path, 200);
    for (int from = 0; from < ids.length; from += size) {
      String batch =
          String.join(
              ",", java.util.Arrays.copyOfRange(ids, from, Math.min(ids.length, from + size)));
      assertConforms(
          profile, schema, http.api(path + "?ids=" + batch, token), path + " batch at " + from);
    }
  }

  @Test
  void newReleasesOfEveryMarketConform() {
    AppMode profile = AppMode.EXTENDED;
    SpotifySimulator sim = sims.get(profile);
    SimHttp http = new SimHttp(sim);
    String token = http.clientToken();
    String schema = responseSchema("/browse/new-releases", 200);
    for (String market : sim.config().markets()) {
      String next = sim.apiBaseUrl() + "/browse/new-releases?country=" + market + "&limit=50";
      int pages = 0;
      while (next != null) {
        SimHttp.Resp r = http.get(next, token);
        assertConforms(profile, schema, r, "new releases " + market + " page " + pages);
        JsonNode albums = r.json().get("albums");
        next = albums.get("next").isNull() ? null : albums.get("next").asText();
        pages++;
      }
      assertThat(pages).as("60 releases at limit 50 take two pages").isEqualTo(2);
    }
  }

  /**
   * {@code GET /albums/{id}/tracks} stays open to development-mode apps (only the batch form of
   * album look-ups went in 2026): paged in both profiles, the box sets over several pages.
   */
  @ParameterizedTest
  @EnumSource(AppMode.class)
  void albumTrackPagesConformInBothModesAndListTheAlbumInOrder(AppMode profile) {
    SpotifySimulator sim = sims.get(profile);
    SimHttp http = new SimHttp(sim);
    String token = http.clientToken();
    Catalog c = sim.catalog();
    String schema = responseSchema("/albums/{id}/tracks", 200);
    java.util.Set<String> albums = new java.util.LinkedHashSet<>(c.boxSetAlbumIds());
    for (int b = 0; b < c.albumCount; b += Math.max(1, c.albumCount / 30)) {
      albums.add(c.albumIds[b]);
    }
    int pagedAlbums = 0;
    for (String album : albums) {
      String next = sim.apiBaseUrl() + "/albums/" + album + "/tracks?limit=50";
      List<String> ids = new ArrayList<>();
      int pages = 0;
      while (next != null) {
        SimHttp.Resp r = http.get(next, token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertConforms(profile, schema, r, "tracks of album " + album + " page " + pages);
        for (JsonNode t : r.json().get("items")) {
          ids.add(t.get("id").asText());
          assertThat(t.has("available_markets"))
              .as("available_markets only in extended mode")
              .isEqualTo(profile == AppMode.EXTENDED);
          assertThat(t.has("album")).as("simplified tracks carry no album").isFalse();
        }
        assertThat(r.json().get("total").asInt()).isEqualTo(ids.size() + remaining(r.json()));
        next = r.json().get("next").isNull() ? null : r.json().get("next").asText();
        pages++;
      }
      pagedAlbums += pages > 1 ? 1 : 0;
      assertThat(ids).as("album %s in order", album).isEqualTo(c.albumTrackIds(album).get());
    }
    assertThat(pagedAlbums)
        .as("every box set takes more than one page")
        .isEqualTo(Catalog.BOX_SETS);
    assertThat(http.api("/albums/0000000000000000000000/tracks", token).status()).isEqualTo(404);
    assertThat(http.api("/albums/not-an-id/tracks", token).status()).isEqualTo(400);
    String boxSet = c.boxSetAlbumIds().get(0);
    assertThat(http.api("/albums/" + boxSet + "/tracks?limit=51", token).status()).isEqualTo(400);
    SimHttp.Resp defaults = http.api("/albums/" + boxSet + "/tracks", token);
    assertThat(defaults.json().get("limit").asInt()).as("Spotify's default limit").isEqualTo(20);
    assertThat(defaults.json().get("items")).hasSize(20);
  }

  /** Tracks of the album after this page. */
  private static int remaining(JsonNode page) {
    return Math.max(
        0, page.get("total").asInt() - page.get("offset").asInt() - page.get("items").size());
  }

  @ParameterizedTest
  @EnumSource(AppMode.class)
  void playlistPagesConform(AppMode profile) {
    SpotifySimulator sim = sims.get(profile);
    SimHttp http = new SimHttp(sim);
    int pages = 0;
    for (SimUser user : sim.users()) {
      if (user.tokenExpired() || user.playlistIds().isEmpty()) {
        continue;
      }
      String token = http.userToken(user);
      for (String playlist : user.playlistIds()) {
        pages +=
            walk(
                profile,
                http,
                token,
                sim.apiBaseUrl() + "/playlists/" + playlist + "/items?limit=50",
                "/playlists/{playlist_id}/items");
        if (profile == AppMode.EXTENDED) {
          pages +=
              walk(
                  profile,
                  http,
                  token,
                  sim.apiBaseUrl() + "/playlists/" + playlist + "/tracks?limit=100",
                  "/playlists/{playlist_id}/tracks");
        }
      }
    }
    assertThat(pages).isGreaterThan(sim.config().playlists());
  }

  private static int walk(
      AppMode profile, SimHttp http, String token, String first, String operation) {
    String schema = responseSchema(operation, 200);
    String next = first;
    int pages = 0;
    while (next != null) {
      SimHttp.Resp r = http.get(next, token);
      assertConforms(profile, schema, r, operation + " page " + pages);
      next = r.json().get("next").isNull() ? null : r.json().get("next").asText();
      pages++;
    }
    return pages;
  }

  @ParameterizedTest
  @EnumSource(AppMode.class)
  void errorBodiesConform(AppMode profile) {
    SpotifySimulator sim = sims.get(profile);
    SimHttp http = new SimHttp(sim);
    String client = http.clientToken();
    SimHttp.Resp missing = http.api("/tracks/" + sim.catalog().trackIds().get(0), null);
    assertThat(missing.status()).isEqualTo(401);
    assertConforms(profile, errorSchema("Unauthorized"), missing, "401 without token");
    SimHttp.Resp forbidden = http.api("/me/player/recently-played", client);
    assertThat(forbidden.status()).isEqualTo(403);
    assertConforms(profile, errorSchema("Forbidden"), forbidden, "403 client token on /me");
    SimHttp.Resp notFound = http.api("/tracks/0000000000000000000000", client);
    assertThat(notFound.status()).isEqualTo(404);
    assertConforms(profile, errorSchema("NotFound"), notFound, "404 unknown track");
    SimHttp.Resp bad = http.api("/tracks/not-an-id", client);
    assertThat(bad.status()).isEqualTo(400);
    assertConforms(profile, errorSchema("BadRequest"), bad, "400 malformed id");
    if (profile == AppMode.DEVELOPMENT) {
      SimHttp.Resp batch = http.api("/tracks?ids=" + sim.catalog().trackIds().get(0), client);
      assertThat(batch.status()).isEqualTo(403);
      assertConforms(profile, errorSchema("Forbidden"), batch, "403 batch in development");
    }
    try {
      sim.setRateLimit(
          SimulatorConfig.RateLimit.defaults()
              .withRequestsPerWindow(1)
              .withRetryAfterMissingShare(0));
      http.api("/tracks/" + sim.catalog().trackIds().get(0), client);
      SimHttp.Resp limited = http.api("/tracks/" + sim.catalog().trackIds().get(0), client);
      assertThat(limited.status()).isEqualTo(429);
      assertConforms(profile, errorSchema("TooManyRequests"), limited, "429 rate limit");
      sim.setRateLimit(SimulatorConfig.RateLimit.unlimited().withDailyQuota(1));
      http.api("/tracks/" + sim.catalog().trackIds().get(0), client);
      SimHttp.Resp quota = http.api("/tracks/" + sim.catalog().trackIds().get(0), client);
      assertThat(quota.json().at("/error/reason").asText()).isEqualTo("QUOTA_EXCEEDED");
      assertConforms(profile, errorSchema("TooManyRequests"), quota, "429 quota");
    } finally {
      sim.setRateLimit(SimulatorConfig.RateLimit.unlimited());
    }
  }

  // --- The validation itself must be able to fail, or the tests above prove nothing. ---

  @Test
  void validationRejectsAPageWithoutItems() {
    SpotifySimulator sim = sims.get(AppMode.EXTENDED);
    SimHttp http = new SimHttp(sim);
    SimUser owner = http.firstUserWithPlaylists();
    JsonNode page =
        http.api("/playlists/" + owner.playlistIds().get(0) + "/items", http.userToken(owner))
            .json();
    String schema = responseSchema("/playlists/{playlist_id}/items", 200);
    OpenApiSchemas schemas = OpenApiSchemas.forProfile(AppMode.EXTENDED);
    assertThat(schemas.validate(schema, page)).isEmpty();
    ((ObjectNode) page).remove("items");
    assertThat(OpenApiSchemas.messages(schemas.validate(schema, page)))
        .anyMatch(m -> m.contains("items"));
  }

  @Test
  void validationRejectsPlayedAtAsANumber() {
    SpotifySimulator sim = sims.get(AppMode.EXTENDED);
    SimHttp http = new SimHttp(sim);
    SimUser user = sim.users().stream().filter(u -> !u.tokenExpired()).findFirst().orElseThrow();
    sim.clock()
        .set(
            sim.config()
                .day()
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant()
                .plus(Duration.ofHours(23)));
    JsonNode page = http.api("/me/player/recently-played?limit=5", http.userToken(user)).json();
    String schema = responseSchema("/me/player/recently-played", 200);
    OpenApiSchemas schemas = OpenApiSchemas.forProfile(AppMode.EXTENDED);
    assertThat(page.get("items")).isNotEmpty();
    assertThat(schemas.validate(schema, page)).isEmpty();
    ((ObjectNode) page.get("items").get(0)).put("played_at", 1795189868386L);
    assertThat(OpenApiSchemas.messages(schemas.validate(schema, page)))
        .anyMatch(m -> m.contains("played_at"));
  }

  @Test
  void validationRejectsAnAlbumWithoutLabelInExtendedButNotInDevelopment() {
    SpotifySimulator sim = sims.get(AppMode.EXTENDED);
    SimHttp http = new SimHttp(sim);
    JsonNode album =
        http.api("/albums/" + sim.catalog().albumIds().get(0), http.clientToken()).json();
    ((ObjectNode) album).remove(List.of("label", "popularity"));
    String schema = responseSchema("/albums/{id}", 200);
    assertThat(
            OpenApiSchemas.messages(
                OpenApiSchemas.forProfile(AppMode.EXTENDED).validate(schema, album)))
        .anyMatch(m -> m.contains("label"));
    assertThat(OpenApiSchemas.forProfile(AppMode.DEVELOPMENT).validate(schema, album)).isEmpty();
  }

  @Test
  void localFileNullsAreAllowedOnlyOnLocalTracks() {
    SpotifySimulator sim = sims.get(AppMode.EXTENDED);
    JsonRenderer renderer = new JsonRenderer(sim.catalog(), true, sim.apiBaseUrl());
    String schema = responseSchema("/tracks/{id}", 200);
    String local = renderer.track(-1).getValue();
    // As published, the file rejects a local track (null ids): the patch is needed...
    assertThat(OpenApiSchemas.unpatched().validate(schema, local)).isNotEmpty();
    assertThat(OpenApiSchemas.forProfile(AppMode.EXTENDED).validate(schema, local)).isEmpty();
    // ...but it does not let a catalog track (is_local false) get away with a null id.
    ObjectNode catalogTrack =
        (ObjectNode) SimHttp.JSON.valueToTree(readTree(renderer.track(0).getValue()));
    catalogTrack.putNull("id");
    ((ObjectNode) catalogTrack.get("album")).putNull("id");
    assertThat(OpenApiSchemas.forProfile(AppMode.EXTENDED).validate(schema, catalogTrack))
        .isNotEmpty();
  }

  @Test
  void validationRejectsAWrongErrorBody() {
    OpenApiSchemas schemas = OpenApiSchemas.forProfile(AppMode.EXTENDED);
    assertThat(
            schemas.validate(
                errorSchema("Unauthorized"), "{\"error\":{\"status\":401,\"message\":\"x\"}}"))
        .isEmpty();
    // The token endpoint's shape is not an API error: this is what a confused server would send.
    assertThat(
            schemas.validate(
                errorSchema("Unauthorized"),
                "{\"error\":\"invalid_client\",\"error_description\":\"x\"}"))
        .isNotEmpty();
    assertThat(schemas.validate(errorSchema("Unauthorized"), "{\"error\":{\"status\":401}}"))
        .isNotEmpty();
  }

  private static JsonNode readTree(String json) {
    try {
      return SimHttp.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
