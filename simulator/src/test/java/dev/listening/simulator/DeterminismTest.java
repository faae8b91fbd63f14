package dev.listening.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two simulators from the same seed answer the same requests with the same bytes. */
class DeterminismTest {
  private static List<String> transcript(SpotifySimulator sim) {
    SimHttp http = new SimHttp(sim);
    List<String> out = new ArrayList<>();
    sim.clock().set(Instant.parse("2026-11-20T21:00:00Z"));
    SimUser owner = http.firstUserWithPlaylists();
    String user = http.userToken(owner);
    String client = http.clientToken();
    out.add(http.api("/me/player/recently-played?limit=50", user).body());
    out.add(http.api("/playlists/" + owner.playlistIds().get(0) + "/items?limit=50", user).body());
    out.add(
        http.api("/tracks?ids=" + String.join(",", sim.catalog().trackIds().subList(0, 50)), client)
            .body());
    out.add(http.api("/albums/" + sim.catalog().albumIds().get(7), client).body());
    out.add(http.api("/browse/new-releases?country=JP", client).body());
    out.add(owner.refreshToken());
    out.add(user);
    // Links contain the port, which differs between the two servers.
    return out.stream().map(s -> s.replace(sim.apiBaseUrl(), "{api}")).toList();
  }

  @Test
  void sameSeedSameResponses() {
    SimulatorConfig config = SimulatorConfig.defaults().withFaults(SimulatorConfig.Faults.none());
    try (SpotifySimulator a = SpotifySimulator.start(config, 0);
        SpotifySimulator b = SpotifySimulator.start(config, 0);
        SpotifySimulator c = SpotifySimulator.start(config.withSeed(1), 0)) {
      List<String> first = transcript(a);
      assertThat(transcript(b)).isEqualTo(first);
      assertThat(a.clientSecret()).isEqualTo(b.clientSecret()).isNotEqualTo(c.clientSecret());
      assertThat(transcript(c).get(0)).isNotEqualTo(first.get(0));
    }
  }
}
