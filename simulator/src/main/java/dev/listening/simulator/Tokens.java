package dev.listening.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicIntegerArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access and refresh tokens, stateless: a token carries its subject (and an access token its
 * expiry) plus an HMAC, so memory does not grow with the number of tokens handed out.
 *
 * <p>Deterministic: the n-th grant of a subject yields the same token for the same seed.
 */
final class Tokens {
  static final int CLIENT = -1;
  private static final String ACCESS_PREFIX = "BQ";
  private static final String REFRESH_PREFIX = "AQ";
  // Refresh tokens from the authorization code flow with PKCE: single-use, rotated on refresh.
  private static final String PKCE_REFRESH_PREFIX = "AP";
  private static final int MAC_BYTES = 16;

  private final byte[] key;
  private final ThreadLocal<Mac> macs;
  private final AtomicIntegerArray grants;

  /** A verified access token. {@code hash} identifies it for per-token fault decisions. */
  record Access(int subject, long expiresAtMs, long hash) {
    boolean isUser() {
      return subject >= 0;
    }
  }

  Tokens(long seed, int users) {
    this.key =
        ByteBuffer.allocate(16)
            .putLong(Mix.hash(seed, Mix.hash("token-key")))
            .putLong(Mix.hash(seed, 7))
            .array();
    this.macs = ThreadLocal.withInitial(this::newMac);
    this.grants = new AtomicIntegerArray(users + 1);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
    }
  }

  /** Counts a grant for {@code subject} and returns its sequence number (1 = first). */
  int nextGrant(int subject) {
    return grants.incrementAndGet(subject + 1);
  }

  String issueAccess(int subject, long expiresAtMs, int grant) {
    ByteBuffer payload = ByteBuffer.allocate(16).putInt(subject).putLong(expiresAtMs).putInt(grant);
    return ACCESS_PREFIX + sign(payload.array());
  }

  /** Returns the verified token, or null when it is not one this simulator issued. */
  Access parseAccess(String token) {
    byte[] payload = verify(token, ACCESS_PREFIX, 16);
    if (payload == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    int subject = b.getInt();
    long expires = b.getLong();
    return new Access(subject, expires, Mix.hash(token));
  }

  String refreshToken(int user, int generation) {
    ByteBuffer payload = ByteBuffer.allocate(8).putInt(user).putInt(generation);
    return REFRESH_PREFIX + sign(payload.array());
  }

  String pkceRefreshToken(int user, int generation) {
    ByteBuffer payload = ByteBuffer.allocate(8).putInt(user).putInt(generation);
    return PKCE_REFRESH_PREFIX + sign(payload.array());
  }

  /** {user, generation} of a PKCE refresh token this simulator issued, else null. */
  int[] parsePkceRefresh(String token) {
    byte[] payload = verify(token, PKCE_REFRESH_PREFIX, 8);
    if (payload == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    return new int[] {b.getInt(), b.getInt()};
  }

  /** The user a refresh token belongs to, or -1 when it is not one this simulator issued. */
  int parseRefresh(String token) {
    byte[] payload = verify(token, REFRESH_PREFIX, 8);
    return payload == null ? -1 : ByteBuffer.wrap(payload).getInt();
  }

  private String sign(byte[] payload) {
    byte[] mac = macs.get().doFinal(payload);
    byte[] out = new byte[payload.length + MAC_BYTES];
    System.arraycopy(payload, 0, out, 0, payload.length);
    System.arraycopy(mac, 0, out, payload.length, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  private byte[] verify(String token, String prefix, int payloadBytes) {
    if (token == null || !token.startsWith(prefix)) {
      return null;
    }
    byte[] raw;
    try {
      raw =
          Base64.getUrlDecoder()
              .decode(token.substring(prefix.length()).getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (raw.length != payloadBytes + MAC_BYTES) {
      return null;
    }
    byte[] payload = java.util.Arrays.copyOf(raw, payloadBytes);
    byte[] expected = macs.get().doFinal(payload);
    byte[] given = java.util.Arrays.copyOfRange(raw, payloadBytes, raw.length);
    return MessageDigest.isEqual(java.util.Arrays.copyOf(expected, MAC_BYTES), given)
        ? payload
        : null;
  }
}
