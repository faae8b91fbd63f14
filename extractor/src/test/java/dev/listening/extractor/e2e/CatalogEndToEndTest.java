package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.landing.AppMode;
import dev.listening.simulator.SimUser;
import dev.listening.simulator.SimulatorConfig;
import dev.listening.simulator.SpotifySimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Look-ups, new releases and playlist items against the simulator, in both app modes. */
class CatalogEndToEndTest {
  @TempDir Path dir;

  private static SimulatorConfig extended() {
    return SimulatorConfig.defaults()
        .withSeed(5)
        .withFaults(
            SimulatorConfig.Faults.defaults()
                .withSlowDelay(Duration.ofMillis(10))
                .withServerErrorRate(0.05));
  }

  private static SimulatorConfig development() {
    return SimulatorConfig.defaults(AppMode.DEVELOPMENT)
        .withSeed(5)
        .withFaults(
            SimulatorConfig.Faults.defaults()
                .withSlowDelay(Duration.ofMillis(10))
                // Every access token dies after 1 to 20 uses: 25+ calls must see a 401.
                .withTokenExpiryRate(1.0));
  }

  /** Ids asked for, per landed request, as (kind, id) strings; each must appear once. */
  private static List<String> requestedIds(Path landing, String endpoint) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : Landed.envelopes(landing, endpoint)) {
      JsonNode params = e.path("request").path("params");
      if (params.has("ids")) {
        out.addAll(List.of(params.path("ids").asText().split(",")));
      } else {
        out.add(params.path("id").asText());
      }
    }
    return out;
  }

  private static Set<String> returnedIds(Path landing, String endpoint) {
    Set<String> out = new TreeSet<>();
    for (JsonNode e : Landed.envelopes(landing, endpoint)) {
      JsonNode r = e.path("response");
      if (e.path("http_status").asInt() != 200) {
        continue;
      }
      if (r.has(endpoint)) {
        r.path(endpoint)
            .forEach(
                o -> {
                  if (!o.isNull()) {
                    out.add(o.path("id").asText());
                  }
                });
      } else {
        out.add(r.path("id").asText());
      }
    }
    return out;
  }

  @Test
  void extendedModeLooksUpInFullBatchesEachIdOnceAndLandsUnknownIds() {
    Path landing = dir.resolve("landing");
    try (SpotifySimulator sim = SpotifySimulator.start(extended(), 0)) {
      List<String> tracks = new ArrayList<>(sim.catalog().trackIds().subList(0, 120));
      tracks.add("0000000000000000000000"); // unknown: a null in its batch
      tracks.add(tracks.get(0)); // listed twice, asked once
      List<String> albums = sim.catalog().albumIds().subList(0, 45);
      List<String> artists = sim.catalog().artistIds().subList(0, 30);

      Cli.Result r =
          Cli.run(
              Cli.args(
                  "lookups",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "lk1",
                  "--date",
                  "2026-11-20",
                  "--app-mode",
                  "extended",
                  "--track-ids",
                  String.join(",", tracks),
                  "--album-ids",
                  String.join(",", albums),
                  "--artist-ids",
                  String.join(",", artists)));

      assertThat(r.exitCode()).as(r.stderr()).isZero();
      List<String> askedTracks = requestedIds(landing, "tracks");
      assertThat(askedTracks).doesNotHaveDuplicates().hasSize(121);
      assertThat(Landed.envelopes(landing, "tracks")).as("121 ids in batches of 50").hasSize(3);
      assertThat(Landed.envelopes(landing, "albums")).as("45 ids in batches of 20").hasSize(3);
      assertThat(Landed.envelopes(landing, "artists")).as("30 ids in one batch").hasSize(1);
      assertThat(returnedIds(landing, "tracks"))
          .hasSize(120)
          .doesNotContain("0000000000000000000000");
      assertThat(returnedIds(landing, "albums")).containsExactlyInAnyOrderElementsOf(albums);
      assertThat(r.summary().path("not_found").asInt()).isEqualTo(1);
      assertThat(sim.stats().byEndpoint()).containsKey("tracks-batch").doesNotContainKey("tracks");
      for (String kind : List.of("tracks", "albums", "artists")) {
        assertThat(Landed.manifests(landing, kind).get(0).path("status").asText())
            .isEqualTo("complete");
      }
    }
  }

  @Test
  void lookUpsStoppedByTheQuotaResumeWithoutAskingForAnyIdTwice() throws Exception {
    Path landing = dir.resolve("landing-quota");
    try (SpotifySimulator sim = SpotifySimulator.start(threeCallsPerQuota(), 0)) {
      List<String> tracks = sim.catalog().trackIds().subList(0, 120);
      List<String> albums = sim.catalog().albumIds().subList(0, 45);
      List<String> artists = sim.catalog().artistIds().subList(0, 30);
      List<Cli.Result> attempts =
          untilComplete(
              Cli.args(
                  "lookups",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "lk-quota",
                  "--date",
                  "2026-11-20",
                  "--app-mode",
                  "extended",
                  "--track-ids",
                  String.join(",", tracks),
                  "--album-ids",
                  String.join(",", albums),
                  "--artist-ids",
                  String.join(",", artists)));

      // 7 batches (3 + 3 + 1) at 3 per quota: stopped twice, done on the third attempt.
      assertThat(attempts).hasSize(3);
      assertThat(attempts.get(0).summary().path("status").asText()).isEqualTo("partial");
      assertThat(requestedIds(landing, "tracks")).doesNotHaveDuplicates().hasSize(120);
      assertThat(requestedIds(landing, "albums")).doesNotHaveDuplicates().hasSize(45);
      assertThat(requestedIds(landing, "artists")).doesNotHaveDuplicates().hasSize(30);
      assertThat(sim.stats().accepted()).as("no id asked twice").isEqualTo(7);
      assertThat(sim.stats().earlyRequests()).as("none before the quota was back").isZero();
      for (String kind : List.of("tracks", "albums", "artists")) {
        assertThat(Landed.manifests(landing, kind).get(0).path("status").asText())
            .isEqualTo("complete");
      }
    }
  }

  @Test
  void aMalformedIdIsLandedAsAnsweredNotRetriedAsAFailure() {
    Path landing = dir.resolve("landing-invalid");
    try (SpotifySimulator sim =
        SpotifySimulator.start(
            SimulatorConfig.defaults().withSeed(5).withFaults(SimulatorConfig.Faults.none()), 0)) {
      String good = sim.catalog().trackIds().get(0);
      Cli.Result r =
          Cli.run(
              Cli.args(
                  "lookups",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "lk-bad",
                  "--date",
                  "2026-11-20",
                  "--app-mode",
                  "extended",
                  "--track-ids",
                  good + ",abc"));

      assertThat(r.exitCode())
          .as("a 400 is Spotify's answer, not a failure: " + r.stderr())
          .isZero();
      assertThat(r.summary().path("status").asText()).isEqualTo("complete");
      assertThat(r.summary().path("invalid_ids").asInt()).isEqualTo(1);
      assertThat(Landed.envelopes(landing, "tracks"))
          .anySatisfy(e -> assertThat(e.path("http_status").asInt()).isEqualTo(400))
          .anySatisfy(e -> assertThat(e.path("http_status").asInt()).isEqualTo(200));
    }
  }

  @Test
  void oneRefusedBatchSwitchesEveryKindToSingleCallsEvenWithManyWorkers() {
    Path landing = dir.resolve("landing-parallel");
    try (SpotifySimulator sim =
        SpotifySimulator.start(development().withFaults(SimulatorConfig.Faults.none()), 0)) {
      Cli.Result r =
          Cli.run(
              Cli.args(
                  "lookups",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "lk-par",
                  "--date",
                  "2026-11-20",
                  "--app-mode",
                  "auto",
                  "--concurrency",
                  "8",
                  "--track-ids",
                  String.join(",", sim.catalog().trackIds().subList(0, 120)),
                  "--album-ids",
                  String.join(",", sim.catalog().albumIds().subList(0, 60)),
                  "--artist-ids",
                  String.join(",", sim.catalog().artistIds().subList(0, 60))));

      assertThat(r.exitCode()).as(r.stderr()).isZero();
      Map<String, Long> calls = sim.stats().byEndpoint();
      assertThat(
              calls.getOrDefault("tracks-batch", 0L)
                  + calls.getOrDefault("albums-batch", 0L)
                  + calls.getOrDefault("artists-batch", 0L))
          .as("Spotify removed every batch look-up together: one 403 is enough (%s)", calls)
          .isEqualTo(1L);
      assertThat(calls.get("tracks") + calls.get("albums") + calls.get("artists"))
          .as("then one call per id")
          .isEqualTo(240L);
    }
  }

  @Test
  void developmentModeIsFoundOutFromA403AndFallsBackToOneCallPerId() {
    Path landing = dir.resolve("landing");
    try (SpotifySimulator sim = SpotifySimulator.start(development(), 0)) {
      List<String> tracks = sim.catalog().trackIds().subList(0, 25);
      List<String> albums = sim.catalog().albumIds().subList(0, 5);

      Cli.Result r =
          Cli.run(
              Cli.args(
                  "lookups",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "lk1",
                  "--date",
                  "2026-11-20",
                  "--app-mode",
                  "auto",
                  "--concurrency",
                  "1",
                  "--track-ids",
                  String.join(",", tracks),
                  "--album-ids",
                  String.join(",", albums),
                  "--artist-ids",
                  sim.catalog().artistIds().get(0) + ",0000000000000000000000"));

      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.stderr()).contains("development mode");
      assertThat(requestedIds(landing, "tracks")).containsExactlyElementsOf(tracks);
      assertThat(requestedIds(landing, "albums")).containsExactlyElementsOf(albums);
      assertThat(returnedIds(landing, "tracks")).containsExactlyInAnyOrderElementsOf(tracks);
      assertThat(r.summary().path("not_found").asInt())
          .as("the unknown artist's 404 is landed")
          .isEqualTo(1);
      assertThat(Landed.envelopes(landing, "artists"))
          .anySatisfy(e -> assertThat(e.path("http_status").asInt()).isEqualTo(404));
      assertThat(sim.stats().byEndpoint().getOrDefault("tracks-batch", 0L))
          .as("one refused probe, then single calls only")
          .isEqualTo(1L);
      assertThat(r.summary().path("app_mode").asText()).isEqualTo("development");
      assertThat(r.summary().path("token_refreshes_after_401").asInt())
          .as("the app token expired mid-run and was refreshed, once per 401")
          .isPositive();
      assertThat(Landed.envelopes(landing, "tracks"))
          .allSatisfy(
              e -> assertThat(e.path("response").path("popularity").isMissingNode()).isTrue());
    }
  }

  @Test
  void configuredDevelopmentModeNeverTriesABatch() {
    Path landing = dir.resolve("landing");
    try (SpotifySimulator sim = SpotifySimulator.start(development(), 0)) {
      Cli.Result r =
          Cli.run(
              Cli.args(
                  "lookups",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "lk1",
                  "--app-mode",
                  "development",
                  "--track-ids",
                  String.join(",", sim.catalog().trackIds().subList(0, 3))));
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(sim.stats().byEndpoint()).doesNotContainKey("tracks-batch");
      assertThat(sim.stats().byEndpoint().get("tracks")).isEqualTo(3L);
    }
  }

  /**
   * Each album's track list as landed: the first page an album look-up carried ({@code
   * tracks.items}), then the album-tracks pages in offset order.
   */
  private static Map<String, List<String>> trackListsLanded(Path landing) {
    Map<String, java.util.TreeMap<Integer, String>> byAlbum = new HashMap<>();
    for (JsonNode e : Landed.envelopes(landing, "albums")) {
      JsonNode r = e.path("response");
      List<JsonNode> albums = new ArrayList<>();
      if (r.has("albums")) {
        r.path("albums").forEach(albums::add);
      } else if (e.path("http_status").asInt() == 200) {
        albums.add(r);
      }
      for (JsonNode a : albums) {
        JsonNode items = a.path("tracks").path("items");
        for (int i = 0; i < items.size(); i++) {
          byAlbum
              .computeIfAbsent(a.path("id").asText(), k -> new java.util.TreeMap<>())
              .put(i, items.get(i).path("id").asText());
        }
      }
    }
    for (JsonNode e : Landed.envelopes(landing, "album_tracks")) {
      if (e.path("http_status").asInt() != 200) {
        continue;
      }
      JsonNode page = e.path("response");
      String album = e.path("request").path("params").path("id").asText();
      JsonNode items = page.path("items");
      for (int i = 0; i < items.size(); i++) {
        byAlbum
            .computeIfAbsent(album, k -> new java.util.TreeMap<>())
            .put(page.path("offset").asInt() + i, items.get(i).path("id").asText());
      }
    }
    Map<String, List<String>> out = new HashMap<>();
    byAlbum.forEach((album, tracks) -> out.put(album, new ArrayList<>(tracks.values())));
    return out;
  }

  /**
   * Both app modes keep {@code GET /albums/{id}/tracks}. A box set needs more than one page; an
   * album looked up in the same run already carried its first page (all of a short album), so the
   * run asks only for what is missing, and an unknown album is landed as answered.
   */
  @ParameterizedTest
  @EnumSource(AppMode.class)
  void albumTrackListsArePagedAndSkipWhatTheRunsAlbumLookUpsCarried(AppMode mode) {
    Path landing = dir.resolve("landing-" + mode.wireName());
    SimulatorConfig config =
        (mode == AppMode.EXTENDED ? extended() : development())
            .withFaults(SimulatorConfig.Faults.none());
    try (SpotifySimulator sim = SpotifySimulator.start(config, 0)) {
      List<String> boxSets = sim.catalog().boxSetAlbumIds();
      String boxLookedUp = boxSets.get(0);
      String boxOnly = boxSets.get(1);
      String shortLookedUp = sim.catalog().albumIds().get(0);
      String shortOnly = sim.catalog().albumIds().get(1);
      String unknown = "0000000000000000000000";

      Cli.Result r =
          Cli.run(
              Cli.args(
                  "lookups",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "lk-tracks",
                  "--date",
                  "2026-11-20",
                  "--app-mode",
                  "auto",
                  "--album-ids",
                  boxLookedUp + "," + shortLookedUp,
                  "--album-tracks-ids",
                  String.join(",", boxLookedUp, boxOnly, shortLookedUp, shortOnly, unknown)));

      assertThat(r.exitCode()).as(r.stderr()).isZero();
      Map<String, List<String>> lists = trackListsLanded(landing);
      for (String album : List.of(boxLookedUp, boxOnly, shortLookedUp, shortOnly)) {
        assertThat(lists.get(album))
            .as("album %s: every track, in album order", album)
            .isEqualTo(sim.catalog().albumTrackIds(album).orElseThrow());
      }
      int boxLookedUpTracks = lists.get(boxLookedUp).size();
      int boxOnlyTracks = lists.get(boxOnly).size();
      long expected =
          (boxLookedUpTracks - 50 + 49) / 50 // after the 50 its look-up carried
              + (boxOnlyTracks + 49) / 50 // every page
              + 1 // the short album not looked up
              + 1; // the unknown album's 404, landed
      assertThat(sim.stats().byEndpoint().get("album-tracks"))
          .as("requests for album tracks: nothing for the short album its look-up carried")
          .isEqualTo(expected);
      assertThat(r.summary().path("album_tracks_pages").asLong()).isEqualTo(expected);
      assertThat(r.summary().path("album_tracks_carried_by_lookups").asInt()).isEqualTo(1);
      assertThat(Landed.envelopes(landing, "album_tracks"))
          .anySatisfy(e -> assertThat(e.path("http_status").asInt()).isEqualTo(404))
          .allSatisfy(
              e ->
                  assertThat(e.path("app_mode").asText())
                      .as("the page's surface")
                      .isEqualTo(mode.wireName()))
          .allSatisfy(
              e ->
                  e.path("response")
                      .path("items")
                      .forEach(
                          t ->
                              assertThat(t.has("available_markets"))
                                  .isEqualTo(mode == AppMode.EXTENDED)));
      assertThat(Landed.manifests(landing, "album_tracks").get(0).path("status").asText())
          .isEqualTo("complete");
    }
  }

  @Test
  void newReleasesLandEveryPagePerMarketInExtendedMode() {
    Path landing = dir.resolve("landing");
    try (SpotifySimulator sim = SpotifySimulator.start(extended(), 0)) {
      Cli.Result r =
          Cli.run(
              Cli.args(
                  "new-releases",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "nr1",
                  "--markets",
                  "SE,jp"));
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      Map<String, Set<String>> byMarket = new HashMap<>();
      for (JsonNode e : Landed.envelopes(landing, "new_releases")) {
        String market = e.path("request").path("params").path("country").asText();
        e.path("response")
            .path("albums")
            .path("items")
            .forEach(
                a ->
                    byMarket
                        .computeIfAbsent(market, m -> new TreeSet<>())
                        .add(a.path("id").asText()));
      }
      assertThat(byMarket.get("SE"))
          .containsExactlyInAnyOrderElementsOf(sim.catalog().newReleaseAlbumIds("SE"));
      assertThat(byMarket.get("JP"))
          .containsExactlyInAnyOrderElementsOf(sim.catalog().newReleaseAlbumIds("JP"));
      assertThat(r.summary().path("pages").asInt())
          .as("60 releases per market at 50 a page")
          .isEqualTo(4);
    }
  }

  /** A simulator that serves 3 calls per daily quota, back a second after it runs out. */
  private static SimulatorConfig threeCallsPerQuota() {
    return SimulatorConfig.defaults()
        .withSeed(5)
        .withFaults(SimulatorConfig.Faults.none())
        .withRateLimit(
            SimulatorConfig.RateLimit.unlimited()
                .withDailyQuota(3)
                .withQuotaRetryAfter(Duration.ofSeconds(1)));
  }

  /** Runs a command until it completes, waiting out each quota stop as the scheduler would. */
  private static List<Cli.Result> untilComplete(String[] args) throws InterruptedException {
    List<Cli.Result> attempts = new ArrayList<>();
    Cli.Result r;
    do {
      r = Cli.run(args);
      attempts.add(r);
      if (r.exitCode() == 3) {
        // As the scheduler would: the next attempt once the announced wait is over.
        Thread.sleep(1000 * r.summary().path("retry_after_seconds").asLong());
      }
    } while (r.exitCode() == 3 && attempts.size() < 8);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return attempts;
  }

  @Test
  void newReleasesStoppedByTheQuotaContinueAfterTheLastLandedPage() throws Exception {
    Path landing = dir.resolve("landing-nr-quota");
    try (SpotifySimulator sim = SpotifySimulator.start(threeCallsPerQuota(), 0)) {
      List<Cli.Result> attempts =
          untilComplete(
              Cli.args(
                  "new-releases",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "nr-quota",
                  "--markets",
                  "SE,JP,DE,FR"));

      // 4 markets x 2 pages at 3 calls per quota: stopped inside JP and FR, done on the third.
      assertThat(attempts).hasSize(3);
      assertThat(attempts.get(1).summary().path("markets_continued").asInt())
          .as("the second attempt picks up the market the first stopped in")
          .isEqualTo(1);
      List<String> pages = new ArrayList<>();
      Map<String, List<String>> albums = new HashMap<>();
      for (JsonNode e : Landed.envelopes(landing, "new_releases")) {
        String market = e.path("request").path("params").path("country").asText();
        pages.add(market + "@" + e.path("response").path("albums").path("offset").asInt());
        e.path("response")
            .path("albums")
            .path("items")
            .forEach(
                a ->
                    albums
                        .computeIfAbsent(market, m -> new ArrayList<>())
                        .add(a.path("id").asText()));
      }
      assertThat(pages).as("every page landed once").doesNotHaveDuplicates().hasSize(8);
      for (String market : List.of("SE", "JP", "DE", "FR")) {
        assertThat(albums.get(market))
            .containsExactlyInAnyOrderElementsOf(sim.catalog().newReleaseAlbumIds(market));
      }
      assertThat(sim.stats().accepted()).as("no page asked for twice").isEqualTo(8);
      assertThat(Landed.manifests(landing, "new_releases").get(0).path("status").asText())
          .isEqualTo("complete");
    }
  }

  @Test
  void playlistItemsStoppedByTheQuotaContinueAfterTheLastLandedPage() throws Exception {
    Path landing = dir.resolve("landing-pl-quota");
    try (SpotifySimulator sim = SpotifySimulator.start(threeCallsPerQuota(), 0)) {
      // Playlists whose pages add up to more than 3, none ending on the 3rd page: at 3 calls per
      // quota the first attempt stops inside a playlist, which the next must continue.
      List<String> targets = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      int pagesExpected = 0;
      for (SimUser u : sim.users()) {
        if (u.tokenExpired() || pagesExpected > 3) {
          continue;
        }
        for (String playlist : u.playlistIds()) {
          List<String> uris = sim.catalog().playlistTrackUris(playlist).orElseThrow();
          int pages = Math.max(1, (uris.size() + 49) / 50);
          if (pagesExpected + pages == 3 || pagesExpected > 3) {
            continue;
          }
          targets.add("--playlist");
          targets.add(u.key() + ":" + playlist);
          expected.addAll(uris);
          pagesExpected += pages;
        }
      }
      assertThat(pagesExpected)
          .as("playlists of more than 3 pages in the simulator")
          .isGreaterThan(3);
      targets.addAll(0, List.of("--run-id", "pl-quota"));
      List<Cli.Result> attempts =
          untilComplete(
              Cli.args(
                  "playlist-items",
                  Cli.against(sim, landing.toString()),
                  targets.toArray(String[]::new)));

      assertThat(attempts).as("stopped by the quota").hasSize((pagesExpected + 2) / 3);
      assertThat(attempts.get(1).summary().path("playlists_continued").asInt())
          .as("the second attempt picks up the playlist the first stopped in")
          .isEqualTo(1);
      List<String> pages = new ArrayList<>();
      List<String> uris = new ArrayList<>();
      for (JsonNode e : Landed.envelopes(landing, "playlist_items")) {
        pages.add(
            e.path("request").path("params").path("playlist_id").asText()
                + "@"
                + e.path("response").path("offset").asInt());
        e.path("response")
            .path("items")
            .forEach(i -> uris.add(i.path("item").path("uri").asText()));
      }
      assertThat(pages).as("every page landed once").doesNotHaveDuplicates().hasSize(pagesExpected);
      assertThat(uris).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(sim.stats().accepted()).as("no page asked for twice").isEqualTo(pagesExpected);
    }
  }

  @Test
  void newReleasesInDevelopmentModeSayWhyLandNothingAndSucceed() {
    Path landing = dir.resolve("landing");
    try (SpotifySimulator sim = SpotifySimulator.start(development(), 0)) {
      Cli.Result auto =
          Cli.run(
              Cli.args("new-releases", Cli.against(sim, landing.toString()), "--run-id", "nr1"));
      Cli.Result configured =
          Cli.run(
              Cli.args(
                  "new-releases",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "nr2",
                  "--app-mode",
                  "development"));
      for (Cli.Result r : List.of(auto, configured)) {
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.summary().path("message").asText())
            .contains("not available to development-mode apps");
        assertThat(r.summary().path("status").asText()).isEqualTo("nothing_to_do");
      }
      assertThat(Landed.files(landing, ""))
          .as("no landing data; only the state remembering the mode")
          .allMatch(p -> p.equals(landing) || landing.relativize(p).startsWith("_state"));
      assertThat(landing.resolve("_state/app_mode.json"))
          .content()
          .contains("\"development\"", "new-releases answered 403");
      assertThat(sim.stats().byEndpoint().getOrDefault("new-releases", 0L))
          .as("configured development mode does not even ask")
          .isEqualTo(1L);
    }
  }

  @Test
  void playlistItemsArePagedWithTheOwnersTokenAndOthersAreSkipped() {
    Path landing = dir.resolve("landing");
    try (SpotifySimulator sim = SpotifySimulator.start(extended(), 0)) {
      SimUser owner =
          sim.users().stream()
              .filter(u -> !u.tokenExpired() && !u.playlistIds().isEmpty())
              .filter(
                  u ->
                      sim.catalog().playlistTrackUris(u.playlistIds().get(0)).orElseThrow().size()
                          > 50)
              .findFirst()
              .orElseThrow();
      SimUser other =
          sim.users().stream()
              .filter(u -> !u.tokenExpired() && !u.key().equals(owner.key()))
              .findFirst()
              .orElseThrow();
      String playlist = owner.playlistIds().get(0);

      Cli.Result r =
          Cli.run(
              Cli.args(
                  "playlist-items",
                  Cli.against(sim, landing.toString()),
                  "--run-id",
                  "pl1",
                  "--playlist",
                  owner.key() + ":" + playlist,
                  "--playlist",
                  other.key() + ":" + playlist));

      assertThat(r.exitCode()).as(r.stderr()).isZero();
      List<String> uris = new ArrayList<>();
      for (JsonNode e : Landed.envelopes(landing, "playlist_items")) {
        assertThat(e.path("user_key").asText()).isEqualTo(owner.key());
        e.path("response")
            .path("items")
            .forEach(i -> uris.add(i.path("item").path("uri").asText()));
      }
      assertThat(uris)
          .containsExactlyElementsOf(sim.catalog().playlistTrackUris(playlist).orElseThrow());
      assertThat(r.summary().path("users_skipped").path(other.key() + ":" + playlist).asText())
          .contains("403");
    }
  }
}
