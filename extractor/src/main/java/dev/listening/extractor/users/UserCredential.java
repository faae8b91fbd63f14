package dev.listening.extractor.users;

import dev.listening.extractor.api.Secret;

/** A user who consented to the app: a stable pseudonymous key and their refresh token. */
public record UserCredential(String key, Secret refreshToken) {}
