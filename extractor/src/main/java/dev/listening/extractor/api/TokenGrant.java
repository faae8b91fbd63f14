package dev.listening.extractor.api;

import java.time.Duration;

/**
 * An answer of the token endpoint.
 *
 * @param newRefreshToken set only when Spotify rotated the refresh token; null means "keep the one
 *     you have"
 */
public record TokenGrant(Secret accessToken, Duration expiresIn, Secret newRefreshToken) {}
