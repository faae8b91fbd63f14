package dev.listening.extractor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.extractor.Configs;
import dev.listening.extractor.ExtractorMain;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.api.Secret;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.Extraction;
import dev.listening.extractor.run.ExtractionFactory;
import dev.listening.extractor.storage.LocalBlobStore;
import dev.listening.extractor.users.UserCredential;
import dev.listening.simulator.SimUser;
import dev.listening.simulator.SimulatorConfig;
import dev.listening.simulator.SpotifySimulator;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extractor authorize} end to end against the simulator's accounts service: the command
 * prints the URL, "the browser" agrees as a user, the command gets the code back (on its loopback
 * listener, or pasted with --headless), exchanges it and stores the user under their account_id.
 * The browser is plain HTTP here, and headless Chromium in one test when it is installed.
 */
class AuthorizeEndToEndTest {
  private static final HttpClient BROWSER =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final ObjectMapper json = new ObjectMapper();
  @TempDir Path dir;
  private SpotifySimulator sim;
  private String redirect;
  private Path users;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws IOException {
    sim =
        SpotifySimulator.start(
            SimulatorConfig.defaults()
                .withPlaysPerDay(300)
                .withUsers(3)
                .withFaults(SimulatorConfig.Faults.none()),
            0);
    try (ServerSocket s = new ServerSocket(0)) {
      redirect = "http://127.0.0.1:" + s.getLocalPort() + "/callback";
    }
    sim.registerRedirectUri(redirect);
    users = dir.resolve("secrets/users.json");
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    sim.close();
  }

  /** A running authorize command: its stderr lines as they come, its exit code at the end. */
  private final class Running {
    final List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<String> url = new CompletableFuture<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final Future<Integer> exit;
    final Future<?> drained;

