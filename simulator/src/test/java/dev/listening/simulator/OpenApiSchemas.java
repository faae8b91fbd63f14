package dev.listening.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import dev.listening.landing.AppMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON against the response schemas of the shared Spotify OpenAPI file, resolving its
 * {@code #/components/...} refs, with OpenAPI 3.0 semantics ({@code nullable}).
 *
 * <p>The file is patched only where SPOTIFY_API_NOTES.md documents that the real API differs from
 * it; each patch below says which note it follows.
 */
final class OpenApiSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCUMENT_IRI = "https://spotify-sim.test/openapi-";
  private static final Map<AppMode, OpenApiSchemas> BY_PROFILE = new ConcurrentHashMap<>();
  private static JsonNode published;

  private final JsonSchemaFactory factory;
  private final String iri;

  /**
   * The file's discriminators (TrackObject | EpisodeObject on {@code type}) have no mapping, and
   * the implicit one (schema named like the value, "track") names no schema, so the keyword cannot
   * be applied; oneOf alone still demands exactly one of the two.
   */
  private final SchemaValidatorsConfig config =
      SchemaValidatorsConfig.builder()
          .nullableKeywordEnabled(true)
          .discriminatorKeywordEnabled(false)
          .build();

  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  private OpenApiSchemas(JsonNode document, String iri) {
    this.iri = iri;
    String text;
    try {
      text = JSON.writeValueAsString(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V4,
            b ->
                b.metaSchema(OpenApi30.getInstance())
                    .defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
                    .schemaLoaders(l -> l.schemas(Map.of(iri, text))));
  }

  /** The patched schemas for a profile (cached: parsing the 7,500-line file takes a moment). */
  static OpenApiSchemas forProfile(AppMode profile) {
    return BY_PROFILE.computeIfAbsent(
        profile,
        p -> {
          ObjectNode doc = publishedDocument().deepCopy();
          patch(doc, p);
          return new OpenApiSchemas(doc, DOCUMENT_IRI + p.wireName() + ".json");
        });
  }

  /** The file exactly as published, for negative tests that must not depend on the patches. */
  static OpenApiSchemas unpatched() {
    return new OpenApiSchemas(publishedDocument(), DOCUMENT_IRI + "published.json");
  }

  /** Errors of {@code json} against {@code ref}, e.g. "#/components/schemas/TrackObject". */
  Set<ValidationMessage> validate(String ref, JsonNode json) {
    return schemas
        .computeIfAbsent(ref, r -> factory.getSchema(SchemaLocation.of(iri + r), config))
        .validate(json);
  }

  Set<ValidationMessage> validate(String ref, String json) {
    try {
      return validate(ref, JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }

  /** The published file, kept in the test resources; -Dopenapi.spec=PATH tests another copy. */
  static java.net.URL specUrl() {
    String configured = System.getProperty("openapi.spec");
    if (configured != null && Files.exists(Path.of(configured))) {
      try {
        return Path.of(configured).toUri().toURL();
      } catch (java.net.MalformedURLException e) {
        throw new IllegalArgumentException(configured, e);
      }
    }
    return OpenApiSchemas.class.getResource("/spotify-openapi/fixed-spotify-open-api.yml");
  }

  /** The file as published (shared, do not modify). */
  static JsonNode document() {
    return publishedDocument();
  }

  private static synchronized JsonNode publishedDocument() {
    if (published == null) {
      try {
        published = new ObjectMapper(new YAMLFactory()).readTree(specUrl());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the OpenAPI file at " + specUrl(), e);
      }
    }
    return published;
  }

  private static void patch(ObjectNode doc, AppMode profile) {
    ObjectNode s = (ObjectNode) doc.path("components").path("schemas");

    // SPOTIFY_API_NOTES.md, "Objects": local files have is_local true and null id and href, and
    // their album and artists carry no id, href or uri (the README of the OpenAPI file names
    // this gap too). Allowed only on a track with is_local: true; every other track is checked
    // against the schema as published.
    ObjectNode localArtist = s.get("SimplifiedArtistObject").deepCopy();
    orNull(localArtist, "id", "href", "uri");
    s.set("LocalSimplifiedArtistObject", localArtist);
    ObjectNode localAlbumBase = s.get("AlbumBase").deepCopy();
    orNull(localAlbumBase, "id", "href", "uri", "release_date", "release_date_precision");
    s.set("LocalAlbumBase", localAlbumBase);
    ObjectNode localAlbum = s.get("SimplifiedAlbumObject").deepCopy();
    ArrayNode albumParts = (ArrayNode) localAlbum.get("allOf");
    ((ObjectNode) albumParts.get(0)).put("$ref", "#/components/schemas/LocalAlbumBase");
    ((ObjectNode) albumParts.get(1).path("properties").path("artists").path("items"))
        .put("$ref", "#/components/schemas/LocalSimplifiedArtistObject");
    s.set("LocalSimplifiedAlbumObject", localAlbum);
    ObjectNode track = (ObjectNode) s.get("TrackObject");
    ObjectNode localTrack = track.deepCopy();
    orNull(localTrack, "id", "href");
    ObjectNode props = (ObjectNode) localTrack.get("properties");
    props.set(
        "is_local",
        JSON.createObjectNode()
            .put("type", "boolean")
            .set("enum", JSON.createArrayNode().add(true)));
    props.set("album", ref("LocalSimplifiedAlbumObject"));
    ((ObjectNode) props.get("artists")).set("items", ref("LocalSimplifiedArtistObject"));
    localTrack.set("required", JSON.createArrayNode().add("is_local"));
    s.set("LocalTrackObject", localTrack);
    s.set("PublishedTrackObject", track);
    ObjectNode either = JSON.createObjectNode();
    either.set(
        "anyOf",
        JSON.createArrayNode().add(ref("PublishedTrackObject")).add(ref("LocalTrackObject")));
    s.set("TrackObject", either);

    // SPOTIFY_API_NOTES.md, "Recently played": cursors and next are null on an empty page (next
    // also on the last page), and context is {type, href, external_urls, uri} or null. The file
    // types them without nullable.
    orNull((ObjectNode) s.get("CursorPagingObject"), "next", "cursors");
    orNull((ObjectNode) s.get("PlayHistoryObject"), "context");

    // Not an API difference but a gap in the file: its discriminators (TrackObject | EpisodeObject
    // on "type") have no mapping, and the implicit one (a schema named like the value, "track")
    // names no schema, so a validator that applies them rejects every item. Without them, oneOf
    // still demands that an item be exactly one of the two.
    for (String holder : List.of("PlaylistTrackObject")) {
      for (JsonNode property : s.get(holder).get("properties")) {
        if (property instanceof ObjectNode o) {
          o.remove("discriminator");
        }
      }
    }

    if (profile == AppMode.DEVELOPMENT) {
      // SPOTIFY_API_NOTES.md, "Two kinds of app": development mode apps get no album label and
      // popularity, which the file lists as required.
      ArrayNode required = (ArrayNode) s.get("AlbumObject").get("required");
      for (int i = required.size() - 1; i >= 0; i--) {
        String name = required.get(i).asText();
        if (name.equals("label") || name.equals("popularity")) {
          required.remove(i);
        }
      }
    }
  }

  /** Lets each named property also be null, whatever its schema (allOf and enum included). */
  private static void orNull(ObjectNode schema, String... names) {
    ObjectNode props = (ObjectNode) schema.get("properties");
    for (String name : names) {
      JsonNode original = props.get(name);
      if (original == null) {
        throw new IllegalStateException("OpenAPI file changed: no property " + name + " to patch");
      }
      ObjectNode alternatives = JSON.createObjectNode();
      alternatives.set(
          "anyOf",
          JSON.createArrayNode()
              .add(original)
              .add(JSON.createObjectNode().set("enum", JSON.createArrayNode().addNull())));
      props.set(name, alternatives);
    }
  }

  private static ObjectNode ref(String name) {
    return JsonNodeFactory.instance.objectNode().put("$ref", "#/components/schemas/" + name);
  }

  static List<String> messages(Set<ValidationMessage> errors) {
    return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
