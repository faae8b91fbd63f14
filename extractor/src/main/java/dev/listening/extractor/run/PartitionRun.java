package dev.listening.extractor.run;

import dev.listening.extractor.landing.LandingWriter;
import dev.listening.extractor.landing.Manifests;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.Failpoints;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Landing one endpoint for one run's shard: refuses to redo a complete run, continues a partial one
 * after its parts, keeps the manifest in step with every durable part (so a crash still leaves an
 * accurate "partial" manifest), and writes the final manifest last.
 *
 * <p>One attempt of a run lands at a time. Before it writes anything, an attempt claims the run by
 * writing the manifest over the generation it read; every later manifest write is conditional on
 * the generation it wrote last. A second attempt running at the same time (a retried Cloud Run task
 * while the first still runs) therefore either fails its claim, or claims after the first and makes
 * the first fail at its next manifest write: one attempt completes, the other fails with {@link
 * ConcurrentAttempt} before listing (so before moving watermarks past) anything of its own. Parts
 * are published only under names that do not exist yet, so neither replaces the other's.
 */
final class PartitionRun {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PartitionRun.class);

  /**
   * Told about a durable part twice: before the manifest listing it is written (to add what the
   * part's work found to the manifest's details, so that it survives a crash with the part), and
   * after (to move state, such as watermarks, past data that is now listed).
   */
  interface Committer {
    default void listing(List<Object> tags) {}

    void committed(RunManifest.Part part, List<Object> tags) throws IOException;
  }

  private final Extraction x;
  private final LandingPartition partition;
  private final Instant startedAt;
  private final List<RunManifest.Part> earlierParts;
  private final Map<String, Object> details = new ConcurrentHashMap<>();
  private final Map<String, Object> earlierDetails;
  private final boolean alreadyComplete;
  private final Committer committer;
  private final long readGeneration;
  private volatile String appMode;
  private LandingWriter writer;
  // The manifest generation this attempt wrote last; 0 until it has claimed the run.
  private long manifestGeneration;
  private boolean claimed;

  PartitionRun(Extraction x, Endpoint endpoint, String appMode, Committer committer)
      throws IOException {
    this.x = x;
    this.partition = x.partition(endpoint);
    this.startedAt = x.clock().instant();
    this.appMode = appMode;
    this.committer = committer;
    Optional<Manifests.Stored> stored = Manifests.readStored(x.landing(), partition);
    this.readGeneration = stored.map(Manifests.Stored::generation).orElse(0L);
    Optional<RunManifest> previous = stored.map(Manifests.Stored::manifest);
    this.alreadyComplete =
        previous.isPresent() && previous.get().status() == RunManifest.Status.COMPLETE;
    this.earlierParts = previous.map(RunManifest::parts).orElse(List.of());
    this.earlierDetails = previous.map(RunManifest::details).orElse(Map.of());
  }

  /**
   * Makes this attempt the run's owner before it writes anything: the manifest, still partial,
   * written over the generation read at the start. Then what an interrupted attempt left is
   * removed, which only the owner may do.
   */
  private synchronized void claim() throws IOException {
    if (claimed) {
      return;
    }
    OptionalLong written =
        Manifests.writeIfGeneration(
            x.landing(),
            partition,
            manifest(RunManifest.Status.PARTIAL, "in progress"),
            readGeneration);
    if (written.isEmpty()) {
      throw new ConcurrentAttempt(
          partition.endpoint().landingName()
              + " run "
              + x.runId()
              + " shard "
              + x.shard()
              + ": another attempt of this run started landing it after this one began ("
              + x.landing().uri(partition.manifestPath())
              + " changed): two attempts of one run id are running at once; this one stops"
              + " having landed nothing, the other carries on");
    }
    manifestGeneration = written.getAsLong();
    claimed = true;
    cleanUpAfterAnInterruptedAttempt();
  }

  /** Writes the manifest over the generation this attempt wrote last, or fails: see the class. */
  private synchronized void writeManifest(RunManifest m) throws IOException {
    claim();
    OptionalLong written =
        Manifests.writeIfGeneration(x.landing(), partition, m, manifestGeneration);
    if (written.isEmpty()) {
      throw new ConcurrentAttempt(
          partition.endpoint().landingName()
              + " run "
              + x.runId()
              + " shard "
              + x.shard()
              + ": another attempt of this run took it over while this one ran ("
              + x.landing().uri(partition.manifestPath())
              + " changed): two attempts of one run id ran at once; this one stops, its"
              + " unlisted pages are fetched again by the owner and its watermarks did not move"
              + " past them");
    }
    manifestGeneration = written.getAsLong();
  }

  /**
   * An attempt killed between publishing a part and listing it leaves a complete part no manifest
   * lists: its pages were never committed (watermarks move after the listing), so this attempt
   * fetches them again and the stray part is removed. Temp files of a killed write go too.
   */
  private void cleanUpAfterAnInterruptedAttempt() throws IOException {
    java.util.Set<String> listed = new java.util.HashSet<>();
    earlierParts.forEach(p -> listed.add(p.path()));
    for (String path : x.landing().list(partition.directory() + "/")) {
      if (LandingPartition.isPart(path) && !listed.contains(path)) {
        x.landing().delete(path);
        log.warn(
            "{}: removed a part an interrupted attempt published but never listed; its pages are"
                + " fetched again",
            x.landing().uri(path));
      }
    }
    int temps = x.landing().removeTempFiles(partition.directory(), java.time.Duration.ZERO);
    temps += LandingWriter.removeTempFiles(x.landing(), partition);
    if (temps > 0) {
      log.info(
          "{}: removed {} temp file(s) of an interrupted attempt", partition.directory(), temps);
    }
  }

  /** The parts earlier attempts of this run listed: what they landed for good. */
  List<RunManifest.Part> earlierParts() {
    return earlierParts;
  }

  /** Receives the landing lines of earlier attempts, one at a time. */
  @FunctionalInterface
  interface LineVisitor {
    void accept(String line) throws IOException;
  }

  /**
   * Every landing line the earlier attempts of this run committed, part by part (a part the
   * manifest lists is whole: it was renamed into place before being listed).
   */
  void forEachEarlierLine(LineVisitor visitor) throws IOException {
    for (RunManifest.Part part : earlierParts) {
      Optional<BlobStore.Blob> blob = x.landing().get(part.path());
      if (blob.isEmpty()) {
        continue;
      }
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(new ByteArrayInputStream(blob.get().bytes())),
                  StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          visitor.accept(line);
        }
      }
    }
  }

  /** The details the earlier attempts of this run recorded (e.g. the gaps they found). */
  Map<String, Object> earlierDetails() {
    return earlierDetails;
  }

  /** A complete run is never redone: a re-run adds no files and changes no content. */
  boolean alreadyComplete() {
    return alreadyComplete;
  }

  void appMode(String mode) {
    this.appMode = mode;
  }

  void detail(String key, Object value) {
    details.put(key, value);
  }

  /** The writer, created on first use so that a run that lands nothing writes nothing. */
  synchronized LandingWriter writer() throws IOException {
    if (writer == null) {
      claim();
      writer = new LandingWriter(x.landing(), partition, x.partLimits(), this::onPart);
    }
    return writer;
  }

  private void onPart(RunManifest.Part part, List<Object> tags) throws IOException {
    committer.listing(tags);
    try {
      writeManifest(manifest(RunManifest.Status.PARTIAL, "in progress"));
    } catch (ConcurrentAttempt e) {
      // The part is this attempt's alone (published under a new name) and no manifest lists it:
      // removed, so that the owner's landing is all that remains of the run.
      x.landing().delete(part.path());
      throw e;
    }
    Failpoints.reach(Failpoints.PART_LISTED);
    committer.committed(part, tags);
  }

  /**
   * Publishes the last part, then the manifest (complete only for a complete run: anything else is
   * resumed by the next run); returns every part of this run.
   */
  List<RunManifest.Part> finish(RunSummary.Status outcome, String message) throws IOException {
    RunManifest.Status status =
        outcome == RunSummary.Status.COMPLETE
            ? RunManifest.Status.COMPLETE
            : RunManifest.Status.PARTIAL;
    LandingWriter w;
    synchronized (this) {
      w = writer;
    }
    if (w == null && earlierParts.isEmpty() && status == RunManifest.Status.COMPLETE) {
      // Nothing was fetched: still record the run, so a re-run knows it is done.
      writeManifest(manifest(status, message));
      return List.of();
    }
    if (w != null) {
      w.close();
    }
    RunManifest m = manifest(status, message);
    writeManifest(m);
    return m.parts();
  }

  /** Drops what was not yet published (nothing lands), e.g. new releases in development mode. */
  synchronized void abandon() throws IOException {
    if (writer != null) {
      writer.discard();
    }
  }

  private RunManifest manifest(RunManifest.Status status, String message) {
    List<RunManifest.Part> mine;
    synchronized (this) {
      mine = writer == null ? List.of() : writer.published();
    }
    return RunManifest.of(
        partition,
        status,
        appMode,
        startedAt,
        x.clock().instant(),
        earlierParts,
        new ArrayList<>(mine),
        message,
        Map.copyOf(details));
  }

  /** Lands one page; {@code tag} comes back to the committer once its part is durable. */
  void land(Envelope page, Object tag) throws IOException {
    writer().append(page.toLine(), page.items(), tag);
  }
}
