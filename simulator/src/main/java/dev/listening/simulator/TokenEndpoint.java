package dev.listening.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * {@code POST /api/token} on the accounts base: client credentials, authorization code (see {@link
 * Authorization}) and refresh token grants, with Spotify's error bodies. Only 5xx and slow faults
 * apply here, and, like the API's, never more than {@link FaultInjector#MAX_IN_A_ROW} in a row for
 * the same grant.
 */
final class TokenEndpoint {
  static final String SCOPE =
      "playlist-read-private playlist-read-collaborative user-read-recently-played";
  private static final long ROTATE = Mix.hash("refresh-rotation");

  private final SpotifySimulator sim;
  private final Tokens tokens;
  private final boolean[] expired;
  private final long seed;

  private final Authorization authorization;

  TokenEndpoint(
      SpotifySimulator sim,
      Tokens tokens,
      Authorization authorization,
      boolean[] expired,
      long seed) {
    this.sim = sim;
    this.authorization = authorization;
    this.tokens = tokens;
    this.expired = expired;
    this.seed = seed;
  }

  Reply handle(HttpRequest req) {
    if (!req.method().equals("POST")) {
      return Reply.oauthError(405, "invalid_request", "Only POST is supported")
          .withHeader("Allow", "POST");
    }
    Map<String, String> form = HttpRequest.parseForm(req.bodyText());
    String grant = form.get("grant_type");
    String refresh = form.get("refresh_token");
    int user = refresh == null ? -1 : tokens.parseRefresh(refresh);

    SimulatorConfig.Faults faults = sim.faults();
    long key =
        Mix.hash("POST /api/token " + grant + " " + (refresh == null ? "client" : "user:" + user));
    FaultInjector.Plan plan = sim.injector().plan(faults, key, false);
    if (plan.slow()) {
      sim.stats().countInjected("slow");
      sim.sleep(faults.slowDelay());
    }
    if (plan.serverError() != 0) {
      sim.stats().countInjected("server_error");
    }
    sim.injector().record(key, plan.failing());
    if (plan.serverError() == 502) {
      return Reply.badGatewayHtml();
    }
    if (plan.serverError() != 0) {
      return plan.serverError() == 503
          ? Reply.oauthError(503, "temporarily_unavailable", "Service unavailable")
          : Reply.oauthError(500, "server_error", "Internal server error");
    }

    // A public (PKCE) client names itself with client_id instead of Basic credentials.
    boolean publicClient =
        req.authorization() == null
            && sim.clientId().equals(form.get("client_id"))
            && ("authorization_code".equals(grant)
                || ("refresh_token".equals(grant) && tokens.parsePkceRefresh(refresh) != null));
    Reply clientProblem = publicClient ? null : checkClient(req.authorization());
    if (clientProblem != null) {
      return clientProblem;
    }
    if (grant == null) {
      return Reply.oauthError(400, "unsupported_grant_type", "grant_type parameter is missing");
    }
    if (grant.equals("authorization_code")) {
      return authorization.exchange(form, !publicClient);
    }
    if (grant.equals("refresh_token")) {
      Reply pkce = authorization.refresh(refresh);
      if (pkce != null) {
        return pkce;
      }
    }
    long nowMs = sim.clock().nowMillis();
    long expiresAt = nowMs + sim.config().accessTokenTtl().toMillis();
    long expiresIn = sim.config().accessTokenTtl().toSeconds();
    switch (grant) {
      case "client_credentials" -> {
        int n = tokens.nextGrant(Tokens.CLIENT);
        return granted(tokens.issueAccess(Tokens.CLIENT, expiresAt, n), expiresIn, null, null);
      }
      case "refresh_token" -> {
        if (refresh == null || refresh.isEmpty()) {
          return Reply.oauthError(400, "invalid_request", "refresh_token must be supplied");
        }
        if (user < 0 || user >= expired.length) {
          return Reply.oauthError(400, "invalid_grant", "Invalid refresh token");
        }
        if (expired[user]) {
          // Refresh tokens expire six months after consent; the user has to consent again.
          return Reply.oauthError(400, "invalid_grant", "Refresh token revoked");
        }
        int n = tokens.nextGrant(user);
        String access = tokens.issueAccess(user, expiresAt, n);
        boolean rotate =
            Mix.unit(Mix.hash(seed, ROTATE, user, n)) < sim.config().refreshRotationShare();
        // The old refresh token stays valid too, as for Spotify apps without PKCE.
        String rotated = rotate ? tokens.refreshToken(user, n) : null;
        return granted(access, expiresIn, rotated, SCOPE);
      }
      default -> {
        return Reply.oauthError(400, "unsupported_grant_type", "grant_type parameter is invalid");
      }
    }
  }

  /**
   * A successful grant in Spotify's shape.
   *
   * @param refreshToken null when none is issued (client credentials, or not rotated)
   * @param scope null for the app's own token
   */
  static Reply granted(String access, long expiresIn, String refreshToken, String scope) {
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeStringField("access_token", access);
              g.writeStringField("token_type", "Bearer");
              g.writeNumberField("expires_in", expiresIn);
              if (refreshToken != null) {
                g.writeStringField("refresh_token", refreshToken);
              }
              if (scope != null) {
                g.writeStringField("scope", scope);
              }
              g.writeEndObject();
            }));
  }

  /** Null when the Basic credentials name this simulator's client, else the error reply. */
  private Reply checkClient(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Reply.oauthError(400, "invalid_client", "Invalid client");
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Reply.oauthError(400, "invalid_client", "Invalid client");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0 || !decoded.substring(0, colon).equals(sim.clientId())) {
      return Reply.oauthError(400, "invalid_client", "Invalid client");
    }
    byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
    byte[] expected = sim.clientSecret().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected)) {
      return Reply.oauthError(400, "invalid_client", "Invalid client secret");
    }
    return null;
  }
}
