package dev.listening.simulator;

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
import java.util.concurrent.TimeUnit;

/**
 * The simulator in its own process ({@code java -jar simulator.jar}), driven through its {@code
 * /_sim} admin endpoints: how local runs and benchmarks use it, so the simulator's heap and CPU are
 * never counted as the code under measurement. Plain JDK on purpose (callers parse the JSON with
 * their own library), so any module can hold it whatever its Jackson.
 */
public final class SimulatorProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String root;

  private SimulatorProcess(Process process, String root) {
    this.process = process;
    this.root = root;
  }

  /**
   * Starts the simulator jar on a free loopback port and waits until it answers.
   *
   * @param heap the child's -Xmx, e.g. "1g" (a 20,000-user day needs about 3g)
   * @param log where its stdout and stderr go
   * @param args simulator options (see {@code java -jar simulator.jar --help})
   */
  public static SimulatorProcess start(Path jar, String heap, Path log, List<String> args)
      throws IOException, InterruptedException {
    return start(jar, heap, List.of(), log, args);
  }

  /** As {@link #start(Path, String, Path, List)}, with more JVM options, e.g. JIT settings. */
  public static SimulatorProcess start(
      Path jar, String heap, List<String> jvmOptions, Path log, List<String> args)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx" + heap);
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("--port");
    cmd.add(Integer.toString(port));
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SimulatorProcess sim = new SimulatorProcess(p, "http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException(
            "the simulator exited at start (code " + p.exitValue() + "); see " + log);
      }
      try {
        sim.get("/_sim/clock");
        return sim;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    sim.close();
    throw new IOException(
        "the simulator did not answer within " + START_TIMEOUT.toSeconds() + " s; see " + log);
  }

  /** The accounts base URL, also the root of the admin endpoints. */
  public String root() {
    return root;
  }

  public String apiBaseUrl() {
    return root + "/v1";
  }

  /** Sets the simulated clock. */
  public void setClock(Instant now) throws IOException, InterruptedException {
    post("/_sim/clock", "{\"now\":\"" + now + "\"}");
  }

  /** GET of an admin path; the body of a 200, else an IOException naming the status. */
  public String get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(root + path)).GET().build());
  }

  /** POST of a JSON body to an admin path; the body of a 200. */
  public String post(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(root + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private String send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(
          request.method()
              + " "
              + request.uri().getPath()
              + " answered "
              + r.statusCode()
              + ": "
              + r.body());
    }
    return r.body();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
