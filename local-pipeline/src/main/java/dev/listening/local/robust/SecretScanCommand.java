package dev.listening.local.robust;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.local.SimulatedDay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The secret scan as a command, for runs this program did not make itself: the Airflow DAGs' local
 * run (its task logs, Airflow's database and every file the tasks wrote).
 */
@Command(
    name = "secret-scan",
    mixinStandardHelpOptions = true,
    description = {
      "Scans every file under a folder for the running simulator's client secret and users'"
          + " refresh tokens, and for anything shaped like its tokens. Exits 1 naming each file"
          + " with a finding (never the value), 0 when there is none."
    })
public final class SecretScanCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--dir", required = true, description = "The folder to scan.")
  Path dir;

  @Option(
      names = "--simulator",
      required = true,
      description = "The running simulator's base URL, whose credentials are looked for.")
  URI simulator;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir)) {
      System.err.println("error: --dir " + dir + " is not a folder: pass the run's folder");
      return 2;
    }
    HttpResponse<String> users =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(simulator.resolve("/_sim/users"))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (users.statusCode() != 200) {
      System.err.println(
          "error: "
              + simulator
              + "/_sim/users answered "
              + users.statusCode()
              + ": is it running?");
      return 2;
    }
    List<String> credentials = SimulatedDay.credentials(JSON.readTree(users.body()));

    List<SecretScan.Finding> found = SecretScan.scan(dir, credentials);
    long files;
    try (var all = Files.walk(dir)) {
      files = all.filter(Files::isRegularFile).count();
    }
    if (!found.isEmpty()) {
      System.err.println("secret scan of " + dir + " FAILED:");
      found.forEach(f -> System.err.println("  - " + f));
      return 1;
    }
    System.out.println(
        "secret scan of "
            + dir
            + ": no credential in "
            + files
            + " files ("
            + (credentials.size() - 1)
            + " refresh tokens and the client secret looked for, and token shapes)");
    return 0;
  }
}
