package dev.listening.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /_sim/...}: control and ground truth for a simulator running as its own process. No
 * authentication and no faults: these stand in for things that are not Spotify (the consent
 * database, the test harness).
 */
final class AdminEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<GroundTruth.PlayKey> BY_USER_THEN_TIME =
      Comparator.comparing(GroundTruth.PlayKey::userKey)
          .thenComparing(GroundTruth.PlayKey::playedAt);

  private final SpotifySimulator sim;

  AdminEndpoints(SpotifySimulator sim) {
    this.sim = sim;
  }

  /** Opens a 200 response streamed in chunks, for answers too big for one buffer. */
  @FunctionalInterface
  interface Streamer {
    OutputStream open(String contentType) throws IOException;
  }

  /** Returns null when the reply was streamed through {@code streamer}. */
  Reply handle(HttpRequest req, Streamer streamer) throws IOException {
    String route = req.method() + " " + req.path();
    switch (route) {
      case "GET /_sim/users":
        return users();
      case "GET /_sim/clock":
        return clock();
      case "POST /_sim/clock":
        return setClock(req);
      case "GET /_sim/stats":
        return stats();
      case "GET /_sim/truth/plays":
        streamPlays(streamer);
        return null;
      case "POST /_sim/truth/retrievability":
        return retrievability(req);
      case "GET /_sim/truth/new-release-tracks":
        return newReleaseTracks(req);
      default:
        return Reply.apiError(404, "No such simulator endpoint: " + route);
    }
  }

  /**
   * The local stand-in for a consent database, and the only place tokens and the client secret are
   * served (never logged or printed).
   */
  private Reply users() {
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeStringField("client_id", sim.clientId());
              g.writeStringField("client_secret", sim.clientSecret());
              g.writeArrayFieldStart("users");
              for (SimUser u : sim.users()) {
                g.writeStartObject();
                g.writeStringField("key", u.key());
                g.writeStringField("refresh_token", u.refreshToken());
                g.writeBooleanField("token_expired", u.tokenExpired());
                g.writeArrayFieldStart("playlist_ids");
                for (String id : u.playlistIds()) {
                  g.writeString(id);
                }
                g.writeEndArray();
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  private Reply clock() {
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeStringField("now", sim.clock().now().toString());
              g.writeStringField("mode", sim.clock().flowing() ? "flowing" : "frozen");
              g.writeEndObject();
            }));
  }

  /** {"now": "..."} freezes the clock there; {"advance": "PT1H"} moves it. */
  private Reply setClock(HttpRequest req) {
    try {
      JsonNode body = JSON.readTree(req.body());
      if (body != null && body.hasNonNull("now")) {
        sim.clock().set(Instant.parse(body.get("now").asText()));
      } else if (body != null && body.hasNonNull("advance")) {
        sim.clock().advance(Duration.parse(body.get("advance").asText()));
      } else {
        return Reply.apiError(
            400, "Body must be {\"now\":\"<ISO instant>\"} or {\"advance\":\"PT1H\"}");
      }
    } catch (IOException | DateTimeParseException e) {
      return Reply.apiError(400, "Unreadable clock body: " + e.getMessage());
    }
    return clock();
  }

  private Reply stats() {
    SimStats s = sim.stats();
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeNumberField("requests", s.requests());
              g.writeNumberField("accepted", s.accepted());
              g.writeNumberField("rate_limited", s.rateLimited());
              g.writeNumberField("quota_rejected", s.quotaRejected());
              g.writeNumberField("token_requests", s.tokenRequests());
              g.writeNumberField("retry_after_given", s.retryAfterGiven());
              g.writeNumberField("retry_after_missing", s.retryAfterMissing());
              // Requests that came before a Retry-After given to their client had passed.
              g.writeNumberField("early_requests", s.earlyRequests());
              g.writeObjectFieldStart("early_requests_by_client");
              for (Map.Entry<String, Long> e : s.earlyRequestsByClient().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
              }
              g.writeEndObject();
              g.writeObjectFieldStart("injected");
              for (Map.Entry<String, Long> e : s.injected().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
              }
              g.writeEndObject();
              g.writeObjectFieldStart("by_status");
              for (Map.Entry<Integer, Long> e : s.byStatus().entrySet()) {
                g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
              }
              g.writeEndObject();
              g.writeObjectFieldStart("by_endpoint");
              for (Map.Entry<String, Long> e : s.byEndpoint().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
              }
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  /** NDJSON, one play per line, streamed: a big day does not fit comfortably in one buffer. */
  private void streamPlays(Streamer streamer) throws IOException {
    try (OutputStream out =
            new BufferedOutputStream(
                streamer.open("application/x-ndjson; charset=utf-8"), 1 << 16);
        JsonGenerator g = JsonRenderer.FACTORY.createGenerator(out)) {
      g.setRootValueSeparator(new SerializedString("\n"));
      GroundTruth truth = sim.groundTruth();
      for (int u = 0; u < truth.userKeys.length; u++) {
        for (int i = truth.userStart[u]; i < truth.userStart[u + 1]; i++) {
          g.writeStartObject();
          g.writeStringField("user_key", truth.userKeys[u]);
          g.writeStringField("played_at", JsonRenderer.playedAt(truth.playedAtMs[i]));
          g.writeStringField("visible_at", JsonRenderer.playedAt(truth.visibleAtMs(i)));
          g.writeStringField("track_id", truth.catalog.trackIdOrNull(truth.item[i]));
          g.writeStringField("track_uri", truth.catalog.trackUri(truth.item[i]));
          g.writeStringField("context_uri", truth.contextUri(truth.context[i]));
          // What a listening report needs to be checked against: the track's length and artists.
          g.writeNumberField("duration_ms", truth.catalog.durationMs(truth.item[i]));
          g.writeArrayFieldStart("artist_ids");
          for (String id : truth.catalog.artistIdsOf(truth.item[i])) {
            g.writeString(id);
          }
          g.writeEndArray();
          g.writeEndObject();
        }
      }
      g.writeRaw('\n');
    }
  }

  /**
   * {@code ?markets=SE,JP}: NDJSON, one line per track of each market's new releases (market,
   * album_id, position on the album, track_id, duration_ms, artist_ids in billing order): what a
   * complete extraction of new releases with their tracks holds.
   */
  private Reply newReleaseTracks(HttpRequest req) {
    String markets = req.query().get("markets");
    if (markets == null || markets.isBlank()) {
      return Reply.apiError(
          400, "Pass ?markets=SE,JP,... (the markets new releases were read for)");
    }
    Catalog c = sim.catalog();
    return new Reply(
        200,
        JsonRenderer.render(
            g -> {
              g.setRootValueSeparator(new SerializedString("\n"));
              for (String raw : markets.split(",")) {
                String market = raw.trim().toUpperCase(java.util.Locale.ROOT);
                for (String album : c.newReleaseAlbumIds(market)) {
                  int position = 0;
                  for (String track : c.albumTrackIds(album).orElseThrow()) {
                    int t = c.trackIndexOf(track);
                    g.writeStartObject();
                    g.writeStringField("market", market);
                    g.writeStringField("album_id", album);
                    g.writeNumberField("position", ++position);
                    g.writeStringField("track_id", track);
                    g.writeNumberField("duration_ms", c.durationMs(t));
                    g.writeArrayFieldStart("artist_ids");
                    for (String id : c.artistIdsOf(t)) {
                      g.writeString(id);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                  }
                }
              }
              g.writeRaw('\n');
            }),
        "application/x-ndjson; charset=utf-8",
        Map.of());
  }

  private Reply retrievability(HttpRequest req) {
    List<Instant> polls = new ArrayList<>();
    Optional<Instant> startFrom;
    try {
      JsonNode body = JSON.readTree(req.body());
      if (body == null || !body.path("polls").isArray()) {
        return Reply.apiError(
            400, "Body must be {\"polls\":[\"<ISO instant>\",...],\"start_from\":null}");
      }
      for (JsonNode poll : body.get("polls")) {
        polls.add(Instant.parse(poll.asText()));
      }
      JsonNode start = body.get("start_from");
      startFrom =
          start == null || start.isNull()
              ? Optional.empty()
              : Optional.of(Instant.parse(start.asText()));
    } catch (IOException | DateTimeParseException e) {
      return Reply.apiError(400, "Unreadable retrievability body: " + e.getMessage());
    }
    GroundTruth.Retrievability r = sim.groundTruth().retrievability(polls, startFrom);
    return Reply.json(
        200,
        JsonRenderer.render(
            g -> {
              g.writeStartObject();
              g.writeObjectFieldStart("counts");
              g.writeNumberField("retrievable", r.retrievable().size());
              g.writeNumberField("lost_in_gaps", r.lostInGaps().size());
              g.writeNumberField("late_evicted", r.lateEvicted().size());
              g.writeNumberField("not_yet_visible", r.notYetVisible().size());
              g.writeNumberField("unauthorized", r.unauthorized().size());
              g.writeNumberField("gaps", r.gaps().size());
              g.writeEndObject();
              writeKeys(g, "retrievable", r.retrievable());
              writeKeys(g, "lost_in_gaps", r.lostInGaps());
              writeKeys(g, "late_evicted", r.lateEvicted());
              writeKeys(g, "not_yet_visible", r.notYetVisible());
              writeKeys(g, "unauthorized", r.unauthorized());
              g.writeArrayFieldStart("gaps");
              for (GroundTruth.PollGap gap : r.gaps()) {
                g.writeStartObject();
                g.writeStringField("user_key", gap.userKey());
                g.writeStringField("poll_time", gap.pollTime().toString());
                g.writeStringField(
                    "window_from", JsonRenderer.playedAt(gap.windowFrom().toEpochMilli()));
                g.writeStringField(
                    "window_to", JsonRenderer.playedAt(gap.windowTo().toEpochMilli()));
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  private static void writeKeys(JsonGenerator g, String field, Set<GroundTruth.PlayKey> keys)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (GroundTruth.PlayKey key : keys.stream().sorted(BY_USER_THEN_TIME).toList()) {
      g.writeStartObject();
      g.writeStringField("user_key", key.userKey());
      g.writeStringField("played_at", JsonRenderer.playedAt(key.playedAt().toEpochMilli()));
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
