package dev.listening.extractor.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Object storage under one root URI: a local folder or {@code gs://bucket/prefix}. Paths are
 * relative to the root and use '/' separators. Every write is atomic: a reader sees either the
 * previous object or the whole new one, never a partial file.
 */
public interface BlobStore extends AutoCloseable {

  /** An object's bytes and the generation they were read at. */
  record Blob(byte[] bytes, long generation) {}

  /** The root, e.g. {@code file:/tmp/landing/} or {@code gs://bucket/prefix/}. */
  URI root();

  /** Full URI of a relative path, for messages and lineage. */
  String uri(String relativePath);

  /** Writes (or replaces) an object atomically and returns its new generation. */
  long put(String relativePath, byte[] bytes) throws IOException;

  /** Publishes a finished local file atomically (streamed, not read into memory). */
  long putFile(String relativePath, Path localFile) throws IOException;

  /** Reads an object, or empty when it does not exist. */
  Optional<Blob> get(String relativePath) throws IOException;

  /**
   * Compare-and-set: writes only if the object's current generation equals {@code
   * expectedGeneration} ({@code 0} means "must not exist yet"). Returns the new generation, or
   * empty when another writer got there first.
   */
  OptionalLong putIfGeneration(String relativePath, byte[] bytes, long expectedGeneration)
      throws IOException;

  /**
   * {@link #putFile} with {@link #putIfGeneration}'s precondition, checked atomically with the
   * publish: with {@code 0}, two writers of the same new object can never replace each other's.
   * Returns the new generation, or empty when the object's generation was not the one expected.
   */
  OptionalLong putFileIfGeneration(String relativePath, Path localFile, long expectedGeneration)
      throws IOException;

  /** Relative paths of the objects under a relative prefix, sorted. */
  List<String> list(String relativePrefix) throws IOException;

  /** Deletes an object; returns false when it did not exist. */
  boolean delete(String relativePath) throws IOException;

  /**
   * Removes the temp files an interrupted write left in a folder (relative path), when older than
   * {@code olderThan}; returns how many. Stores that write in one request (GCS) leave none.
   */
  default int removeTempFiles(String relativeDir, java.time.Duration olderThan) throws IOException {
    return 0;
  }

  @Override
  default void close() throws IOException {}
}
