package dev.listening.extractor.storage;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import com.google.common.hash.HashingOutputStream;
import com.google.common.io.MoreFiles;
import com.google.common.util.concurrent.Striped;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.locks.Lock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} on a local folder.
 *
 * <p>Writes go to a hidden temp file in the target's directory, are fsynced, then renamed over the
 * target with {@code ATOMIC_MOVE}: readers (including Spark, which skips names starting with '.')
 * see the old file or the new one, never a partial one.
 *
 * <p>Generations are content hashes (63 bits of SHA-256, never 0): there is no sidecar to keep in
 * step with the file, and files copied in by other tools get a generation too. Equal bytes give
 * equal generations, so compare-and-set is value-based: it succeeds when the object still holds
 * what the caller read, which is what a read-modify-write needs.
 *
 * <p>Every change to a directory's objects holds an exclusive {@link FileLock} on a lock file of
 * that directory while it checks and renames, so compare-and-set is atomic across processes on this
 * machine (not across machines sharing a network file system). The lock files live in the system
 * temp folder, named after the directory, so the data folders hold only data: a lock file cannot be
 * deleted safely after use (a waiting process would lock a file nobody else sees any more).
 */
public final class LocalBlobStore implements BlobStore {

  /** Where the directories' lock files are: one per directory, named by its path's hash. */
  static final Path LOCK_FOLDER =
      Path.of(System.getProperty("java.io.tmpdir"), "listening-blobstore-locks");

  private static final Logger log = LoggerFactory.getLogger(LocalBlobStore.class);
  private static final HashFunction CONTENT_HASH = Hashing.sha256();
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Threads of this JVM queue here before taking the OS lock: the JVM throws
   * OverlappingFileLockException, instead of waiting, when it already holds a lock on the file.
   * Static so that two stores on the same folder in one JVM also exclude each other.
   */
  private static final Striped<Lock> JVM_LOCKS = Striped.lock(64);

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /** Names the writer of each temp file, so a resume can tell a killed writer's from a live one. */
  private static final long PID = ProcessHandle.current().pid();

  /** {@code .<target>.<pid>-<random hex>.tmp}, as {@link #stage} names them. */
  private static final Pattern TEMP_NAME = Pattern.compile("^\\..+\\.(\\d+)-[0-9a-f]+\\.tmp$");

  /** Marks an unconditional write in {@link #commit}. */
  private static final long ANY_GENERATION = -1;

  private final Path root;
  private final URI rootUri;
  private final boolean ownerOnly;

  /** A store rooted at {@code root}; the folder is created on the first write. */
  public LocalBlobStore(Path root) {
    this(root, false);
  }

