package dev.listening.extractor.landing;

import dev.listening.extractor.storage.BlobStore;
import dev.listening.landing.Failpoints;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.RunManifest.Part;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Streams landing lines into gzip parts of bounded size and publishes each finished part
 * atomically. After a part is durable, the listener learns which work it covered (the tags passed
 * with each line), so that state such as watermarks moves only after its data is landed.
 *
 * <p>Part numbers continue after the parts already in the run's directory: resuming a partial run
 * adds parts and never overwrites what an earlier attempt landed.
 */
public final class LandingWriter implements Closeable {

  /** Told after each part is durable, with the tags of the lines it holds. */
  @FunctionalInterface
  public interface PartListener {
    void published(Part part, List<Object> tags) throws IOException;
  }

  /** When to roll to a new part. */
  public record Limits(int maxPagesPerPart, long maxBytesPerPart) {
    public Limits {
      if (maxPagesPerPart < 1 || maxBytesPerPart < 1) {
        throw new IllegalArgumentException(
            "part limits must be positive: pages=" + maxPagesPerPart + " bytes=" + maxBytesPerPart);
      }
    }

    public static Limits defaults() {
      return new Limits(5_000, 128L << 20);
    }
  }

  private final BlobStore store;
  private final LandingPartition partition;
  private final Limits limits;
  private final PartListener listener;
  private final List<Part> published = new ArrayList<>();
  private int nextNumber;

  private Path tempFile;
  private CountingOutputStream compressedCounter;
  private OutputStream out;
  private MessageDigest digest;
  private int pages;
  private long items;
  private long rawBytes;
  private List<Object> tags = new ArrayList<>();

  public LandingWriter(
      BlobStore store, LandingPartition partition, Limits limits, PartListener listener)
      throws IOException {
    this.store = store;
    this.partition = partition;
    this.limits = limits;
    this.listener = listener;
    this.nextNumber =
        store.list(partition.directory() + "/").stream()
                .filter(LandingPartition::isPart)
                .mapToInt(LandingPartition::partNumber)
                .max()
                .orElse(-1)
            + 1;
  }

  /**
   * Adds one line (see {@link dev.listening.landing.Envelope#toLine}); {@code tag} comes back once
   * it is durable.
   */
  public synchronized void append(byte[] line, int lineItems, Object tag) throws IOException {
    if (out == null) {
      open();
    }
    out.write(line);
    pages++;
    items += lineItems;
    rawBytes += line.length;
    if (tag != null) {
      tags.add(tag);
    }
    if (pages >= limits.maxPagesPerPart() || rawBytes >= limits.maxBytesPerPart()) {
      publish();
    }
  }

  /** Publishes the current part, if it holds anything. */
  public synchronized void flush() throws IOException {
    if (out != null) {
      publish();
    }
  }

  /** Parts this writer published, in order. */
  public synchronized List<Part> published() {
    return List.copyOf(published);
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
  }

  /** Drops the unpublished part, e.g. when a run is abandoned before anything should land. */
  public synchronized void discard() throws IOException {
    if (out != null) {
      out.close();
      Files.deleteIfExists(tempFile);
      out = null;
    }
  }

  /**
   * Where a partition's unpublished part is written: a folder of the temp directory named after the
   * partition, so that a resumed attempt finds and removes what a killed one left there.
   */
  static Path tempFolder(BlobStore store, LandingPartition partition) {
    String name =
        com.google.common.hash.Hashing.sha256()
            .hashString(store.uri(partition.directory()), java.nio.charset.StandardCharsets.UTF_8)
            .toString()
            .substring(0, 24);
    return Path.of(System.getProperty("java.io.tmpdir"), "listening-landing", name);
  }

  /** Removes what killed writers of this partition left in its temp folder; returns how many. */
  public static int removeTempFiles(BlobStore store, LandingPartition partition)
      throws IOException {
    Path folder = tempFolder(store, partition);
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    int removed = 0;
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        removed += Files.deleteIfExists(f) ? 1 : 0;
      }
    }
    return removed;
  }

  private void open() throws IOException {
    Path folder = Files.createDirectories(tempFolder(store, partition));
    tempFile = Files.createTempFile(folder, "part-", ".ndjson.gz");
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
    compressedCounter = new CountingOutputStream(Files.newOutputStream(tempFile));
    out =
        new GZIPOutputStream(
            new BufferedOutputStream(new DigestOutputStream(compressedCounter, digest), 1 << 16),
            1 << 16);
    pages = 0;
    items = 0;
    rawBytes = 0;
    tags = new ArrayList<>();
  }

  private void publish() throws IOException {
    out.close();
    out = null;
    String path = partition.partPath(nextNumber);
    Failpoints.reach(Failpoints.PART_WRITTEN);
    try {
      store.putFile(path, tempFile);
    } finally {
      Files.deleteIfExists(tempFile);
    }
    Failpoints.reach(Failpoints.PART_PUBLISHED);
    nextNumber++;
    Part part =
        new Part(
            path, pages, items, compressedCounter.count, HexFormat.of().formatHex(digest.digest()));
    published.add(part);
    listener.published(part, tags);
  }

  /** Counts the compressed bytes that reach the file. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
