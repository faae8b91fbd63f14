package dev.listening.extractor.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.extractor.run.ExtractionFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

class SimulatorUsersTest {
  @Test
  void aSimulatorSlowerToListItsUsersThanTheRequestTimeoutIsWaitedFor() throws Exception {
    // Found by the fault drill: a simulator just started, on a busy machine, took longer than the
    // run's 1 s --request-timeout to serve /_sim/users, and the run failed before any API call.
    try (MockWebServer sim = new MockWebServer()) {
      sim.start(0);
      sim.enqueue(
          new MockResponse.Builder()
              .code(200)
              .body(
                  "{\"client_id\":\"sim-client-id\",\"client_secret\":\"s3cret\","
                      + "\"users\":[{\"key\":\"u1\",\"refresh_token\":\"rt1\"}]}")
              .headersDelay(1500, TimeUnit.MILLISECONDS)
              .build());

      SimulatorUsers.SimulatorApp app =
          new SimulatorUsers(ExtractionFactory.httpClient(1, Duration.ofMillis(300)), sim.url("/"))
              .app();

      assertThat(app.clientId()).isEqualTo("sim-client-id");
      assertThat(app.users()).extracting(UserCredential::key).containsExactly("u1");
    }
  }
}
