package dev.listening.extractor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The accounts service's token endpoint: client-credentials grants for catalog calls and
 * refresh-token grants for user data. Retries 5xx and I/O errors with the same backoff as the API;
 * {@code invalid_grant} (the user must consent again) and {@code invalid_client} (wrong id or
 * secret) are not retried. Error messages carry the endpoint's error code, never a token.
 */
public final class AccountsClient {
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final HttpUrl tokenUrl;
  private final String basicAuth;
  private final ClientStats stats;
  private final Timing timing;
  private final RetrySettings settings;
  private final RetryPolicy<TokenGrant> policy;

  public AccountsClient(
      OkHttpClient http,
      ObjectMapper json,
      HttpUrl accountsBase,
      String clientId,
      Secret clientSecret,
      ClientStats stats,
      Timing timing,
      RetrySettings settings) {
    this.http = http;
    this.json = json;
    this.tokenUrl = accountsBase.newBuilder().addPathSegments("api/token").build();
    this.basicAuth = Credentials.basic(clientId, clientSecret.reveal());
    this.stats = stats;
    this.timing = timing;
    this.settings = settings;
    this.policy =
        RetryPolicy.<TokenGrant>builder()
            .handle(ApiException.Retryable.class)
            .withMaxAttempts(settings.maxAttempts())
            .onRetry(e -> stats.retry())
            .build();
  }

  public TokenGrant clientCredentials() throws InterruptedException {
    return grant(new FormBody.Builder().add("grant_type", "client_credentials").build());
  }

  /**
   * Exchanges an authorization code (the authorization code flow with PKCE): the code once, with
   * the redirect URI it was sent to and the verifier of the challenge the authorize URL carried.
   */
  public TokenGrant authorizationCode(
      String code, String redirectUri, Secret codeVerifier, String clientId)
      throws InterruptedException {
    return grant(
        new FormBody.Builder()
            .add("grant_type", "authorization_code")
            .add("code", code)
            .add("redirect_uri", redirectUri)
            .add("client_id", clientId)
            .add("code_verifier", codeVerifier.reveal())
            .build());
  }

  public TokenGrant refresh(Secret refreshToken) throws InterruptedException {
    return grant(
        new FormBody.Builder()
            .add("grant_type", "refresh_token")
            .add("refresh_token", refreshToken.reveal())
            .build());
  }

  private TokenGrant grant(FormBody form) throws InterruptedException {
    Request request =
        new Request.Builder()
            .url(tokenUrl)
            .header("Authorization", basicAuth)
            .header("Accept", "application/json")
            .post(form)
            .build();
    try {
      return Failsafe.with(policy)
          .get(
              ctx -> {
                if (ctx.getAttemptCount() > 0) {
                  Duration wait =
                      settings.backoff(
                          ctx.getAttemptCount(), ThreadLocalRandom.current().nextDouble());
                  stats.backoff(wait);
                  timing.sleep(wait);
                }
                return attempt(request);
              });
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw ie;
      }
      throw e;
    }
  }

  private TokenGrant attempt(Request request) {
    stats.tokenRequest();
    int status;
    JsonNode body;
    try (Response response = http.newCall(request).execute()) {
      status = response.code();
      byte[] bytes = response.body().bytes();
      body = parse(bytes);
    } catch (java.io.InterruptedIOException e) {
      // The client's own timeout, counted with the API's (ClientStats#timeouts).
      stats.timeout();
      throw new ApiException.Retryable(
          "no answer from the token endpoint in time: " + e.getMessage(), 0, null, e);
    } catch (IOException e) {
      throw new ApiException.Retryable(
          "I/O error calling the token endpoint: " + e.getMessage(), 0, null, e);
    }
    if (status == 200 && body != null && body.hasNonNull("access_token")) {
      JsonNode rotated = body.get("refresh_token");
      return new TokenGrant(
          Secret.of(body.get("access_token").asText()),
          Duration.ofSeconds(body.path("expires_in").asLong(3600)),
          rotated == null || rotated.isNull() || rotated.asText().isBlank()
              ? null
              : Secret.of(rotated.asText()));
    }
    String error = body == null ? null : body.path("error").asText(null);
    String description = body == null ? null : body.path("error_description").asText(null);
    if ("invalid_grant".equals(error)) {
      throw new ApiException.InvalidGrant(
          "refresh token rejected (invalid_grant: "
              + description
              + "): the user must authorize the app again");
    }
    if ("invalid_client".equals(error)) {
      throw new ApiException.InvalidClient(
          "client credentials rejected by the token endpoint (invalid_client: "
              + description
              + "): check SPOTIFY_CLIENT_ID and the client secret");
    }
    if (status == 429 || status >= 500 || status == 200) {
      // 200 without a token is a truncated body: worth another try, like a 5xx.
      throw new ApiException.Retryable(
          "token endpoint answered " + status + (error == null ? "" : " (" + error + ")"),
          status,
          null,
          null);
    }
    throw new ApiException(
        "token endpoint answered "
            + status
            + (error == null ? "" : " (" + error + ": " + description + ")"),
        status);
  }

  private JsonNode parse(byte[] bytes) {
    try {
      return bytes.length == 0 ? null : json.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }
}
