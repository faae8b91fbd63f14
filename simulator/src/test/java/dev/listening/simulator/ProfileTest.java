package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.landing.AppMode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The two 2026 API surfaces: what development mode lacks and extended mode has. */
class ProfileTest {
  private static SpotifySimulator dev;
  private static SpotifySimulator ext;

  @BeforeAll
  static void start() {
    dev = SpotifySimulator.start(quiet(SimulatorConfig.defaults(AppMode.DEVELOPMENT)), 0);
    ext = SpotifySimulator.start(quiet(SimulatorConfig.defaults()), 0);
  }

  private static SimulatorConfig quiet(SimulatorConfig c) {
    return c.withFaults(SimulatorConfig.Faults.none())
        .withRateLimit(SimulatorConfig.RateLimit.unlimited());
  }

  @AfterAll
  static void stop() {
    dev.close();
    ext.close();
  }

  @Test
  void developmentRefusesBatchLookupsNewReleasesAndLegacyPlaylistTracks() {
    SimHttp http = new SimHttp(dev);
    String client = http.clientToken();
    Catalog c = dev.catalog();
    for (String path :
        List.of(
            "/tracks?ids=" + c.trackIds().get(0),
            "/albums?ids=" + c.albumIds().get(0),
            "/artists?ids=" + c.artistIds().get(0),
            "/browse/new-releases?country=SE")) {
      SimHttp.Resp r = http.api(path, client);
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(r.json().at("/error/status").asInt()).isEqualTo(403);
    }
    SimUser owner = http.firstUserWithPlaylists();
    String token = http.userToken(owner);
    String playlist = owner.playlistIds().get(0);
    assertThat(http.api("/playlists/" + playlist + "/tracks", token).status()).isEqualTo(403);
    JsonNode items = http.api("/playlists/" + playlist + "/items", token).json();
    assertThat(items.at("/items/0").has("item")).isTrue();
    assertThat(items.at("/items/0").has("track")).as("items carry item, not track").isFalse();
  }

  @Test
  void extendedServesBatchesInOrderWithNullForUnknownIds() {
    SimHttp http = new SimHttp(ext);
    String client = http.clientToken();
    List<String> ids = ext.catalog().trackIds();
    JsonNode batch =
        http.api("/tracks?ids=" + ids.get(3) + ",0000000000000000000000," + ids.get(1), client)
            .json();
    assertThat(batch.get("tracks")).hasSize(3);
    assertThat(batch.at("/tracks/0/id").asText()).isEqualTo(ids.get(3));
    assertThat(batch.at("/tracks/1").isNull()).isTrue();
    assertThat(batch.at("/tracks/2/id").asText()).isEqualTo(ids.get(1));
    String tooMany = String.join(",", ids.subList(0, 51));
    SimHttp.Resp r = http.api("/tracks?ids=" + tooMany, client);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/message").asText()).isEqualTo("Too many ids requested");
    assertThat(
            http.api(
                    "/albums?ids=" + String.join(",", ext.catalog().albumIds().subList(0, 21)),
                    client)
                .status())
        .as("albums batch max is 20")
        .isEqualTo(400);
    assertThat(
            http.api(
                    "/albums?ids=" + String.join(",", ext.catalog().albumIds().subList(0, 20)),
                    client)
                .status())
        .isEqualTo(200);
    assertThat(http.api("/tracks?ids=" + ids.get(0) + ",bad!id", client).status()).isEqualTo(400);
    SimUser owner = http.firstUserWithPlaylists();
    JsonNode legacy =
        http.api(
                "/playlists/" + owner.playlistIds().get(0) + "/tracks?limit=100",
                http.userToken(owner))
            .json();
    assertThat(legacy.at("/items/0").has("track")).isTrue();
    assertThat(legacy.at("/items/0").has("item")).isFalse();
    assertThat(
            http.api(
                    "/playlists/" + owner.playlistIds().get(0) + "/items?limit=100",
                    http.userToken(owner))
                .status())
        .as("items allows at most 50")
        .isEqualTo(400);
  }

  @Test
  void removedFieldsAreAbsentInDevelopmentAndPresentInExtended() {
    for (SpotifySimulator sim : List.of(dev, ext)) {
      boolean extended = sim == ext;
      SimHttp http = new SimHttp(sim);
      String client = http.clientToken();
      Catalog c = sim.catalog();
      int linked = firstWithFlag(c, Catalog.FLAG_LINKED);
      JsonNode track = http.api("/tracks/" + c.trackIds[linked], client).json();
      assertThat(track.has("popularity")).isEqualTo(extended);
      assertThat(track.has("available_markets")).isEqualTo(extended);
      assertThat(track.has("linked_from")).isEqualTo(extended);
      assertThat(track.at("/external_ids/isrc").asText())
          .as("isrc in both")
          .matches("[A-Z]{2}[A-Z0-9]{3}\\d{7}");
      JsonNode album = http.api("/albums/" + c.albumIds[0], client).json();
      assertThat(album.has("label")).isEqualTo(extended);
      assertThat(album.has("popularity")).isEqualTo(extended);
      assertThat(album.get("genres")).isEmpty();
      assertThat(album.get("copyrights")).isNotEmpty();
      JsonNode artist = http.api("/artists/" + c.artistIds[1], client).json();
      assertThat(artist.has("followers")).isEqualTo(extended);
      assertThat(artist.has("popularity")).isEqualTo(extended);
    }
  }

  @Test
  void newReleasesPageThroughEachMarketDeterministically() {
    SimHttp http = new SimHttp(ext);
    String client = http.clientToken();
    JsonNode first =
        http.api("/browse/new-releases?country=SE&limit=50", client).json().get("albums");
    assertThat(first.get("total").asInt()).isEqualTo(60);
    assertThat(first.get("items")).hasSize(50);
    assertThat(first.get("previous").isNull()).isTrue();
    JsonNode second = http.get(first.get("next").asText(), client).json().get("albums");
    assertThat(second.get("items")).hasSize(10);
    assertThat(second.get("offset").asInt()).isEqualTo(50);
    assertThat(second.get("next").isNull()).isTrue();
    assertThat(second.get("previous").asText()).contains("offset=0");
    List<String> ids = new java.util.ArrayList<>();
    first.get("items").forEach(a -> ids.add(a.get("id").asText()));
    second.get("items").forEach(a -> ids.add(a.get("id").asText()));
    assertThat(ids).isEqualTo(ext.catalog().newReleaseAlbumIds("SE"));
    assertThat(http.api("/browse/new-releases?country=SE&limit=51", client).status())
        .isEqualTo(400);
  }

  @Test
  void developmentAllowsAtMostFiveUsers() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SimulatorConfig.defaults(AppMode.DEVELOPMENT).withUsers(6))
        .hasMessageContaining("users must be <= 5 in development profile");
  }

  private static int firstWithFlag(Catalog c, int flag) {
    for (int t = 0; t < c.trackCount; t++) {
      if ((c.trackFlags[t] & flag) != 0) {
        return t;
      }
    }
    throw new AssertionError("no track with flag " + flag);
  }
}
