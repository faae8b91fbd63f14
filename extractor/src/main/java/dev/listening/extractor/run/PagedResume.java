package dev.listening.extractor.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.Json;
import dev.listening.landing.Envelope;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a resumed run of a paged endpoint (new releases per market, the items of each playlist)
 * picks up: for each unit an earlier attempt of the same run started, the page after the last one
 * it landed, or nothing more when that page was the unit's last. Pages of a unit land in order, so
 * the landed page with the highest offset is the last one; its {@code next} link is the rest.
 */
final class PagedResume {
  private record Last(int offset, String next) {}

  private final Map<String, Last> lastByUnit = new HashMap<>();

  private PagedResume() {}

  /**
   * Reads the earlier attempts' lines of {@code landing}.
   *
   * @param unitOf the unit a landed envelope belongs to, as the run names it (empty: none)
   * @param pagingField the paging object inside the page, or null when the page is one
   */
  static PagedResume read(
      PartitionRun landing, Function<JsonNode, String> unitOf, String pagingField)
      throws IOException {
    PagedResume resume = new PagedResume();
    landing.forEachEarlierLine(
        line -> {
          JsonNode envelope = Json.mapper().readTree(line);
          String unit = unitOf.apply(envelope);
          JsonNode response = envelope.path(Envelope.RESPONSE);
          JsonNode paging = pagingField == null ? response : response.path(pagingField);
          if (unit.isEmpty() || !paging.isObject()) {
            return;
          }
          int offset = paging.path("offset").asInt(0);
          JsonNode next = paging.path("next");
          String link = next.isTextual() && !next.asText().isBlank() ? next.asText() : null;
          resume.lastByUnit.merge(
              unit, new Last(offset, link), (a, b) -> b.offset() > a.offset() ? b : a);
        });
    return resume;
  }

  /** A request parameter of a landed envelope ({@code country}, {@code playlist_id}). */
  static String param(JsonNode envelope, String name) {
    return envelope.path(Envelope.REQUEST).path(Envelope.REQUEST_PARAMS).path(name).asText("");
  }

  /** No earlier attempt landed a page of this unit: read it from its first page. */
  boolean notStarted(String unit) {
    return !lastByUnit.containsKey(unit);
  }

  /** An earlier attempt landed every page of this unit. */
  boolean finished(String unit) {
    Last last = lastByUnit.get(unit);
    return last != null && last.next() == null;
  }

  /** The link to the first page no earlier attempt landed, for a unit started and not finished. */
  Optional<String> nextLink(String unit) {
    return Optional.ofNullable(lastByUnit.get(unit)).map(Last::next);
  }

  /** How many units an earlier attempt started. */
  int started() {
    return lastByUnit.size();
  }

  /** How many units an earlier attempt finished. */
  long finished() {
    return lastByUnit.values().stream().filter(l -> l.next() == null).count();
  }
}
