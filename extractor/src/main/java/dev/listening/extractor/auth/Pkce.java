package dev.listening.extractor.auth;

import dev.listening.extractor.api.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Proof Key for Code Exchange (RFC 7636): a one-time verifier and its S256 challenge. */
final class Pkce {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Pkce() {}

  /** 64 random bytes, base64url: 86 characters, within RFC 7636's 43 to 128. */
  static Secret newVerifier() {
    return Secret.of(random(64));
  }

  /** BASE64URL(SHA-256(verifier)), without padding. */
  static String challenge(Secret verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(verifier.reveal().getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** The state parameter: ties the redirect to this request (CSRF). */
  static String newState() {
    return random(16);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
