package dev.listening.extractor.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The contract against fake-gcs-server in Docker, for machines with a Docker engine; skipped, and
 * reported as skipped, elsewhere. GcsBlobStoreFakeGcsServerProcessTest runs the same contract
 * against the same emulator version as a process, without Docker.
 *
 * <p>The emulator enforces ifGenerationMatch on the single-request uploads that put and
 * putIfGeneration make (its memory backend keeps generations; the filesystem backend does not).
 */
@Testcontainers(disabledWithoutDocker = true)
class GcsBlobStoreFakeGcsServerTest extends GcsBlobStoreOverHttpTest {

  private static final int PORT = 4443;

  @Container
  private static final GenericContainer<?> GCS =
      new GenericContainer<>(DockerImageName.parse("fsouza/fake-gcs-server:1.56.1"))
          .withCommand("-scheme", "http", "-port", Integer.toString(PORT), "-backend", "memory")
          .withExposedPorts(PORT)
          .waitingFor(Wait.forHttp("/storage/v1/b").forPort(PORT).forStatusCode(200));

  private static Storage storage;

  @BeforeAll
  static void pointTheEmulatorAndClientAtEachOther() throws Exception {
    String url = "http://" + GCS.getHost() + ":" + GCS.getMappedPort(PORT);
    // Resumable uploads follow the Location the server returns, built from its external URL,
    // which is only known once Docker has mapped the port.
    HttpResponse<String> configured =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/_internal/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"externalUrl\":\"" + url + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
    assertThat(configured.statusCode()).as(configured.body()).isEqualTo(200);

    storage = clientFor(url);
    storage.create(BucketInfo.of(BUCKET));
  }

  @AfterAll
  static void closeClient() throws Exception {
    if (storage != null) {
      storage.close();
    }
  }

  @Override
  protected Storage storage() {
    return storage;
  }
}
