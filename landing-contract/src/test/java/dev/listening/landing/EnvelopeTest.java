package dev.listening.landing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private final ObjectMapper json = new ObjectMapper();

  private static Envelope envelope(Map<String, String> params, String userKey, String response) {
    return new Envelope(
        Endpoint.RECENTLY_PLAYED,
        "/v1/me/player/recently-played",
        params,
        userKey,
        Instant.parse("2026-11-20T13:00:00.250Z"),
        "poll-20261120T1300Z",
        AppMode.EXTENDED.wireName(),
        200,
        response == null ? null : response.getBytes(StandardCharsets.UTF_8),
        1);
  }

  @Test
  void aLineIsOneJsonObjectWithEveryFieldAndThePageAsSent() throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("limit", "50");
    params.put("after", "1763640000000");
    byte[] line = envelope(params, "u1", "{\"items\":[{\"played_at\":\"x\"}]}").toLine();

    String text = new String(line, StandardCharsets.UTF_8);
    assertThat(text).endsWith("}\n").doesNotContain("\n}");
    assertThat(text.indexOf('\n')).as("one line").isEqualTo(text.length() - 1);
    JsonNode e = json.readTree(line);
    assertThat(e.get(Envelope.ENDPOINT).asText()).isEqualTo("recently_played");
    assertThat(e.path(Envelope.REQUEST).path(Envelope.REQUEST_METHOD).asText()).isEqualTo("GET");
    assertThat(e.path(Envelope.REQUEST).path(Envelope.REQUEST_PATH).asText())
        .isEqualTo("/v1/me/player/recently-played");
    assertThat(e.path(Envelope.REQUEST).path(Envelope.REQUEST_PARAMS).path("after").asText())
        .isEqualTo("1763640000000");
    assertThat(e.get(Envelope.USER_KEY).asText()).isEqualTo("u1");
    assertThat(e.get(Envelope.FETCHED_AT).asText()).isEqualTo("2026-11-20T13:00:00.250Z");
    assertThat(e.get(Envelope.RUN_ID).asText()).isEqualTo("poll-20261120T1300Z");
    assertThat(e.get(Envelope.APP_MODE).asText()).isEqualTo("extended");
    assertThat(e.get(Envelope.HTTP_STATUS).asInt()).isEqualTo(200);
    assertThat(e.path(Envelope.RESPONSE).path("items").get(0).path("played_at").asText())
        .isEqualTo("x");
  }

  @Test
  void stringsThatNeedEscapingStayExactAndPrettyPrintedPagesStayOnOneLine() throws Exception {
    String odd = "quote\" back\\slash tab\t nl\n ctl\u0001 sep\u2028 emoji \uD83C\uDFB5 åäö";
    byte[] line = envelope(Map.of("q", odd), odd, "{\n  \"items\": [],\r\n  \"x\": 1\n}").toLine();

    String text = new String(line, StandardCharsets.UTF_8);
    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    JsonNode e = json.readTree(line);
    assertThat(e.get(Envelope.USER_KEY).asText()).isEqualTo(odd);
    assertThat(e.path(Envelope.REQUEST).path(Envelope.REQUEST_PARAMS).path("q").asText())
        .isEqualTo(odd);
    assertThat(e.path(Envelope.RESPONSE).path("x").asInt()).isEqualTo(1);
  }

  @Test
  void noUserAndNoBodyLandAsJsonNulls() throws Exception {
    JsonNode e = json.readTree(envelope(Map.of(), null, null).toLine());
    assertThat(e.get(Envelope.USER_KEY).isNull()).isTrue();
    assertThat(e.get(Envelope.RESPONSE).isNull()).isTrue();
  }

  @Test
  void envelopeLinesAreSingleLineJsonKeepingThePageAsSent() throws Exception {
    String pretty =
        "{\n  \"items\" : [ {\n    \"name\" : \"Tab\\there, \\\"quoted\\\" \uD83C\uDFB5 \u65E5\u672C\"\n  } ],\n  \"next\" : null\r\n}";
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ids", "a,b");
    byte[] bytes =
        new Envelope(
                Endpoint.TRACKS,
                "/v1/tracks",
                params,
                null,
                Instant.parse("2026-11-20T13:00:00Z"),
                "r1",
                "extended",
                200,
                pretty.getBytes(StandardCharsets.UTF_8),
                1)
            .toLine();
    String text = new String(bytes, StandardCharsets.UTF_8);

    assertThat(text).endsWith("}\n");
    assertThat(text.substring(0, text.length() - 1)).doesNotContain("\n").doesNotContain("\r");
    JsonNode node = json.readTree(bytes);
    assertThat(node.path("endpoint").asText()).isEqualTo("tracks");
    assertThat(node.path("request").path("params").path("ids").asText()).isEqualTo("a,b");
    assertThat(node.path("user_key").isNull()).isTrue();
    assertThat(node.path("http_status").asInt()).isEqualTo(200);
    assertThat(node.path("response")).isEqualTo(json.readTree(pretty));
    assertThat(node.path("response").path("items").get(0).path("name").asText())
        .isEqualTo("Tab\there, \"quoted\" \uD83C\uDFB5 \u65E5\u672C");

    JsonNode empty =
        json.readTree(
            new Envelope(
                    Endpoint.TRACKS,
                    "/v1/tracks/x",
                    Map.of("id", "x"),
                    null,
                    Instant.EPOCH,
                    "r1",
                    "development",
                    404,
                    null,
                    0)
                .toLine());
    assertThat(empty.path("response").isNull()).isTrue();
  }
}
