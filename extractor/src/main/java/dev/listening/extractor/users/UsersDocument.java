package dev.listening.extractor.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.listening.extractor.Json;
import dev.listening.extractor.api.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The users file format, shared by the file and Secret Manager sources: {@code {"users": [{"key":
 * "...", "refresh_token": "..."}]}}. {@code key} is the user's stable key, Spotify's {@code
 * account_id}; an entry without one gets it from {@code GET /me} on the first run, which writes it
 * back. Parsing lists every problem at once and never quotes a token.
 */
final class UsersDocument {
  private UsersDocument() {}

  static List<UserCredential> parse(byte[] bytes, String where) throws IOException {
    JsonNode root;
    try {
      root = Json.mapper().readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var at = e.getLocation();
      throw new BadUsersInput(
          "users in "
              + where
              + " are not valid JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              // Jackson's own message is left out: it may quote the text, tokens included.
              + ": expected {\"users\":[{\"key\":...,\"refresh_token\":...}]}");
    }
    JsonNode users = root == null ? null : root.get("users");
    if (users == null || !users.isArray()) {
      throw new BadUsersInput(
          "users in "
              + where
              + " must be an object with a \"users\" array of {key, refresh_token}");
    }
    List<UserCredential> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < users.size(); i++) {
      JsonNode u = users.get(i);
      String key = u.path("key").asText("");
      String token = u.path("refresh_token").asText("");
      if (!key.isBlank() && !seen.add(key)) {
        problems.add("user '" + key + "' appears twice");
      }
      if (token.isBlank()) {
        problems.add(
            "entry " + i + (key.isBlank() ? "" : " ('" + key + "')") + " has no \"refresh_token\"");
      }
      if (!token.isBlank()) {
        out.add(new UserCredential(key.isBlank() ? null : key, Secret.of(token)));
      }
    }
    if (!problems.isEmpty()) {
      throw new BadUsersInput(
          "users in " + where + " have problems: " + String.join("; ", problems));
    }
    return out;
  }

  /** An empty document, for a users file that does not exist yet. */
  static final byte[] EMPTY = "{\"users\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** The document with the user's refresh token replaced, or the user added when new. */
  static byte[] withUser(byte[] bytes, String userKey, Secret token, String where)
      throws IOException {
    JsonNode root = Json.mapper().readTree(bytes);
    if (!(root instanceof ObjectNode o) || !(root.get("users") instanceof ArrayNode users)) {
      throw new IOException(
          "users in " + where + " must be an object with a \"users\" array; fix or move it");
    }
    for (JsonNode u : users) {
      if (userKey.equals(u.path("key").asText()) && u instanceof ObjectNode entry) {
        entry.put("refresh_token", token.reveal());
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
      }
    }
    users.addObject().put("key", userKey).put("refresh_token", token.reveal());
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
  }

  /** The document with the key set on the (keyless) entry holding {@code token}. */
  static byte[] withKey(byte[] bytes, Secret token, String key, String where) throws IOException {
    JsonNode root = Json.mapper().readTree(bytes);
    if (!(root instanceof ObjectNode) || !(root.get("users") instanceof ArrayNode users)) {
      throw new IOException("users in " + where + " changed shape while storing a user's key");
    }
    for (JsonNode u : users) {
      boolean keyless = u.path("key").asText("").isBlank();
      if (keyless && token.reveal().equals(u.path("refresh_token").asText())
          || key.equals(u.path("key").asText())) {
        ((ObjectNode) u).put("key", key);
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
      }
    }
    throw new IOException(
        "a user of " + where + " changed while its key '" + key + "' was being stored");
  }

  /** The document with one user's refresh token replaced. */
  /**
   * The document with one user's refresh token replaced: found by key, or for an entry that has no
   * key yet, by the token it held.
   */
  static byte[] withToken(byte[] bytes, UserCredential user, Secret token, String where)
      throws IOException {
    JsonNode root = Json.mapper().readTree(bytes);
    if (!(root instanceof ObjectNode) || !(root.get("users") instanceof ArrayNode users)) {
      throw new IOException("users in " + where + " changed shape while rotating a token");
    }
    for (JsonNode u : users) {
      boolean match =
          user.key() != null
              ? user.key().equals(u.path("key").asText())
              : user.refreshToken().reveal().equals(u.path("refresh_token").asText());
      if (match && u instanceof ObjectNode o) {
        o.put("refresh_token", token.reveal());
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
      }
    }
    throw new IOException(
        (user.key() == null ? "a keyless user" : "user '" + user.key() + "'")
            + " is no longer in "
            + where
            + "; its rotated token was not stored");
  }
}
