package dev.listening.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The extractor jar's simulator, in its own process, driven through its admin endpoints. */
final class Simulator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  final String root;

  private Simulator(Process process, String root) {
    this.process = process;
    this.root = root;
  }

  static Simulator start(Path extractorJar, Path log, List<String> args)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Processes.java(),
                "-Xmx1g",
                "-jar",
                extractorJar.toString(),
                "simulator",
                "--port",
                Integer.toString(port)));
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Simulator sim = new Simulator(p, "http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("the simulator exited at start; see " + log);
      }
      try {
        sim.get("/_sim/clock");
        return sim;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    sim.close();
    throw new IOException("the simulator did not start within 60 s; see " + log);
  }

  String apiBase() {
    return root + "/v1";
  }

  void setClock(Instant now) throws IOException, InterruptedException {
    post("/_sim/clock", "{\"now\":\"" + now + "\"}");
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(root + path)).GET().build());
  }

  String text(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(root + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(path + " answered " + r.statusCode());
    }
    return r.body();
  }

  JsonNode post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(root + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException(request.uri().getPath() + " answered " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
