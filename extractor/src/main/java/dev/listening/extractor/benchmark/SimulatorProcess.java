package dev.listening.extractor.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The simulator in its own JVM, started from this jar, so the extractor's heap figures are its own.
 * Driven through the simulator's admin endpoints.
 */
final class SimulatorProcess implements AutoCloseable {
  private static final MediaType JSON = MediaType.get("application/json");

  private final Process process;
  private final OkHttpClient http;
  final String root;

  private SimulatorProcess(Process process, OkHttpClient http, String root) {
    this.process = process;
    this.http = http;
    this.root = root;
  }

  static SimulatorProcess start(OkHttpClient http, Path log, List<String> simulatorArgs)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx3g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.listening.extractor.ExtractorMain");
    cmd.add("simulator");
    cmd.add("--port");
    cmd.add(Integer.toString(port));
    cmd.addAll(simulatorArgs);
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String root = "http://127.0.0.1:" + port;
    SimulatorProcess sim = new SimulatorProcess(p, http, root);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("the simulator exited early; see " + log);
      }
      try {
        sim.get("/_sim/clock");
        return sim;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    sim.close();
    throw new IOException("the simulator did not answer within 120 s; see " + log);
  }

  String apiBase() {
    return root + "/v1";
  }

  void setClock(Instant now) throws IOException {
    post("/_sim/clock", "{\"now\":\"" + now + "\"}");
  }

  JsonNode get(String path) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(root + path).build()).execute()) {
      if (r.code() != 200) {
        throw new IOException(path + " answered " + r.code());
      }
      return Json.mapper().readTree(r.body().bytes());
    }
  }

  JsonNode post(String path, String body) throws IOException {
    Request req =
        new Request.Builder().url(root + path).post(RequestBody.create(body, JSON)).build();
    try (Response r = http.newCall(req).execute()) {
      if (r.code() != 200) {
        throw new IOException(path + " answered " + r.code() + ": " + r.body().string());
      }
      return Json.mapper().readTree(r.body().bytes());
    }
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
