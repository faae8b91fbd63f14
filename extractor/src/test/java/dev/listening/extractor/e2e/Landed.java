package dev.listening.extractor.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import dev.listening.simulator.GroundTruth.PlayKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads a landing folder the way a downstream reader would. */
final class Landed {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Landed() {}

  static List<Path> files(Path root, String suffix) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The landed parts of an endpoint (landing name, e.g. "tracks"), as the contract names them. */
  static List<Path> parts(Path root, String endpoint) {
    return files(root.resolve(Endpoint.fromLandingName(endpoint).landingName()), "").stream()
        .filter(p -> LandingPartition.isPart(p.getFileName().toString()))
        .toList();
  }

  static List<JsonNode> envelopes(Path root, String endpoint) {
    List<JsonNode> out = new ArrayList<>();
    for (Path part : parts(root, endpoint)) {
      for (String line : text(part).split("\n")) {
        if (!line.isBlank()) {
          try {
            out.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new AssertionError(part + " holds a line that is not JSON: " + line, e);
          }
        }
      }
    }
    return out;
  }

  /**
   * The answers of an endpoint whose body came cut off, kept in the landing's quarantine folder
   * (each a landing line with the response as received), checked to be nothing else.
   */
  static List<String> quarantined(Path root, String endpoint) {
    List<String> out = new ArrayList<>();
    for (Path f :
        files(root.resolve(LandingPartition.QUARANTINE_FOLDER).resolve(endpoint), ".ndjson")) {
      String line = text(f);
      if (!line.startsWith("{\"" + Envelope.ENDPOINT + "\":\"" + endpoint + "\",")
          || !line.contains("\"" + Envelope.HTTP_STATUS + "\":200,")) {
        throw new AssertionError(f + " is not a quarantined answer: " + line);
      }
      try {
        JSON.readTree(line);
        throw new AssertionError(f + " holds whole JSON: nothing to quarantine");
      } catch (IOException e) {
        out.add(line);
      }
    }
    return out;
  }

  static String text(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes =
          file.toString().endsWith(".gz")
              ? new GZIPInputStream(in).readAllBytes()
              : in.readAllBytes();
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Distinct (user, played_at) over every landed recently-played page. */
  static Set<PlayKey> plays(Path root) {
    Set<PlayKey> plays = new HashSet<>();
    for (JsonNode e : envelopes(root, Endpoint.RECENTLY_PLAYED.landingName())) {
      for (JsonNode item : e.path(Envelope.RESPONSE).path("items")) {
        plays.add(
            new PlayKey(
                e.path(Envelope.USER_KEY).asText(),
                Instant.parse(item.path("played_at").asText())));
      }
    }
    return plays;
  }

  static List<JsonNode> manifests(Path root, String endpoint) {
    List<JsonNode> out = new ArrayList<>();
    for (Path m : files(root.resolve(endpoint), LandingPartition.MANIFEST)) {
      try {
        out.add(JSON.readTree(m.toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Every file under root with the SHA-256 of its bytes: equal maps mean nothing changed. */
  static Map<String, String> snapshot(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(
            root.relativize(p).toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** All text an operator or a reader could see under root (gzip expanded). */
  static String allText(Path root) {
    StringBuilder sb = new StringBuilder();
    for (Path p : files(root, "")) {
      if (Files.isRegularFile(p)) {
        sb.append(text(p)).append('\n');
      }
    }
    return sb.toString();
  }

  static Set<String> strings(Iterable<JsonNode> nodes) {
    Set<String> s = new HashSet<>();
    nodes.forEach(n -> s.add(n.asText()));
    return s;
  }
}
