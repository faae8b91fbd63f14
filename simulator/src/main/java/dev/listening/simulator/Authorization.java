package dev.listening.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The authorization code flow with PKCE, as Spotify's accounts service runs it: {@code GET
 * /authorize} (a consent page, or straight to the redirect when the test harness names the user
 * with {@code sim_user}), then {@code grant_type=authorization_code} at the token endpoint. Codes
 * are single-use and tied to their client, redirect URI and code challenge. Refresh tokens issued
 * this way rotate on every refresh and the previous one stops working, as Spotify's PKCE tokens do;
 * a new consent also renews a user whose earlier consent expired.
 */
final class Authorization {
  /** Registered in the simulated app's dashboard unless the simulator is told otherwise. */
  static final String DEFAULT_REDIRECT_URI = "http://127.0.0.1:8888/callback";

  private static final long CODE_TTL_MS = 10 * 60_000L;

  /** A code handed to the redirect URI, until it is exchanged once. */
  private record Grant(
      int user, String redirectUri, String challenge, String scope, long expiresAtMs) {}

  private final SpotifySimulator sim;
  private final Tokens tokens;
  private final Set<String> redirectUris = ConcurrentHashMap.newKeySet();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();
  // The generation of each user's current PKCE refresh token; 0: none issued.
  private final AtomicIntegerArray pkceGeneration;
  private final boolean[] consentRenewed;
  private final AtomicLong codeCounter = new AtomicLong();

  Authorization(SpotifySimulator sim, Tokens tokens, int users) {
    this.sim = sim;
    this.tokens = tokens;
    this.pkceGeneration = new AtomicIntegerArray(users);
    this.consentRenewed = new boolean[users];
    redirectUris.add(DEFAULT_REDIRECT_URI);
  }

  void registerRedirectUri(String uri) {
    redirectUris.add(uri);
  }

  /** True once the user consented again through this flow (their old expiry no longer holds). */
  boolean consentRenewed(int user) {
    return consentRenewed[user];
  }

  /** {@code GET /authorize}. */
  Reply authorize(HttpRequest req) {
    Map<String, String> q = req.query();
    if (!sim.clientId().equals(q.get("client_id"))) {
      return page(400, "INVALID_CLIENT: Invalid client");
    }
    String redirect = q.get("redirect_uri");
    if (redirect == null || !redirectUris.contains(redirect)) {
      return page(400, "INVALID_CLIENT: Invalid redirect URI");
    }
    String state = q.get("state");
    if (!"code".equals(q.get("response_type"))) {
      return redirect(redirect, "error", "unsupported_response_type", state);
    }
    String challenge = q.get("code_challenge");
    if (challenge != null && !"S256".equals(q.get("code_challenge_method"))) {
      return redirect(redirect, "error", "invalid_request", state);
    }
    String userKey = q.get("sim_user");
    if (userKey == null) {
      return consentPage(req);
    }
    int user = userIndex(userKey);
    if (user < 0) {
      return page(400, "No simulated user '" + userKey + "'");
    }
    if ("deny".equals(q.get("sim_answer"))) {
      return redirect(redirect, "error", "access_denied", state);
    }
    String code = newCode();
    codes.put(
        code,
        new Grant(
            user,
            redirect,
            challenge,
            q.getOrDefault("scope", ""),
            sim.clock().nowMillis() + CODE_TTL_MS));
    return redirect(redirect, "code", code, state);
  }

