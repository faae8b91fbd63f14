package dev.listening.extractor.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.Json;
import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.landing.ShardKeys;
import dev.listening.landing.AppMode;
import dev.listening.landing.CatalogKind;
import dev.listening.landing.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up tracks, albums and artists by id, each id once per run: batch calls where the app may
 * use them (extended mode), one call per id where it may not (development mode, configured, or
 * found out from a 403 on a batch call). Unknown and malformed ids are landed too (a null in a
 * batch, a 404 or 400 page), so downstream knows they were looked up and does not ask again.
 *
 * <p>Spotify removed every batch look-up together for development-mode apps, so in auto mode the
 * first batch call is made alone, as a probe: one 403 switches every kind to single look-ups for
 * the rest of the run, before any other batch is sent.
 *
 * <p>Album track lists ({@link CatalogKind#ALBUM_TRACKS}) come after the look-ups, from {@code GET
 * /albums/{id}/tracks} (both app modes have it), every page. Every album object already carries the
 * first page of its tracks (up to 50), so an album looked up in this same run costs nothing more
 * when that page holds all of them, and only the pages after it otherwise.
 */
public final class LookupRun extends ExtractionRun {
  private static final Logger log = LoggerFactory.getLogger(LookupRun.class);

  private record Chunk(CatalogKind kind, List<String> ids) {}

  private final Map<CatalogKind, List<String>> ids;
  private final Map<CatalogKind, PartitionRun> landings = new EnumMap<>(CatalogKind.class);
  private final List<Chunk> chunks = new ArrayList<>();
  // Batch calls unless the app is known to be in development mode; a 403 flips this once.
  private final AtomicBoolean batches;
  private final ConcurrentLinkedQueue<Future<?>> futures = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicLong invalid =
      new java.util.concurrent.atomic.AtomicLong();
  private ExecutorService pool;
  private Progress progress;
  // Albums of album_tracks entries (this shard's), and what this run's album look-ups showed of
  // their track lists: tracks carried, of how many (-1: the album does not exist).
  private List<String> trackLists = List.of();
  private final Map<String, int[]> carried = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong trackListPages =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong carriedByLookups =
      new java.util.concurrent.atomic.AtomicLong();

  public LookupRun(Extraction x, Map<CatalogKind, List<String>> ids) {
    super(x, "lookups");
    this.ids = ids;
    this.batches = new AtomicBoolean(x.knownMode() != AppMode.DEVELOPMENT);
  }

  @Override
  protected boolean open() throws IOException {
    for (CatalogKind kind : CatalogKind.values()) {
      PartitionRun landing = landing(kind.endpoint(), null, (part, tags) -> {});
      if (landing == null) {
        continue;
      }
      // An album's track list spans pages and lines: a resumed run fetches the lists again.
      Set<String> before = kind.hasBatchForm() ? landedBefore(landing) : Set.of();
      List<String> owned =
          ids.getOrDefault(kind, List.of()).stream()
              .filter(id -> ShardKeys.owns(x.shard(), shardKey(kind, id)))
              .filter(id -> !before.contains(id))
              .toList();
      landings.put(kind, landing);
      summary.count(kind.endpoint().landingName() + "_requested", owned.size());
      if (!before.isEmpty()) {
        summary.count(kind.endpoint().landingName() + "_landed_by_earlier_attempt", before.size());
        log.info(
            "{}: {} id(s) already landed by an earlier attempt of run {}; not asked again",
            kind.endpoint(),
            before.size(),
            x.runId());
      }
      if (!kind.hasBatchForm()) {
        trackLists = owned;
        continue;
      }
      int batch = kind.maxBatch();
      for (int from = 0; from < owned.size(); from += batch) {
        chunks.add(new Chunk(kind, owned.subList(from, Math.min(owned.size(), from + batch))));
      }
    }
    return !landings.isEmpty() || alreadyComplete("every look-up");
  }

  /**
   * Which shard looks an id up: an album's track list goes with the album, so that the shard that
   * looks the album up can use the tracks its answer carries.
   */
  private static String shardKey(CatalogKind kind, String id) {
    CatalogKind owner = kind == CatalogKind.ALBUM_TRACKS ? CatalogKind.ALBUM : kind;
    return owner.wireName() + ":" + id;
  }

  /**
   * The ids an earlier attempt of this run id landed, read from the parts its manifest lists (an
   * attempt stopped by the quota, or killed): a resumed run does not spend requests on them again.
   * Only whole lines count; a body landed cut off for quarantine was fetched again after it.
   */
  private Set<String> landedBefore(PartitionRun landing) throws IOException {
    Set<String> done = new HashSet<>();
    landing.forEachEarlierLine(line -> done.addAll(askedIn(line)));
    return done;
  }

  /** The ids a whole landing line asked for; none when the line does not parse to its end. */
  private static List<String> askedIn(String line) {
    String ids = null;
    try (JsonParser p = Json.mapper().getFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return List.of();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals(Envelope.REQUEST)) {
          JsonNode params = Json.mapper().<JsonNode>readTree(p).path(Envelope.REQUEST_PARAMS);
          ids =
              params.hasNonNull(Envelope.PARAM_IDS)
                  ? params.get(Envelope.PARAM_IDS).asText()
                  : params.path(Envelope.PARAM_ID).asText(null);
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        return List.of();
      }
    } catch (IOException e) {
      return List.of(); // cut off: not an answer
    }
    return ids == null || ids.isEmpty() ? List.of() : List.of(ids.split(","));
  }

  @Override
  protected void work() throws IOException {
    pool = Executors.newFixedThreadPool(x.concurrency());
    int total = chunks.stream().mapToInt(c -> c.ids().size()).sum() + trackLists.size();
    try (Progress p = x.progress().start("look-ups", total)) {
      progress = p;
      int next = 0;
      if (x.knownMode() == null && !chunks.isEmpty()) {
        lookUp(chunks.get(0)); // the probe: its answer decides batch or single for every kind
        next = 1;
      }
      for (Chunk c : chunks.subList(next, chunks.size())) {
        submit(c);
      }
      awaitAll();
      // Track lists after every album look-up: those carry the first page of their tracks.
      for (String album : trackLists) {
        futures.add(
            pool.submit(
                () -> {
                  fetchTrackList(album);
                  return null;
                }));
      }
      awaitAll();
    } finally {
      pool.shutdownNow();
    }
    String mode = x.modeName(batches.get() ? AppMode.EXTENDED : AppMode.DEVELOPMENT);
    summary.appMode(mode);
    landings.values().forEach(l -> l.appMode(mode));
    if (!trackLists.isEmpty()) {
      // Requests spent on album tracks, and the track lists this run's album look-ups carried.
      summary.count("album_tracks_pages", trackListPages.get());
      summary.count("album_tracks_carried_by_lookups", carriedByLookups.get());
    }
  }

  /** Waits for every submitted task; workers may add tasks (a refused batch becomes singles). */
  private void awaitAll() throws IOException {
    Future<?> f;
    while ((f = futures.poll()) != null) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IOException("look-ups failed: " + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted during look-ups", e);
      }
    }
  }

  /**
   * An album's track list, every page from {@code GET /albums/{id}/tracks}: none when this run's
   * look-up of the album carried all its tracks (or found no such album), the pages after the ones
   * it carried otherwise.
   */
  private void fetchTrackList(String album) throws IOException {
    if (stopped()) {
      return;
    }
    PartitionRun landing = landings.get(CatalogKind.ALBUM_TRACKS);
    int[] seen = carried.get(album);
    int from = 0;
    if (seen != null && (seen[1] < 0 || seen[0] >= seen[1])) {
      carriedByLookups.incrementAndGet();
      progress.step();
      return;
    }
    if (seen != null) {
      from = seen[0];
    }
    String key = CatalogKind.ALBUM_TRACKS.wireName() + ":" + album;
    String mode = x.modeName(batches.get() ? AppMode.EXTENDED : AppMode.DEVELOPMENT);
    try {
      for (ApiResponse page = x.client().albumTracks(album, from);
          page != null;
          page = x.client().next(page, null, null)) {
        if (page.status() == 404 || page.status() == 400) {
          // No such album (or a malformed id): an answer, landed so it is not asked again.
          landing.land(envelope(page, null, mode, 0), null);
          trackListPages.incrementAndGet();
          summary.notFound.incrementAndGet();
          summary.pages.incrementAndGet();
          break;
        }
        if (page.status() != 200) {
          summary.failed.put(
              key,
              "album tracks answered "
                  + page.status()
                  + ": "
                  + RecentlyPlayedRun.errorMessage(page));
          break;
        }
        int tracks = page.body().path("items").size();
        landing.land(envelope(page, null, mode, tracks), null);
        trackListPages.incrementAndGet();
        summary.pages.incrementAndGet();
        summary.items.addAndGet(tracks);
      }
    } catch (ApiException.StopRun | ApiException.InvalidClient e) {
      stop(e);
    } catch (ApiException e) {
      summary.failed.put(key, e.getMessage());
      log.warn("tracks of album {} failed: {}", album, e.getMessage());
    }
    progress.step();
  }

  @Override
  protected String failedUnit() {
    return "look-up(s)";
  }

  private void submit(Chunk chunk) {
    futures.add(
        pool.submit(
            () -> {
              lookUp(chunk);
              return null;
            }));
  }

  private void lookUp(Chunk chunk) throws IOException {
    if (stopped()) {
      return;
    }
    CatalogKind kind = chunk.kind();
    PartitionRun landing = landings.get(kind);
    try {
      if (batches.get()) {
        ApiResponse r = x.client().lookupBatch(kind, chunk.ids());
        if (r.status() == 400 && chunk.ids().size() > 1) {
          // One malformed id refuses the whole batch: ask singly to find it, keep batching.
          chunk.ids().forEach(id -> submit(new Chunk(kind, List.of(id))));
          return;
        }
        if (r.status() == 403) {
          if (batches.compareAndSet(true, false)) {
            x.foundMode(
                AppMode.DEVELOPMENT,
                "GET /" + kind.endpoint() + "?ids= answered 403 Forbidden (no batch look-ups)");
            log.warn(
                "batch {} look-ups answered 403 Forbidden: this app is in development mode;"
                    + " one call per id for every kind from now on (pass --app-mode development"
                    + " to skip the probe)",
                kind.endpoint());
          }
          // Refused, not served: each id is asked once more, singly.
          chunk.ids().forEach(id -> submit(new Chunk(kind, List.of(id))));
          return;
        }
        if (r.status() == 200) {
          x.foundMode(AppMode.EXTENDED, "GET /" + kind.endpoint() + "?ids= answered 200");
        }
        land(kind, chunk.ids(), r, landing);
        chunk.ids().forEach(id -> progress.step());
      } else {
        for (String id : chunk.ids()) {
          if (stopped()) {
            return;
          }
          land(kind, List.of(id), x.client().lookup(kind, id), landing);
          progress.step();
        }
      }
    } catch (ApiException.StopRun | ApiException.InvalidClient e) {
      stop(e);
    } catch (ApiException e) {
      chunk.ids().forEach(id -> summary.failed.put(kind.wireName() + ":" + id, e.getMessage()));
      log.warn(
          "{} look-up of {} id(s) failed: {}", kind.wireName(), chunk.ids().size(), e.getMessage());
    }
  }

  private void land(CatalogKind kind, List<String> asked, ApiResponse r, PartitionRun landing)
      throws IOException {
    int found;
    if (r.status() == 404 || r.status() == 400) {
      // Unknown (404) or malformed (400) ids are answers too: landed, so that the look-up list
      // does not name them again, run after run.
      found = 0;
      if (r.status() == 400) {
        summary.count("invalid_ids", invalid.addAndGet(asked.size()));
      }
    } else if (r.status() != 200) {
      asked.forEach(
          id ->
              summary.failed.put(
                  kind.wireName() + ":" + id,
                  kind.endpoint()
                      + " answered "
                      + r.status()
                      + ": "
                      + RecentlyPlayedRun.errorMessage(r)));
      return;
    } else if (asked.size() == 1 && r.params().containsKey(Envelope.PARAM_ID)) {
      found = 1;
    } else {
      found = 0;
      for (JsonNode o : r.body().path(kind.endpoint().landingName())) {
        if (!o.isNull()) {
          found++;
        }
      }
    }
    summary.notFound.addAndGet(asked.size() - found);
    if (kind == CatalogKind.ALBUM) {
      noteCarriedTracks(asked, r);
    }
    String mode =
        r.params().containsKey(Envelope.PARAM_IDS)
            ? AppMode.EXTENDED.wireName()
            : x.modeName(AppMode.DEVELOPMENT);
    quarantineMalformed(r, null, mode);
    landing.land(envelope(r, null, mode, found), null);
    summary.pages.incrementAndGet();
    summary.items.addAndGet(found);
  }

  /**
   * What an album look-up's answer showed of each album's track list: every album object carries
   * the first page of its tracks ({@code tracks.items}, {@code tracks.total}); an album asked for
   * and not found has none.
   */
  private void noteCarriedTracks(List<String> asked, ApiResponse r) {
    if (r.status() != 200) {
      asked.forEach(id -> carried.put(id, new int[] {0, -1}));
      return;
    }
    JsonNode batch = r.body().get(CatalogKind.ALBUM.endpoint().landingName());
    List<JsonNode> albums = new ArrayList<>();
    if (batch != null && batch.isArray()) {
      batch.forEach(albums::add);
    } else {
      albums.add(r.body());
    }
    for (int i = 0; i < asked.size() && i < albums.size(); i++) {
      JsonNode tracks = albums.get(i).path("tracks");
      if (albums.get(i).isNull()) {
        carried.put(asked.get(i), new int[] {0, -1});
      } else if (tracks.path("total").isInt() && tracks.path("offset").asInt(0) == 0) {
        carried.put(
            asked.get(i), new int[] {tracks.path("items").size(), tracks.path("total").asInt()});
      }
    }
  }
}
