package dev.listening.extractor.users;

import dev.listening.extractor.api.Secret;

/**
 * A user who consented to the app: their stable key (Spotify's {@code account_id}; null until it is
 * looked up for an entry that has none) and their refresh token.
 */
public record UserCredential(String key, Secret refreshToken) {}