  /**
   * {@code grant_type=authorization_code}: the code once, for the redirect URI it was issued to,
   * with the verifier of its challenge.
   *
   * @param clientAuthenticated the request carried valid Basic credentials
   */
  Reply exchange(Map<String, String> form, boolean clientAuthenticated) {
    if (!clientAuthenticated && !sim.clientId().equals(form.get("client_id"))) {
      return Reply.oauthError(400, "invalid_client", "Invalid client");
    }
    String code = form.get("code");
    if (code == null || code.isEmpty()) {
      return Reply.oauthError(400, "invalid_request", "code must be supplied");
    }
    Grant grant = codes.remove(code);
    if (grant == null) {
      return Reply.oauthError(
          400,
          "invalid_grant",
          usedCodes.contains(code) ? "Authorization code expired" : "Invalid authorization code");
    }
    usedCodes.add(code);
    if (grant.expiresAtMs() < sim.clock().nowMillis()) {
      return Reply.oauthError(400, "invalid_grant", "Authorization code expired");
    }
    if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
      return Reply.oauthError(400, "invalid_grant", "Invalid redirect URI");
    }
    if (grant.challenge() != null) {
      String verifier = form.get("code_verifier");
      if (verifier == null || !grant.challenge().equals(challengeOf(verifier))) {
        return Reply.oauthError(400, "invalid_grant", "code_verifier was incorrect");
      }
    } else if (!clientAuthenticated) {
      return Reply.oauthError(400, "invalid_client", "Invalid client");
    }
    consentRenewed[grant.user()] = true;
    int generation = pkceGeneration.incrementAndGet(grant.user());
    return tokenReply(
        grant.user(), tokens.pkceRefreshToken(grant.user(), generation), grant.scope());
  }

  /**
   * A refresh with a PKCE refresh token: only the user's current one works, and it is replaced;
   * null when {@code token} is not a PKCE token.
   */
  Reply refresh(String token) {
    int[] parsed = tokens.parsePkceRefresh(token);
    if (parsed == null) {
      return null;
    }
    int user = parsed[0];
    int generation = parsed[1];
    if (user < 0 || user >= pkceGeneration.length()) {
      return Reply.oauthError(400, "invalid_grant", "Invalid refresh token");
    }
    if (!pkceGeneration.compareAndSet(user, generation, generation + 1)) {
      return Reply.oauthError(400, "invalid_grant", "Refresh token revoked");
    }
    return tokenReply(user, tokens.pkceRefreshToken(user, generation + 1), TokenEndpoint.SCOPE);
  }

  private Reply tokenReply(int user, String refreshToken, String scope) {
    long expiresAt = sim.clock().nowMillis() + sim.config().accessTokenTtl().toMillis();
    String access = tokens.issueAccess(user, expiresAt, tokens.nextGrant(user));
    long expiresIn = sim.config().accessTokenTtl().toSeconds();
    return TokenEndpoint.granted(access, expiresIn, refreshToken, scope);
  }

  static String challengeOf(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private String newCode() {
    return "AQ"
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                Long.toHexString(Mix.hash(sim.config().seed(), codeCounter.incrementAndGet()))
                    .getBytes(StandardCharsets.US_ASCII));
  }

  private int userIndex(String key) {
    for (int u = 0; u < sim.users().size(); u++) {
      if (sim.users().get(u).key().equals(key)) {
        return u;
      }
    }
    return -1;
  }

  private static Reply redirect(String to, String name, String value, String state) {
    String location =
        to
            + (to.contains("?") ? "&" : "?")
            + name
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8)
            + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
    return new Reply(302, new byte[0], "text/plain", Map.of("Location", location));
  }

  /** The consent page: one link per simulated user (a real login would choose the account). */
  private Reply consentPage(HttpRequest req) {
    StringBuilder html =
        new StringBuilder(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>Log in to the simulated"
                    + " Spotify</title></head><body><h1>Authorize the app</h1>"
                    + "<p>Scopes: ")
            .append(escape(req.query().getOrDefault("scope", "")))
            .append("</p><ul>");
    String base = "/authorize?" + req.rawQuery();
    for (SimUser u : sim.users()) {
      String href = base + "&sim_user=" + URLEncoder.encode(u.key(), StandardCharsets.UTF_8);
      html.append("<li><a id=\"agree-")
          .append(escape(u.key()))
          .append("\" href=\"")
          .append(escape(href))
          .append("\">Log in as ")
          .append(escape(u.key()))
          .append(" and agree</a></li>");
    }
    html.append("</ul><p><a id=\"cancel\" href=\"")
        .append(escape(base + "&sim_user=" + sim.users().get(0).key() + "&sim_answer=deny"))
        .append("\">Cancel</a></p></body></html>");
    return new Reply(
        200,
        html.toString().getBytes(StandardCharsets.UTF_8),
        "text/html; charset=utf-8",
        Map.of());
  }

  private static Reply page(int status, String message) {
    String html =
        "<!doctype html><html><body><h1>Error</h1><p>" + escape(message) + "</p></body></html>";
    return new Reply(
        status, html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", Map.of());
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
