package dev.listening.extractor.storage;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link BlobStore} on Google Cloud Storage under {@code gs://bucket} or {@code
 * gs://bucket/prefix}, through the official client.
 *
 * <p>GCS objects are immutable and appear only when fully written, so every write is atomic. The
 * generation is the one GCS assigns; compare-and-set uses GCS preconditions ({@code
 * ifGenerationMatch}, with 0 meaning "does not exist"), which the service checks atomically.
 */
public final class GcsBlobStore implements BlobStore {

  private static final Pattern ROOT = Pattern.compile("gs://([^/]*)(?:/(.*))?");
  // Bucket naming rules (dotted names up to 222 characters are rare enough to leave out).
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
  private static final int PRECONDITION_FAILED = 412;
  private static final int NOT_FOUND = 404;
  private static final int MAX_READ_ATTEMPTS = 10;

  private final Storage storage;
  private final boolean ownsStorage;
  private final String bucket;
  private final String objectPrefix; // "" or "some/prefix/"
  private final URI root;

  /**
   * A store over a client the caller owns (and closes), e.g. one pointed at an emulator in tests.
   */
  public GcsBlobStore(Storage storage, String root) {
    this(storage, root, false);
  }

  GcsBlobStore(Storage storage, String root, boolean ownsStorage) {
    Matcher matcher = parseRoot(root);
    this.storage = Objects.requireNonNull(storage, "storage");
    this.ownsStorage = ownsStorage;
    this.bucket = matcher.group(1);
    this.objectPrefix = prefixOf(matcher);
    this.root = URI.create("gs://" + bucket + "/" + objectPrefix);
  }

  /**
   * A store using Application Default Credentials and the project they name (the service account on
   * Cloud Run; {@code gcloud auth application-default login} on a workstation).
   */
  public static GcsBlobStore open(String root) {
    return open(root, GcsBlobStore::defaultStorage);
  }

  /** A store owning the client {@code newClient} makes, once the root is known to be valid. */
  static GcsBlobStore open(String root, Supplier<Storage> newClient) {
    parseRoot(root); // fail on a bad root before looking for credentials
    return new GcsBlobStore(newClient.get(), root, true);
  }

  static Storage defaultStorage() {
    return StorageOptions.getDefaultInstance().getService();
  }

  private static Matcher parseRoot(String root) {
    Matcher matcher = ROOT.matcher(root);
    if (!matcher.matches() || !BUCKET.matcher(matcher.group(1)).matches()) {
      throw new IllegalArgumentException(
          "landing root '"
              + root
              + "' is not a GCS location: expected gs://bucket or gs://bucket/prefix, with a"
              + " bucket name of 3-63 lowercase letters, digits, '-', '_' or '.'");
    }
    prefixOf(matcher);
    return matcher;
  }

  private static String prefixOf(Matcher rootMatch) {
    String prefix = rootMatch.group(2) == null ? "" : rootMatch.group(2);
    if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    if (prefix.isEmpty()) {
      return "";
    }
    try {
      return RelativePaths.check(prefix) + "/";
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "landing root '" + rootMatch.group() + "' has an unusable prefix: " + e.getMessage(), e);
    }
  }

  @Override
  public URI root() {
    return root;
  }

  @Override
  public String uri(String relativePath) {
    return "gs://" + bucket + "/" + objectName(relativePath);
  }

  @Override
  public long put(String relativePath, byte[] bytes) throws IOException {
    BlobInfo info = infoFor(relativePath);
    try {
      // A single-request upload: the object becomes visible only once complete.
      return generationOf(storage.create(info, bytes), relativePath);
    } catch (StorageException e) {
      throw failure("write", relativePath, e);
    }
  }

  @Override
  public long putFile(String relativePath, Path localFile) throws IOException {
    BlobInfo info = infoFor(relativePath);
    try {
      // A resumable upload streamed from disk; GCS shows the object only when it is finalized.
      return generationOf(storage.createFrom(info, localFile), relativePath);
    } catch (StorageException e) {
      throw failure("upload " + localFile + " to", relativePath, e);
    }
  }

  @Override
  public Optional<Blob> get(String relativePath) throws IOException {
    BlobId id = BlobId.of(bucket, objectName(relativePath));
    try {
      for (int attempt = 1; attempt <= MAX_READ_ATTEMPTS; attempt++) {
        BlobInfo current = storage.get(id);
        if (current == null) {
          return Optional.empty();
        }
        long generation = generationOf(current, relativePath);
        try {
          // Read exactly the generation we return, so bytes and generation always belong together.
          byte[] bytes = storage.readAllBytes(BlobId.of(bucket, id.getName(), generation));
          return Optional.of(new Blob(bytes, generation));
        } catch (StorageException e) {
          if (e.getCode() != NOT_FOUND) {
            throw e;
          }
          // Replaced or deleted between the two requests: look again, after a short random pause
          // so that a reader racing busy writers (a fast emulator, many shards) is not starved.
          pauseBeforeRereading(attempt);
        }
      }
    } catch (StorageException e) {
      throw failure("read", relativePath, e);
    }
    throw new IOException(
        "could not read "
            + uri(relativePath)
            + ": it was replaced "
            + MAX_READ_ATTEMPTS
            + " times while being read; another writer is rewriting it in a loop");
  }

  private static void pauseBeforeRereading(int attempt) throws IOException {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 10L * attempt + 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while re-reading an object");
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>If the client retries a request whose response was lost after the write succeeded, GCS
   * answers the retry with 412 and this returns empty although the write happened. That errs on the
   * safe side: the caller re-reads and finds its own content.
   */
  @Override
  public OptionalLong putIfGeneration(String relativePath, byte[] bytes, long expectedGeneration)
      throws IOException {
    if (expectedGeneration < 0) {
      throw new IllegalArgumentException(
          "expected generation " + expectedGeneration + " for " + relativePath + " is negative");
    }
    BlobInfo info = infoFor(relativePath);
    BlobTargetOption precondition =
        expectedGeneration == 0
            ? BlobTargetOption.doesNotExist()
            : BlobTargetOption.generationMatch(expectedGeneration);
    try {
      return OptionalLong.of(generationOf(storage.create(info, bytes, precondition), relativePath));
    } catch (StorageException e) {
      if (e.getCode() == PRECONDITION_FAILED) {
        return OptionalLong.empty();
      }
      throw failure("write", relativePath, e);
    }
  }

  /** {@inheritDoc} As {@link #putIfGeneration}, a lost response reads as a lost race. */
  @Override
  public OptionalLong putFileIfGeneration(
      String relativePath, Path localFile, long expectedGeneration) throws IOException {
    if (expectedGeneration < 0) {
      throw new IllegalArgumentException(
          "expected generation " + expectedGeneration + " for " + relativePath + " is negative");
    }
    BlobInfo info = infoFor(relativePath);
    BlobWriteOption precondition =
        expectedGeneration == 0
            ? BlobWriteOption.doesNotExist()
            : BlobWriteOption.generationMatch(expectedGeneration);
    try {
      return OptionalLong.of(
          generationOf(storage.createFrom(info, localFile, precondition), relativePath));
    } catch (StorageException e) {
      if (e.getCode() == PRECONDITION_FAILED) {
        return OptionalLong.empty();
      }
      throw failure("upload " + localFile + " to", relativePath, e);
    }
  }

  @Override
  public List<String> list(String relativePrefix) throws IOException {
    String prefix = objectPrefix + RelativePaths.checkPrefix(relativePrefix);
    BlobListOption[] options =
        prefix.isEmpty()
            ? new BlobListOption[0]
            : new BlobListOption[] {BlobListOption.prefix(prefix)};
    List<String> found = new ArrayList<>();
    try {
      // iterateAll follows nextPageToken, so listings longer than a page are complete.
      for (BlobInfo blob : storage.list(bucket, options).iterateAll()) {
        String relative = blob.getName().substring(objectPrefix.length());
        // Skips "folder/" placeholders made by the console and names this store would refuse.
        if (RelativePaths.isValid(relative)) {
          found.add(relative);
        }
      }
    } catch (StorageException e) {
      throw failure("list", relativePrefix, e);
    }
    Collections.sort(found);
    return found;
  }

  @Override
  public boolean delete(String relativePath) throws IOException {
    try {
      return storage.delete(BlobId.of(bucket, objectName(relativePath)));
    } catch (StorageException e) {
      throw failure("delete", relativePath, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (!ownsStorage) {
      return;
    }
    try {
      storage.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("could not close the GCS client for " + root, e);
    }
  }

  static String contentTypeOf(String relativePath) {
    String name = relativePath.toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return "application/json";
    }
    if (name.endsWith(".gz")) {
      return "application/gzip";
    }
    return "application/octet-stream";
  }

  private String objectName(String relativePath) {
    return objectPrefix + RelativePaths.check(relativePath);
  }

  private BlobInfo infoFor(String relativePath) {
    return BlobInfo.newBuilder(BlobId.of(bucket, objectName(relativePath)))
        .setContentType(contentTypeOf(relativePath))
        .build();
  }

  private long generationOf(BlobInfo blob, String relativePath) throws IOException {
    Long generation = blob.getGeneration();
    if (generation == null) {
      // GCS always sets it; only an incomplete emulator would not.
      throw new IOException(
          "the storage service returned no generation for "
              + uri(relativePath)
              + ": it does not behave like GCS");
    }
    return generation;
  }

  /**
   * An error that names the object and says what to do. It quotes the service's own message, which
   * may name the caller's account but never carries credentials.
   */
  private IOException failure(String action, String relativePathOrPrefix, StorageException e) {
    String where = root + relativePathOrPrefix;
    int code = e.getCode();
    String advice;
    if (code == 401) {
      advice =
          "GCS did not accept the credentials: on a workstation run 'gcloud auth"
              + " application-default login'; on Cloud Run check the job's service account";
    } else if (code == 403) {
      advice =
          "permission denied: check the service account has roles/storage.objectAdmin on bucket "
              + bucket;
    } else if (code == NOT_FOUND) {
      advice =
          "bucket "
              + bucket
              + " does not exist or is in another project: create it or fix the landing root";
    } else if (code == 429 || code >= 500) {
      advice =
          "GCS is throttling or unavailable (HTTP "
              + code
              + ") and the client's retries ran out: run the job again later";
    } else if (code == 0) {
      advice = "GCS could not be reached: check network access to storage.googleapis.com";
    } else {
      advice = "GCS answered HTTP " + code;
    }
    return new IOException(
        "could not " + action + " " + where + ": " + advice + " (" + e.getMessage() + ")", e);
  }
}
