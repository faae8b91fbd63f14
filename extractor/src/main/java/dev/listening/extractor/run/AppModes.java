package dev.listening.extractor.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.Json;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.landing.AppMode;
import dev.listening.landing.StateLayout;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's mode as found out in auto mode ({@code <landing>/_state/app_mode.json}): a batch
 * look-up that answered 403 shows development mode, one that answered 200 extended. Remembered so
 * that every later run lands under the right mode from its first page.
 */
final class AppModes {
  private static final Logger log = LoggerFactory.getLogger(AppModes.class);

  private final BlobStore landing;
  private volatile AppMode found;
  private volatile String how;

  private AppModes(BlobStore landing, AppMode found, String how) {
    this.landing = landing;
    this.found = found;
    this.how = how;
  }

  static AppModes load(BlobStore landing) throws IOException {
    Optional<BlobStore.Blob> blob = landing.get(StateLayout.appMode());
    if (blob.isEmpty()) {
      return new AppModes(landing, null, null);
    }
    try {
      JsonNode n = Json.mapper().readTree(blob.get().bytes());
      return new AppModes(
          landing, AppMode.parse(n.path("app_mode").asText()), n.path("found_by").asText());
    } catch (IOException | IllegalArgumentException e) {
      log.warn(
          "{} is unreadable ({}); finding the app mode out again",
          landing.uri(StateLayout.appMode()),
          e.getMessage());
      return new AppModes(landing, null, null);
    }
  }

  AppMode found() {
    return found;
  }

  String how() {
    return how;
  }

  synchronized void remember(AppMode mode, String foundBy, Instant at) {
    if (mode == found) {
      return;
    }
    found = mode;
    how = foundBy;
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("app_mode", mode.wireName());
    doc.put("found_by", foundBy);
    doc.put("at", at.toString());
    try {
      landing.put(StateLayout.appMode(), Json.mapper().writeValueAsBytes(doc));
    } catch (IOException e) {
      log.warn(
          "could not remember the app mode in {}: {}",
          landing.uri(StateLayout.appMode()),
          e.getMessage());
    }
  }
}
