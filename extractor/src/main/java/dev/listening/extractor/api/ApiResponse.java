package dev.listening.extractor.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.landing.Endpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One answered request: what was asked (endpoint, path and parameters; never a token) and what came
 * back. {@code body} is the parsed JSON; {@code rawBody} the exact bytes, kept so the landing file
 * holds the page as the API sent it.
 *
 * @param endpoint the landing endpoint, or null for a call whose answer is not landed
 * @param serverTime the response's {@code Date} header: Spotify's clock (or the simulator's)
 * @param malformedAttempts earlier answers to the same request that came with a body that is not
 *     whole JSON (body null, rawBody as received), oldest first: for the run to quarantine
 */
public record ApiResponse(
    Endpoint endpoint,
    String path,
    Map<String, String> params,
    int status,
    JsonNode body,
    byte[] rawBody,
    Instant serverTime,
    List<ApiResponse> malformedAttempts) {

  public ApiResponse {
    malformedAttempts = malformedAttempts == null ? List.of() : List.copyOf(malformedAttempts);
  }

  public ApiResponse(
      Endpoint endpoint,
      String path,
      Map<String, String> params,
      int status,
      JsonNode body,
      byte[] rawBody,
      Instant serverTime) {
    this(endpoint, path, params, status, body, rawBody, serverTime, List.of());
  }
}