    Running(InputStream stdin, String... extra) throws IOException {
      PipedInputStream errIn = new PipedInputStream(1 << 16);
      PrintStream errOut =
          new PrintStream(new PipedOutputStream(errIn), true, StandardCharsets.UTF_8);
      drained =
          pool.submit(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(errIn, StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    err.add(line);
                    if (line.strip().contains("/authorize?")) {
                      url.complete(line.strip());
                    }
                  }
                }
                return null;
              });
      List<String> args =
          new ArrayList<>(
              List.of(
                  "authorize",
                  "--api-base-url",
                  sim.apiBaseUrl(),
                  "--accounts-base-url",
                  sim.accountsBaseUrl(),
                  "--client-secret-ref",
                  "sim",
                  "--users",
                  users.toString(),
                  "--redirect-uri",
                  redirect,
                  "--timeout",
                  "60s"));
      args.addAll(List.of(extra));
      exit =
          pool.submit(
              () -> {
                synchronized (Cli.class) { // System streams are global: one command at a time
                  PrintStream oldErr = System.err;
                  PrintStream oldOut = System.out;
                  InputStream oldIn = System.in;
                  try {
                    System.setErr(errOut);
                    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                    if (stdin != null) {
                      System.setIn(stdin);
                    }
                    return ExtractorMain.execute(args.toArray(String[]::new));
                  } finally {
                    System.setErr(oldErr);
                    System.setOut(oldOut);
                    System.setIn(oldIn);
                    errOut.close();
                  }
                }
              });
    }

    /** Everything printed, once the command is done and its stderr read to the end. */
    String everything() {
      try {
        exit.get(60, TimeUnit.SECONDS);
        drained.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the command did not finish", e);
      }
      return out.toString(StandardCharsets.UTF_8) + String.join("\n", err);
    }
  }

  /** The user agrees on the authorize page; returns where the browser is sent. */
  private String agreeAs(String url, String user) throws Exception {
    HttpResponse<String> r =
        BROWSER.send(
            HttpRequest.newBuilder(URI.create(url + "&sim_user=" + user)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    return r.headers().firstValue("Location").orElseThrow();
  }

  private void assertStored(SimUser user, Running run) throws Exception {
    JsonNode doc = json.readTree(users.toFile()).path("users");
    assertThat(doc).hasSize(1);
    assertThat(doc.get(0).path("key").asText()).isEqualTo(user.key());
    String refresh = doc.get(0).path("refresh_token").asText();
    assertThat(refresh).isNotBlank().isNotEqualTo(user.refreshToken());
    assertThat(run.everything()).as("no token is ever printed").doesNotContain(refresh);
    assertThat(Files.getPosixFilePermissions(users))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JsonNode summary = json.readTree(run.out.toString(StandardCharsets.UTF_8).strip());
    assertThat(summary.path("user_key").asText()).isEqualTo(user.key());
    assertThat(summary.path("scopes").asText()).isEqualTo("user-read-recently-played");
  }

  @Test
  void theBrowserComesBackToTheLoopbackListenerAndTheUserIsStoredUnderTheirAccountId()
      throws Exception {
    SimUser user = sim.users().get(1);
    Running run = new Running(null);
    String url = run.url.get(30, TimeUnit.SECONDS);
    assertThat(url)
        .contains("code_challenge_method=S256", "code_challenge=", "state=")
        .contains("scope=user-read-recently-played");
    String location = agreeAs(url, user.key());
    HttpResponse<String> landed =
        BROWSER.send(
            HttpRequest.newBuilder(URI.create(location)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(landed.body()).contains("You can close this window");
    assertThat(run.exit.get(60, TimeUnit.SECONDS)).as(run.everything()).isZero();
    assertStored(user, run);
  }

  @Test
  void headlessTheAddressTheBrowserEndedOnIsPasted() throws Exception {
    SimUser user = sim.users().get(2);
    PipedOutputStream typing = new PipedOutputStream();
    Running run = new Running(new PipedInputStream(typing), "--headless");
    String location = agreeAs(run.url.get(30, TimeUnit.SECONDS), user.key());
    typing.write((location + "\n").getBytes(StandardCharsets.UTF_8));
    typing.flush();
    assertThat(run.exit.get(60, TimeUnit.SECONDS)).as(run.everything()).isZero();
    assertStored(user, run);
  }

  private String authorizeHeadless(String user) throws Exception {
    PipedOutputStream typing = new PipedOutputStream();
    Running run = new Running(new PipedInputStream(typing), "--headless");
    String location = agreeAs(run.url.get(30, TimeUnit.SECONDS), user);
    typing.write((location + "\n").getBytes(StandardCharsets.UTF_8));
    typing.flush();
    assertThat(run.exit.get(60, TimeUnit.SECONDS)).as(run.everything()).isZero();
    return run.everything();
  }

  private Cli.Result poll(String runId) {
    return Cli.run(
        Cli.args(
            "recently-played",
            Cli.against(sim, dir.resolve("landing").toString()),
            "--users",
            users.toString(),
            "--run-id",
            runId));
  }

  private String storedToken(String key) throws IOException {
    for (JsonNode u : json.readTree(users.toFile()).path("users")) {
      if (u.path("key").asText().equals(key)) {
        return u.path("refresh_token").asText();
      }
    }
    throw new AssertionError(key + " is not in " + users);
  }

  /** One shard of a run on the users file, as the command wires it. */
  private Extraction shard(Path landing, String shard) throws IOException {
    List<String> args = Cli.against(sim, landing.toString());
    args.addAll(List.of("--run-id", "shards", "--date", "2026-11-20", "--shard", shard));
    ExtractorConfig config =
        Configs.parse(Map.of(), users.toString(), false, null, args.toArray(String[]::new));
    return ExtractionFactory.open(config, Timing.SYSTEM, null, new LocalBlobStore(landing), null);
  }

  /** Refreshes the user's token {@code times} times, as a long run of this shard would. */
  private static void refresh(Extraction shard, UserCredential user, int times) {
    try {
      RefreshingTokens tokens = shard.userTokens(user);
      for (int i = 0; i < times; i++) {
        tokens.invalidate(tokens.token()); // the next call refreshes
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoShardsRefreshingTheSameUsersSingleUseTokenAtOnceLoseNoToken() throws Exception {
    SimUser user = sim.users().stream().filter(u -> !u.tokenExpired()).findFirst().orElseThrow();
    authorizeHeadless(user.key()); // a PKCE consent: each refresh spends the token, rotates it
    UserCredential stored = new UserCredential(user.key(), Secret.of(storedToken(user.key())));
    Path landing = dir.resolve("landing");

    try (Extraction first = shard(landing, "0/2");
        Extraction second = shard(landing, "1/2")) {
      CompletableFuture<Void> a = CompletableFuture.runAsync(() -> refresh(first, stored, 8), pool);
      CompletableFuture<Void> b =
          CompletableFuture.runAsync(() -> refresh(second, stored, 8), pool);
      // Without the lease the second shard's refresh spends a token the first already spent:
      // invalid_grant, and the user would be reported as needing a new consent.
      CompletableFuture.allOf(a, b).get(120, TimeUnit.SECONDS);
    }

    assertThat(storedToken(user.key()))
        .as("16 refreshes, each rotating the token, and the last one stored")
        .isNotEqualTo(stored.refreshToken().reveal());
    Cli.Result r = poll("after-shards");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.summary().path("users_skipped").size())
        .as("the stored token is the live one")
        .isZero();
    try (var leases = Files.list(landing.resolve("_state/token_leases"))) {
      assertThat(leases.toList()).as("every lease given back").isEmpty();
    }
  }

  @Test
  void anExpiredConsentIsReportedWithTheCommandThatRenewsItAndRotatedTokensAreKept()
      throws Exception {
    SimUser expired = sim.users().stream().filter(SimUser::tokenExpired).findFirst().orElseThrow();
    Files.createDirectories(users.getParent());
    Files.writeString(
        users,
        "{\"users\":[{\"key\":\""
            + expired.key()
            + "\",\"refresh_token\":\""
            + expired.refreshToken()
            + "\"}]}");

    Cli.Result first = poll("p1");
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.summary().path("users_skipped").path(expired.key()).asText())
        .contains("consent expired")
        .contains("java -jar extractor.jar authorize --target simulator --users " + users.toUri());

    authorizeHeadless(expired.key()); // the user consents again
    String afterConsent = storedToken(expired.key());
    for (String run : List.of("p2", "p3")) {
      Cli.Result r = poll(run);
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.summary().path("users_skipped").size()).as(run).isZero();
      assertThat(r.summary().path("pages").asInt()).as(run).isEqualTo(1);
    }
    assertThat(storedToken(expired.key()))
        .as("each refresh spent the PKCE token; the rotated one was written back each time")
        .isNotEqualTo(afterConsent);
  }

  @Test
  void anAddressFromAnotherAttemptOrARefusalIsAClearErrorAndStoresNothing() throws Exception {
    PipedOutputStream typing = new PipedOutputStream();
    Running run = new Running(new PipedInputStream(typing), "--headless");
    String location = agreeAs(run.url.get(30, TimeUnit.SECONDS), "u00001");
    typing.write(
        (location.replaceAll("state=[^&]+", "state=other") + "\n")
            .getBytes(StandardCharsets.UTF_8));
    typing.flush();
    assertThat(run.exit.get(60, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(run.everything()).contains("state does not match");

    PipedOutputStream typing2 = new PipedOutputStream();
    Running denied = new Running(new PipedInputStream(typing2), "--headless");
    String url = denied.url.get(30, TimeUnit.SECONDS);
    String back = agreeAs(url + "&sim_answer=deny", "u00001");
    typing2.write((back + "\n").getBytes(StandardCharsets.UTF_8));
    typing2.flush();
    assertThat(denied.exit.get(60, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(denied.everything()).contains("the user did not agree");
    assertThat(users).doesNotExist();
  }

  @Test
  void headlessChromiumDrivesTheWholeFlowWhenInstalled() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(
        Files.isExecutable(chromium), "Chromium is not installed: the plain-HTTP tests cover this");
    SimUser user = sim.users().get(0);
    Running run = new Running(null);
    String url = run.url.get(30, TimeUnit.SECONDS) + "&sim_user=" + user.key();
    Process browser =
        new ProcessBuilder(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"),
                "--dump-dom",
                url)
            .redirectErrorStream(true)
            .start();
    String page = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    browser.waitFor(60, TimeUnit.SECONDS);
    assertThat(page).contains("You can close this window");
    assertThat(run.exit.get(60, TimeUnit.SECONDS)).as(run.everything()).isZero();
    assertStored(user, run);
  }
}
