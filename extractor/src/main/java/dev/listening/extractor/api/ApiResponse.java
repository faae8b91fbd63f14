package dev.listening.extractor.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.landing.Endpoint;
import java.time.Instant;
import java.util.Map;

/**
 * One answered request: what was asked (endpoint, path and parameters; never a token) and what came
 * back. {@code body} is the parsed JSON; {@code rawBody} the exact bytes, kept so the landing file
 * holds the page as the API sent it.
 *
 * @param endpoint the landing endpoint, or null for a call whose answer is not landed
 * @param serverTime the response's {@code Date} header: Spotify's clock (or the simulator's)
 */
public record ApiResponse(
    Endpoint endpoint,
    String path,
    Map<String, String> params,
    int status,
    JsonNode body,
    byte[] rawBody,
    Instant serverTime) {}
