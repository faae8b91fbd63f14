package dev.listening.extractor.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.AppMode;
import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.api.EntityKind;
import dev.listening.extractor.landing.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up tracks, albums and artists by id, each id once per run: batch calls where the app may
 * use them (extended mode), one call per id where it may not (development mode, configured, or
 * found out from a 403 on a batch call). Unknown ids are landed too (a null in a batch, a 404
 * page), so downstream knows they were looked up and does not ask again.
 */
public final class LookupRun {
  private static final Logger log = LoggerFactory.getLogger(LookupRun.class);

  private final Extraction x;
  private final Map<EntityKind, List<String>> ids;

  // One run per instance: the state its workers share.
  private final RunSummary summary;
  private final Map<EntityKind, PartitionRun> landings = new EnumMap<>(EntityKind.class);
  // Batch calls unless the app is known to be in development mode; a 403 flips this once.
  private final AtomicBoolean batches;
  private final AtomicReference<ApiException> stop = new AtomicReference<>();
  private final ConcurrentLinkedQueue<Future<?>> futures = new ConcurrentLinkedQueue<>();
  private ExecutorService pool;
  private Progress progress;

  public LookupRun(Extraction x, Map<EntityKind, List<String>> ids) {
    this.x = x;
    this.ids = ids;
    this.summary =
        new RunSummary(
            "lookups", x.runId(), x.date().toString(), x.shard().toString(), x.clock().instant());
    this.batches = new AtomicBoolean(x.appMode() != AppMode.DEVELOPMENT);
  }

  public RunSummary run() throws IOException, InterruptedException {
    Map<EntityKind, List<String>> mine = new EnumMap<>(EntityKind.class);
    int total = 0;
    for (EntityKind kind : EntityKind.values()) {
      PartitionRun landing = new PartitionRun(x, kind.plural(), null, (part, tags) -> {});
      List<String> owned =
          ids.getOrDefault(kind, List.of()).stream()
              .filter(id -> x.shard().owns(kind.wireName() + ":" + id))
              .toList();
      if (landing.alreadyComplete()) {
        log.info(
            "{}: run {} shard {} already complete, skipped", kind.plural(), x.runId(), x.shard());
        continue;
      }
      landings.put(kind, landing);
      mine.put(kind, owned);
      total += owned.size();
      summary.count(kind.plural() + "_requested", owned.size());
    }
    if (landings.isEmpty()) {
      summary.finish(
          RunSummary.Status.ALREADY_COMPLETE, "every look-up of this run shard is already landed");
      return summary;
    }

    pool = Executors.newFixedThreadPool(x.concurrency());
    try (Progress p = x.progress().start("look-ups", total)) {
      progress = p;
      mine.forEach(
          (kind, list) -> {
            for (int from = 0; from < list.size(); from += kind.maxBatch()) {
              submit(kind, list.subList(from, Math.min(list.size(), from + kind.maxBatch())));
            }
          });
      // Workers may add tasks (a refused batch becomes single calls) before they finish.
      Future<?> f;
      while ((f = futures.poll()) != null) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException ex) {
          throw new IOException("look-ups failed: " + ex.getCause().getMessage(), ex.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }

    String mode = x.modeName(batches.get() ? AppMode.EXTENDED : AppMode.DEVELOPMENT);
    summary.appMode(mode);
    ApiException stopped = stop.get();
    RunSummary.Status status =
        stopped != null || !summary.failed.isEmpty()
            ? RunSummary.Status.PARTIAL
            : RunSummary.Status.COMPLETE;
    String message =
        stopped != null
            ? "partial, resume next run: " + stopped.getMessage()
            : summary.failed.isEmpty()
                ? "complete"
                : "partial: " + summary.failed.size() + " look-up(s) failed";
    List<dev.listening.extractor.landing.LandingWriter.Part> parts = new ArrayList<>();
    for (PartitionRun landing : landings.values()) {
      landing.appMode(mode);
      parts.addAll(landing.finish(status, message));
    }
    summary.parts(parts);
    summary.finish(status, message);
    if (stopped instanceof ApiException.InvalidClient) {
      throw stopped;
    }
    return summary;
  }

  private void submit(EntityKind kind, List<String> chunk) {
    futures.add(
        pool.submit(
            () -> {
              lookUp(kind, chunk);
              return null;
            }));
  }

  private void lookUp(EntityKind kind, List<String> chunk) throws IOException {
    if (stop.get() != null) {
      return;
    }
    PartitionRun landing = landings.get(kind);
    try {
      if (batches.get()) {
        ApiResponse r = x.client().lookupBatch(kind, chunk);
        if (r.status() == 403) {
          if (batches.compareAndSet(true, false)) {
            log.warn(
                "batch {} look-ups answered 403 Forbidden: this app is in development mode;"
                    + " switching to one call per id (pass --app-mode development to skip the probe)",
                kind.plural());
          }
          // Refused, not served: each id is asked once more, singly.
          chunk.forEach(id -> submit(kind, List.of(id)));
          return;
        }
        land(kind, chunk, r, landing);
        chunk.forEach(id -> progress.step());
      } else {
        for (String id : chunk) {
          if (stop.get() != null) {
            return;
          }
          land(kind, List.of(id), x.client().lookup(kind, id), landing);
          progress.step();
        }
      }
    } catch (ApiException.StopRun | ApiException.InvalidClient e) {
      if (stop.compareAndSet(null, e)) {
        log.warn("stopping the run: {}", e.getMessage());
      }
    } catch (ApiException e) {
      chunk.forEach(id -> summary.failed.put(kind.wireName() + ":" + id, e.getMessage()));
      log.warn("{} look-up of {} id(s) failed: {}", kind.wireName(), chunk.size(), e.getMessage());
    }
  }

  private void land(EntityKind kind, List<String> asked, ApiResponse r, PartitionRun landing)
      throws IOException {
    int found;
    if (r.status() == 404) {
      found = 0;
    } else if (r.status() != 200) {
      asked.forEach(
          id ->
              summary.failed.put(
                  kind.wireName() + ":" + id,
                  kind.plural()
                      + " answered "
                      + r.status()
                      + ": "
                      + RecentlyPlayedRun.errorMessage(r)));
      return;
    } else if (asked.size() == 1 && r.params().containsKey("id")) {
      found = 1;
    } else {
      found = 0;
      for (JsonNode o : r.body().path(kind.plural())) {
        if (!o.isNull()) {
          found++;
        }
      }
    }
    summary.notFound.addAndGet(asked.size() - found);
    String mode =
        r.params().containsKey("ids")
            ? AppMode.EXTENDED.wireName()
            : x.modeName(AppMode.DEVELOPMENT);
    landing
        .writer()
        .append(
            PartitionRun.line(
                Envelope.of(
                    r,
                    null,
                    r.serverTime() != null ? r.serverTime() : x.clock().instant(),
                    x.runId(),
                    mode,
                    found)),
            found,
            null);
    summary.pages.incrementAndGet();
    summary.items.addAndGet(found);
  }
}
