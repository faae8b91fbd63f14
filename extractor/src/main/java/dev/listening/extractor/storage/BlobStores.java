package dev.listening.extractor.storage;

import com.google.cloud.storage.Storage;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Opens the {@link BlobStore} a landing root names. */
public final class BlobStores {

  // At least two letters, so a Windows drive ("C:\landing") reads as a folder, not a scheme.
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):.*");

  private BlobStores() {}

  /**
   * A local folder ({@code /data/landing}, {@code file:///data/landing}) or GCS ({@code
   * gs://bucket/prefix}, with Application Default Credentials).
   */
  public static BlobStore open(String root) {
    return open(root, GcsBlobStore::defaultStorage);
  }

  /**
   * As {@link #open(String)} for files that hold credentials: local files are written 0600 (on GCS,
   * the bucket's IAM decides who reads).
   */
  public static BlobStore openPrivate(String root) {
    return open(root, GcsBlobStore::defaultStorage, true);
  }

  /** As {@link #open(String)}, with the GCS client to use (built only for a gs:// root). */
  static BlobStore open(String root, Supplier<Storage> gcsClient) {
    return open(root, gcsClient, false);
  }

  private static BlobStore open(String root, Supplier<Storage> gcsClient, boolean ownerOnly) {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException(
          "landing root is empty: use a local folder or gs://bucket/prefix");
    }
    String trimmed = root.strip();
    Matcher scheme = SCHEME.matcher(trimmed);
    if (!scheme.matches()) {
      return LocalBlobStore.open(trimmed, ownerOnly);
    }
    switch (scheme.group(1).toLowerCase(Locale.ROOT)) {
      case "file":
        return LocalBlobStore.open(trimmed, ownerOnly);
      case "gs":
        return GcsBlobStore.open(trimmed, gcsClient);
      default:
        throw new IllegalArgumentException(
            "landing root '"
                + root
                + "' is not supported: use a local folder or gs://bucket/prefix");
    }
  }
}
