package dev.listening.extractor.auth;

import dev.listening.extractor.api.AccessTokenSource;
import dev.listening.extractor.api.AccountsClient;
import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.api.Secret;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.api.TokenGrant;
import dev.listening.extractor.users.UserSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * The authorization code flow with PKCE for one user of the app: the URL to open, the code back
 * (loopback listener or pasted URL), the exchange, {@code GET /me} for the user's stable {@code
 * account_id}, and the user added to (or updated in) the users source. Never prints a token.
 */
public final class Authorizer {
  /** The redirect URI to register in the app's dashboard, unless another is passed. */
  public static final String DEFAULT_REDIRECT_URI = "http://127.0.0.1:8888/callback";

  /** Always needed: the plays. */
  public static final String RECENTLY_PLAYED_SCOPE = "user-read-recently-played";

  /** Needed when playlist items are extracted. */
  public static final List<String> PLAYLIST_SCOPES =
      List.of("playlist-read-private", "playlist-read-collaborative");

  /** What was authorized; no token. */
  public record Result(String userKey, String scopes, String users) {}

  private final HttpUrl accountsBase;
  private final String clientId;
  private final AccountsClient accounts;
  private final SpotifyClient api;
  private final UserSource users;
  private final PrintWriter err;

  public Authorizer(
      HttpUrl accountsBase,
      String clientId,
      AccountsClient accounts,
      SpotifyClient api,
      UserSource users,
      PrintWriter err) {
    this.accountsBase = accountsBase;
    this.clientId = clientId;
    this.accounts = accounts;
    this.api = api;
    this.users = users;
    this.err = err;
  }

  public static String scopes(boolean playlists) {
    List<String> s = new ArrayList<>(List.of(RECENTLY_PLAYED_SCOPE));
    if (playlists) {
      s.addAll(PLAYLIST_SCOPES);
    }
    return String.join(" ", s);
  }

  /**
   * @param pasted null: listen on the redirect URI; else read the redirected URL from here
   */
  public Result authorize(URI redirectUri, String scopes, InputStream pasted, Duration timeout)
      throws IOException, InterruptedException {
    Secret verifier = Pkce.newVerifier();
    String state = Pkce.newState();
    String url =
        accountsBase
            .newBuilder()
            .addPathSegment("authorize")
            .addQueryParameter("client_id", clientId)
            .addQueryParameter("response_type", "code")
            .addQueryParameter("redirect_uri", redirectUri.toString())
            .addQueryParameter("code_challenge_method", "S256")
            .addQueryParameter("code_challenge", Pkce.challenge(verifier))
            .addQueryParameter("scope", scopes)
            .addQueryParameter("state", state)
            .build()
            .toString();
    Map<String, String> back;
    if (pasted == null) {
      back =
          Callback.listen(
              redirectUri,
              timeout,
              () -> {
                err.println("Open this URL in a browser, log in as the user and agree:");
                err.println();
                err.println("  " + url);
                err.println();
                err.println("Waiting for the browser at " + redirectUri + " ...");
                err.flush();
              });
    } else {
      err.println("Open this URL in a browser (on any machine), log in as the user and agree:");
      err.println();
      err.println("  " + url);
      err.println();
      err.println(
          "The browser then fails to load "
              + redirectUri
              + " (nothing listens there): copy the whole address it shows and paste it here:");
      err.flush();
      back = Callback.pasted(pasted);
    }
    if (back.containsKey("error")) {
      throw new IOException(
          "Spotify answered "
              + back.get("error")
              + ("access_denied".equals(back.get("error"))
                  ? ": the user did not agree; run authorize again when they will"
                  : ""));
    }
    if (!state.equals(back.get("state"))) {
      throw new IOException(
          "the redirect's state does not match this request: paste the address from this run's"
              + " URL, not an older one");
    }
    String code = back.get("code");
    if (code == null || code.isBlank()) {
      throw new IOException("the redirect carries no code: paste the whole address");
    }
    TokenGrant grant;
    try {
      grant = accounts.authorizationCode(code, redirectUri.toString(), verifier, clientId);
    } catch (ApiException.InvalidGrant e) {
      throw new IOException(
          "Spotify refused the code ("
              + e.getMessage()
              + "): codes work once and for a few minutes; run authorize again",
          e);
    }
    if (grant.newRefreshToken() == null) {
      throw new IOException("Spotify returned no refresh token: run authorize again");
    }
    String accountId = accountId(grant.accessToken());
    users.upsert(accountId, grant.newRefreshToken());
    return new Result(accountId, scopes, users.describe());
  }

  private String accountId(Secret accessToken) throws IOException {
    AccessTokenSource fixed =
        new AccessTokenSource() {
          @Override
          public Secret token() {
            return accessToken;
          }

          @Override
          public void invalidate(Secret token) {}
        };
    ApiResponse me = api.me(fixed);
    String accountId = me.body() == null ? "" : me.body().path("account_id").asText("");
    if (me.status() != 200 || accountId.isBlank()) {
      throw new IOException(
          "GET /me answered " + me.status() + " without an account_id; the user was not stored");
    }
    return accountId;
  }

  /** The exact command that re-authorizes a user, for invalid_grant messages. */
  public static String command(String usersSource, String target) {
    return "java -jar extractor.jar authorize --target "
        + target
        + " --users "
        + (usersSource.contains(" ") ? "'" + usersSource + "'" : usersSource);
  }
}