  /**
   * @param ownerOnly files are written readable and writable by their owner only (0600), from the
   *     first byte: for files holding credentials, such as the users file
   */
  public LocalBlobStore(Path root, boolean ownerOnly) {
    Path absolute = root.toAbsolutePath().normalize();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw new IllegalArgumentException(
          "landing root '" + absolute + "' is a file: point it at a folder");
    }
    this.root = absolute;
    this.ownerOnly = ownerOnly;
    String uri = absolute.toUri().toString();
    this.rootUri = URI.create(uri.endsWith("/") ? uri : uri + "/");
  }

  /** Opens a plain folder path ({@code /data/landing}, {@code landing}) or a {@code file:} URI. */
  public static LocalBlobStore open(String rootPathOrFileUri) {
    return open(rootPathOrFileUri, false);
  }

  /** As {@link #open(String)}; {@code ownerOnly} as in {@link #LocalBlobStore(Path, boolean)}. */
  public static LocalBlobStore open(String rootPathOrFileUri, boolean ownerOnly) {
    Path path;
    try {
      path =
          rootPathOrFileUri.regionMatches(true, 0, "file:", 0, 5)
              ? Path.of(URI.create(rootPathOrFileUri))
              : Path.of(rootPathOrFileUri);
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      // InvalidPathException is an IllegalArgumentException too.
      throw invalidRoot(rootPathOrFileUri, e);
    }
    return new LocalBlobStore(path, ownerOnly);
  }

  private static IllegalArgumentException invalidRoot(String root, Exception cause) {
    return new IllegalArgumentException(
        "landing root '"
            + root
            + "' is not a usable folder: use a path such as /data/landing or file:///data/landing ("
            + cause.getMessage()
            + ")",
        cause);
  }

  @Override
  public URI root() {
    return rootUri;
  }

  @Override
  public String uri(String relativePath) {
    return resolve(relativePath).toUri().toString();
  }

  @Override
  public long put(String relativePath, byte[] bytes) throws IOException {
    Path target = resolve(relativePath);
    return commit(target, stage(target, out -> out.write(bytes)), ANY_GENERATION).orElseThrow();
  }

  @Override
  public long putFile(String relativePath, Path localFile) throws IOException {
    Path target = resolve(relativePath);
    return commit(target, stage(target, out -> Files.copy(localFile, out)), ANY_GENERATION)
        .orElseThrow();
  }

  @Override
  public Optional<Blob> get(String relativePath) throws IOException {
    Path target = resolve(relativePath);
    if (Files.isDirectory(target)) {
      return Optional.empty();
    }
    try {
      // One open() of the file: after a rename it is wholly the old or wholly the new content, and
      // the generation is computed from exactly those bytes.
      byte[] bytes = Files.readAllBytes(target);
      return Optional.of(new Blob(bytes, generationOf(CONTENT_HASH.hashBytes(bytes))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public OptionalLong putIfGeneration(String relativePath, byte[] bytes, long expectedGeneration)
      throws IOException {
    if (expectedGeneration < 0) {
      throw new IllegalArgumentException(
          "expected generation " + expectedGeneration + " for " + relativePath + " is negative");
    }
    Path target = resolve(relativePath);
    return commit(target, stage(target, out -> out.write(bytes)), expectedGeneration);
  }

  @Override
  public OptionalLong putFileIfGeneration(
      String relativePath, Path localFile, long expectedGeneration) throws IOException {
    if (expectedGeneration < 0) {
      throw new IllegalArgumentException(
          "expected generation " + expectedGeneration + " for " + relativePath + " is negative");
    }
    Path target = resolve(relativePath);
    return commit(target, stage(target, out -> Files.copy(localFile, out)), expectedGeneration);
  }

  @Override
  public List<String> list(String relativePrefix) throws IOException {
    String prefix = RelativePaths.checkPrefix(relativePrefix);
    int lastSlash = prefix.lastIndexOf('/');
    Path start = lastSlash < 0 ? root : root.resolve(prefix.substring(0, lastSlash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<String> found = new ArrayList<>();
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            boolean hidden = !dir.equals(root) && dir.getFileName().toString().startsWith(".");
            return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              String relative = relativize(file);
              // isValid drops temp and lock files (hidden names) and anything we could not write.
              if (relative.startsWith(prefix) && RelativePaths.isValid(relative)) {
                found.add(relative);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // A temp file renamed away between the directory read and its stat: not an object.
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    Collections.sort(found);
    return found;
  }

  @Override
  public boolean delete(String relativePath) throws IOException {
    Path target = resolve(relativePath);
    if (!Files.isDirectory(target.getParent())) {
      return false;
    }
    try (DirectoryLock ignored = lockDirectoryOf(target)) {
      if (Files.isDirectory(target)) {
        return false;
      }
      return Files.deleteIfExists(target);
    }
  }

  /** Generation of content with this hash: 63 positive bits, 0 being reserved for "absent". */
  static long generationOf(HashCode contentHash) {
    long generation = contentHash.asLong() & Long.MAX_VALUE;
    return generation == 0 ? 1 : generation;
  }

  /**
   * Hidden temp files of writes that never finished: those whose writing process is gone (its pid
   * is in the name; the store is shared by processes of one machine only, see above), and any older
   * than given (a pid the system has since reused, or a name without one).
   */
  @Override
  public int removeTempFiles(String relativeDir, java.time.Duration olderThan) throws IOException {
    Path dir = relativeDir.isEmpty() ? root : resolve(relativeDir);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long cutoff = System.currentTimeMillis() - olderThan.toMillis();
    int removed = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        try {
          if (name.startsWith(".")
              && name.endsWith(".tmp")
              && Files.isRegularFile(f)
              && (writerGone(name) || Files.getLastModifiedTime(f).toMillis() <= cutoff)) {
            removed += Files.deleteIfExists(f) ? 1 : 0;
          }
        } catch (NoSuchFileException e) {
          // A live writer renamed or removed its temp file since the listing: not ours to clean.
        }
      }
    }
    return removed;
  }

  /** True when the temp file's name carries the pid of a process that no longer runs. */
  static boolean writerGone(String tempName) {
    Matcher m = TEMP_NAME.matcher(tempName);
    if (!m.matches()) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return false;
    }
    return pid != PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  private Path resolve(String relativePath) {
    Path resolved = root.resolve(RelativePaths.check(relativePath)).normalize();
    // RelativePaths already refuses '..' and absolute paths; this guards against whatever it
    // missed.
    if (!resolved.startsWith(root) || resolved.equals(root)) {
      throw new IllegalArgumentException(
          "path '" + relativePath + "' resolves outside the landing root " + root);
    }
    return resolved;
  }

  private String relativize(Path file) {
    StringJoiner joined = new StringJoiner("/");
    for (Path name : root.relativize(file)) {
      joined.add(name.toString());
    }
    return joined.toString();
  }

  private interface ContentWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** A finished, fsynced hidden temp file beside its target, and the generation of its bytes. */
  private record Staged(Path temp, long generation) {}

  /** Writes the content outside any lock, so a slow or large write never blocks other writers. */
  private Staged stage(Path target, ContentWriter content) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp =
        target.resolveSibling(
            "."
                + target.getFileName()
                + "."
                + PID
                + "-"
                + Long.toHexString(RANDOM.nextLong())
                + ".tmp");
    try (FileChannel channel =
        ownerOnly && temp.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? FileChannel.open(temp, Set.of(CREATE_NEW, WRITE), OWNER_ONLY)
            : FileChannel.open(temp, CREATE_NEW, WRITE)) {
      HashingOutputStream out =
          new HashingOutputStream(CONTENT_HASH, Channels.newOutputStream(channel));
      content.writeTo(out);
      out.flush();
      channel.force(true);
      return new Staged(temp, generationOf(out.hash()));
    } catch (IOException | RuntimeException e) {
      deleteTemp(temp, e);
      throw e;
    }
  }

  /**
   * Renames the staged file over the target when the target's current generation is {@code
   * expectedGeneration} (or always, for {@link #ANY_GENERATION}); removes the temp file otherwise.
   */
  private OptionalLong commit(Path target, Staged staged, long expectedGeneration)
      throws IOException {
    try {
      try (DirectoryLock ignored = lockDirectoryOf(target)) {
        if (expectedGeneration != ANY_GENERATION
            && currentGeneration(target) != expectedGeneration) {
          Files.deleteIfExists(staged.temp());
          return OptionalLong.empty();
        }
        Files.move(staged.temp(), target, ATOMIC_MOVE, REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      deleteTemp(staged.temp(), e);
      throw e;
    }
    syncDirectory(target.getParent());
    return OptionalLong.of(staged.generation());
  }

  private static long currentGeneration(Path target) throws IOException {
    try {
      return generationOf(MoreFiles.asByteSource(target).hash(CONTENT_HASH));
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private static void deleteTemp(Path temp, Exception pending) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      pending.addSuppressed(e);
    }
  }

  /**
   * Makes the rename durable: on ext4/xfs a rename survives a crash only once its directory is
   * fsynced. Some platforms (Windows) cannot open a directory for this; a failed fsync does not
   * undo the rename, so it is logged rather than failing a write that other readers already see.
   */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("could not fsync directory {}: {}", dir, e.toString());
    }
  }

  /** Both locks on a directory's lock file; releases the OS lock before the JVM one. */
  private static final class DirectoryLock implements AutoCloseable {
    private final Lock jvmLock;
    private final FileChannel channel;

    DirectoryLock(Lock jvmLock, FileChannel channel) {
      this.jvmLock = jvmLock;
      this.channel = channel;
    }

    @Override
    public void close() throws IOException {
      try {
        channel.close(); // also releases the FileLock
      } finally {
        jvmLock.unlock();
      }
    }
  }

  static Path lockFileOf(Path directory) {
    String name =
        Hashing.sha256()
            .hashString(directory.toAbsolutePath().normalize().toString(), StandardCharsets.UTF_8)
            .toString();
    return LOCK_FOLDER.resolve(name.substring(0, 32) + ".lock");
  }

  private static DirectoryLock lockDirectoryOf(Path target) throws IOException {
    Files.createDirectories(LOCK_FOLDER);
    Path lockFile = lockFileOf(target.getParent());
    Lock jvmLock = JVM_LOCKS.get(lockFile);
    jvmLock.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, CREATE, WRITE);
      channel.lock(); // blocks until no other process holds it
      return new DirectoryLock(jvmLock, channel);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      jvmLock.unlock();
      throw e;
    }
  }
}
