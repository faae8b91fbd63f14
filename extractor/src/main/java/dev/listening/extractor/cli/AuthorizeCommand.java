package dev.listening.extractor.cli;

import dev.listening.extractor.Json;
import dev.listening.extractor.api.AccountsClient;
import dev.listening.extractor.api.ClientStats;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.api.RequestGate;
import dev.listening.extractor.api.RetrySettings;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.api.SpotifyHttp;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.auth.Authorizer;
import dev.listening.extractor.config.Connection;
import dev.listening.extractor.config.ConnectionOptions;
import dev.listening.extractor.config.DurationConverter;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.run.ExtractionFactory;
import dev.listening.extractor.users.SecretAccess;
import dev.listening.extractor.users.UserSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "authorize",
    mixinStandardHelpOptions = true,
    description = {
      "Authorizes one user of the app (the authorization code flow with PKCE) and adds them to"
          + " the users file or Secret Manager secret, keyed by their Spotify account_id, or"
          + " replaces their refresh token when they are there already (a renewed consent)."
          + " Prints the URL to open; the browser comes back to --redirect-uri on this machine,"
          + " or with --headless you paste the address it ended on. Never prints a token.",
      "Register the redirect URI in the Spotify dashboard first (default:"
          + " http://127.0.0.1:8888/callback)."
    })
final class AuthorizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--users",
      defaultValue = "${env:USERS_URI}",
      description =
          "Where users are kept: a JSON file (local, written 0600, or gs://) or"
              + " sm://projects/P/secrets/S (a new version per change). Default: env USERS_URI.")
  String users;

  @Option(
      names = "--redirect-uri",
      defaultValue = Authorizer.DEFAULT_REDIRECT_URI,
      description =
          "The redirect URI registered in the app (a loopback address unless --headless)."
              + " Default: ${DEFAULT-VALUE}.")
  String redirectUri;

  @Option(
      names = "--playlists",
      description =
          "Also ask for playlist-read-private and playlist-read-collaborative (needed when the"
              + " user's playlists are extracted). Default: recently-played only.")
  boolean playlists;

  @Option(
      names = "--headless",
      description =
          "No listener: print the URL, then read the address the browser ended on from stdin"
              + " (for a server without a browser).")
  boolean headless;

  @Option(
      names = "--timeout",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "How long to wait for the browser. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    List<String> problems = new ArrayList<>();
    Connection c = Connection.from(connection, System.getenv(), problems);
    URI redirect = null;
    try {
      redirect = URI.create(redirectUri.trim());
      if (!"http".equals(redirect.getScheme()) && !"https".equals(redirect.getScheme())) {
        problems.add("--redirect-uri '" + redirectUri + "' is not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      problems.add("--redirect-uri '" + redirectUri + "' is not a URL");
    }
    if (users == null || users.isBlank()) {
      problems.add(
          "--users is required: the users JSON file to add the user to (created if missing), or"
              + " sm://projects/P/secrets/S");
    } else if ("sim".equals(users.trim())) {
      problems.add("--users sim is the simulator's list: authorize into a users file or secret");
    }
    ExtractorConfig.failOn(problems);
    LoggingSetup.configure(c.logFormat());
    OkHttpClient http = ExtractionFactory.httpClient(1);
    try {
      SecretAccess secrets = SecretAccess.google();
      ExtractionFactory.Credentials credentials = ExtractionFactory.credentials(c, http, secrets);
      ClientStats stats = new ClientStats();
      RetrySettings retry = RetrySettings.defaults();
      AccountsClient accounts =
          new AccountsClient(
              http,
              Json.mapper(),
              c.accountsBaseUrl(),
              credentials.clientId(),
              credentials.clientSecret(),
              stats,
              Timing.SYSTEM,
              retry);
      SpotifyClient api =
          new SpotifyClient(
              new SpotifyHttp(
                  http,
                  Json.mapper(),
                  new RequestGate(5, Timing.SYSTEM),
                  stats,
                  Timing.SYSTEM,
                  retry),
              c.apiBaseUrl(),
              RefreshingTokens.forApp(accounts, Timing.SYSTEM));
      UserSource source =
          ExtractionFactory.users(users.trim(), c, http, secrets, new ArrayList<>());
      Authorizer.Result r =
          new Authorizer(
                  c.accountsBaseUrl(),
                  credentials.clientId(),
                  accounts,
                  api,
                  source,
                  spec.commandLine().getErr())
              .authorize(
                  redirect, Authorizer.scopes(playlists), headless ? System.in : null, timeout);
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("command", "authorize");
      summary.put("status", "complete");
      summary.put("user_key", r.userKey());
      summary.put("scopes", r.scopes());
      summary.put("users", r.users());
      System.out.println(Json.mapper().writeValueAsString(summary));
      spec.commandLine()
          .getErr()
          .println("User " + r.userKey() + " authorized and stored in " + r.users() + ".");
      return 0;
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
