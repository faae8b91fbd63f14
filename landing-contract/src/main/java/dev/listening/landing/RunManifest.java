package dev.listening.landing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run's shard landed for one endpoint ({@code _manifest.json} beside the parts): every
 * part with its counts and SHA-256, and whether the run finished. Written after each part and last,
 * so a reader that sees "complete" knows every listed part is there; "partial" says the next run
 * must resume.
 *
 * <p>The JSON form is {@link #toMap()} / {@link #fromMap(Map)}: each side serialises the map with
 * its own JSON library, so the field names live here only.
 *
 * @param details endpoint-specific facts of the run, e.g. {@code gaps} for recently-played
 */
public record RunManifest(
    Endpoint endpoint,
    String date,
    String runId,
    String shard,
    Status status,
    String appMode,
    Instant startedAt,
    Instant finishedAt,
    List<Part> parts,
    long pages,
    long items,
    long bytes,
    String message,
    Map<String, Object> details) {

  /** A published part: its path under the landing root, its counts and its SHA-256 (hex). */
  public record Part(String path, int pages, long items, long bytes, String sha256) {}

  public enum Status {
    COMPLETE,
    PARTIAL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Status parse(String value) {
      for (Status s : values()) {
        if (s.wireName().equals(value)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "'" + STATUS + "' is '" + value + "', not complete or partial");
    }
  }

  // Field names of the JSON form.
  public static final String ENDPOINT = "endpoint";
  public static final String DATE = "date";
  public static final String RUN_ID = "run_id";
  public static final String SHARD = "shard";
  public static final String STATUS = "status";
  public static final String APP_MODE = "app_mode";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String PARTS = "parts";
  public static final String PART_PATH = "path";
  public static final String PART_PAGES = "pages";
  public static final String PART_ITEMS = "items";
  public static final String PART_BYTES = "bytes";
  public static final String PART_SHA256 = "sha256";
  public static final String PAGES = "pages";
  public static final String ITEMS = "items";
  public static final String BYTES = "bytes";
  public static final String MESSAGE = "message";
  public static final String DETAILS = "details";

  /** Detail of recently-played: the gaps the run found, each a map of {@link Gap} fields. */
  public static final String DETAIL_GAPS = "gaps";

  /**
   * A gap found by a recently-played poll: a full page whose oldest play is newer than the user's
   * watermark, so plays between the two may have been pushed out of Spotify's 50-play horizon.
   */
  public static final class Gap {
    public static final String USER_KEY = "user_key";
    public static final String WATERMARK = "watermark";
    public static final String OLDEST_IN_PAGE = "oldest_in_page";
    public static final String FETCHED_AT = "fetched_at";

    private Gap() {}

    public static Map<String, Object> of(
        String userKey, Instant watermark, Instant oldestInPage, Instant fetchedAt) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(USER_KEY, userKey);
      m.put(WATERMARK, watermark.toString());
      m.put(OLDEST_IN_PAGE, oldestInPage.toString());
      m.put(FETCHED_AT, fetchedAt.toString());
      return m;
    }
  }

  /** This attempt's parts after those of earlier attempts of the same run. */
  public static RunManifest of(
      LandingPartition partition,
      Status status,
      String appMode,
      Instant startedAt,
      Instant finishedAt,
      List<Part> earlierParts,
      List<Part> newParts,
      String message,
      Map<String, Object> details) {
    List<Part> all = new ArrayList<>(earlierParts);
    all.addAll(newParts);
    return new RunManifest(
        partition.endpoint(),
        partition.date().toString(),
        partition.runId(),
        partition.shard().toString(),
        status,
        appMode,
        startedAt,
        finishedAt,
        List.copyOf(all),
        all.stream().mapToLong(Part::pages).sum(),
        all.stream().mapToLong(Part::items).sum(),
        all.stream().mapToLong(Part::bytes).sum(),
        message,
        details);
  }

  /** The JSON form as plain maps, lists, strings and numbers, in a stable field order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(ENDPOINT, endpoint.landingName());
    m.put(DATE, date);
    m.put(RUN_ID, runId);
    m.put(SHARD, shard);
    m.put(STATUS, status.wireName());
    m.put(APP_MODE, appMode);
    m.put(STARTED_AT, startedAt == null ? null : startedAt.toString());
    m.put(FINISHED_AT, finishedAt == null ? null : finishedAt.toString());
    List<Map<String, Object>> ps = new ArrayList<>();
    for (Part p : parts) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put(PART_PATH, p.path());
      pm.put(PART_PAGES, p.pages());
      pm.put(PART_ITEMS, p.items());
      pm.put(PART_BYTES, p.bytes());
      pm.put(PART_SHA256, p.sha256());
      ps.add(pm);
    }
    m.put(PARTS, ps);
    m.put(PAGES, pages);
    m.put(ITEMS, items);
    m.put(BYTES, bytes);
    m.put(MESSAGE, message);
    m.put(DETAILS, details == null ? Map.of() : details);
    return m;
  }

  /**
   * Reads the JSON form, as parsed into maps by any JSON library.
   *
   * @throws IllegalArgumentException naming the field that is missing or of the wrong type
   */
  @SuppressWarnings("unchecked")
  public static RunManifest fromMap(Map<String, ?> m) {
    List<Part> parts = new ArrayList<>();
    Object ps = m.get(PARTS);
    if (ps != null && !(ps instanceof List)) {
      throw new IllegalArgumentException("'" + PARTS + "' is not a list");
    }
    for (Object o : ps == null ? List.of() : (List<Object>) ps) {
      if (!(o instanceof Map)) {
        throw new IllegalArgumentException("an entry of '" + PARTS + "' is not an object");
      }
      Map<String, ?> pm = (Map<String, ?>) o;
      parts.add(
          new Part(
              text(pm, PART_PATH, true),
              (int) number(pm, PART_PAGES),
              number(pm, PART_ITEMS),
              number(pm, PART_BYTES),
              text(pm, PART_SHA256, false)));
    }
    Object details = m.get(DETAILS);
    if (details != null && !(details instanceof Map)) {
      throw new IllegalArgumentException("'" + DETAILS + "' is not an object");
    }
    return new RunManifest(
        Endpoint.fromLandingName(text(m, ENDPOINT, true)),
        text(m, DATE, true),
        text(m, RUN_ID, true),
        text(m, SHARD, false),
        Status.parse(text(m, STATUS, true)),
        text(m, APP_MODE, false),
        instant(m, STARTED_AT),
        instant(m, FINISHED_AT),
        List.copyOf(parts),
        number(m, PAGES),
        number(m, ITEMS),
        number(m, BYTES),
        text(m, MESSAGE, false),
        details == null ? Map.of() : (Map<String, Object>) details);
  }

  private static String text(Map<String, ?> m, String field, boolean required) {
    Object v = m.get(field);
    if (v == null) {
      if (required) {
        throw new IllegalArgumentException("'" + field + "' is missing");
      }
      return null;
    }
    return v.toString();
  }

  private static long number(Map<String, ?> m, String field) {
    Object v = m.get(field);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("'" + field + "' is not a number");
    }
    return n.longValue();
  }

  private static Instant instant(Map<String, ?> m, String field) {
    String v = text(m, field, false);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("'" + field + "' is not an ISO-8601 instant: " + v, e);
    }
  }
}
