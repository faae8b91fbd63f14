package dev.listening.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fake-gcs-server (github.com/fsouza/fake-gcs-server), the Cloud Storage emulator, as a process on
 * loopback: one per test JVM, started on first use and stopped when the JVM exits. The real Cloud
 * Storage clients (the Java client, the Hadoop GCS connector) talk to it over HTTP with the JSON
 * API, as they talk to GCS, with no credentials.
 *
 * <p>The binary comes from {@code tools/fake-gcs-server.sh}, which builds the pinned version from
 * the Go module proxy once per checkout (minutes) and prints its path afterwards ($FAKE_GCS_SERVER,
 * when set, names a binary to use instead). The memory backend is used: it keeps object
 * generations, which the filesystem backend does not.
 *
 * <p>Plain JDK, so that both the extractor's tests and the Spark jobs' tests can use it.
 */
public final class FakeGcsServer {
  private static FakeGcsServer shared;

  private final Process process;
  private final String url;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private FakeGcsServer(Process process, String url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** The JVM's server, started (and built, the first time in a checkout) on first use. */
  public static synchronized FakeGcsServer shared() throws IOException, InterruptedException {
    if (shared == null || !shared.process.isAlive()) {
      shared = start(binary());
      FakeGcsServer started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
    }
    return shared;
  }

  /** Its base URL, e.g. {@code http://127.0.0.1:41234}: the host to give a Cloud Storage client. */
  public String url() {
    return url;
  }

  /** Creates a bucket (project "test"); a bucket that already exists is fine. */
  public void createBucket(String name) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/storage/v1/b?project=test"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (answer.statusCode() != 200 && answer.statusCode() != 409) {
      throw new IOException(
          "fake-gcs-server did not create bucket " + name + ": " + answer + " " + answer.body());
    }
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The binary tools/fake-gcs-server.sh prints, building it first when the checkout has none. */
  private static Path binary() throws IOException, InterruptedException {
    Path script = repositoryRoot().resolve("tools/fake-gcs-server.sh");
    // Its progress (the one-time build) goes to the test output; stdout is the binary's path.
    Process build =
        new ProcessBuilder("bash", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!build.waitFor(1, TimeUnit.MINUTES)) {
      build.destroyForcibly();
      throw new IOException(script + " did not exit after closing its output");
    }
    if (build.exitValue() != 0) {
      throw new IOException(
          script
              + " could not provide fake-gcs-server (exit "
              + build.exitValue()
              + "); see above");
    }
    Path binary = Path.of(out.substring(out.lastIndexOf('\n') + 1));
    if (!Files.isExecutable(binary)) {
      throw new IOException(script + " printed " + binary + ", which is not an executable");
    }
    return binary;
  }

  private static Path repositoryRoot() throws IOException {
    // Tests run in a module's folder; the script is in the repository's tools/.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("tools/fake-gcs-server.sh"))) {
        return dir;
      }
    }
    throw new IOException(
        "no tools/fake-gcs-server.sh in " + Path.of("").toAbsolutePath() + " or above it");
  }

  private static FakeGcsServer start(Path binary) throws IOException, InterruptedException {
    IOException last = null;
    // A free port can be taken by someone else between finding and binding it: try a few.
    for (int attempt = 1; attempt <= 3; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      String url = "http://127.0.0.1:" + port;
      Path log = Files.createTempFile("fake-gcs-server-", ".log");
      Process process =
          new ProcessBuilder(
                  List.of(
                      binary.toString(),
                      "-scheme",
                      "http",
                      "-host",
                      "127.0.0.1",
                      "-port",
                      Integer.toString(port),
                      "-external-url",
                      url,
                      "-backend",
                      "memory",
                      "-log-level",
                      "warn"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      FakeGcsServer server = new FakeGcsServer(process, url, log);
      try {
        server.awaitReady();
        return server;
      } catch (IOException e) {
        server.stop();
        last = e;
      }
    }
    throw last;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "fake-gcs-server exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<Void> answer =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/storage/v1/b"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException("fake-gcs-server did not answer at " + url + " within 30 s");
  }
}
