package dev.listening.extractor.storage;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Option;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test fake: LocalStorageHelper's in-memory {@link Storage} plus the generation rules of real
 * GCS, which that fake lacks. It is a fake because the real service cannot run here;
 * GcsBlobStoreFakeGcsServerTest runs the same contract over HTTP against fake-gcs-server when
 * Docker is available.
 *
 * <p>What LocalStorageHelper (google-cloud-nio 0.135.0 under google-cloud-storage 2.71.0) does not
 * do, as LocalStorageHelperLimitsTest pins down:
 *
 * <ul>
 *   <li>{@code create(BlobInfo, byte[])} neither assigns nor returns a generation (it is null);
 *   <li>preconditions on {@code create} are refused with UnsupportedOperationException by {@code
 *       getOptions()} and silently ignored by {@code customOptions(false)};
 *   <li>{@code createFrom} does check preconditions, but answers a mismatch with 404 and an
 *       existing object under {@code doesNotExist()} with code 0, where GCS answers 412;
 *   <li>reads ignore the generation they ask for;
 *   <li>it is not thread-safe (plain HashMaps).
 * </ul>
 *
 * <p>So this wrapper serializes every call, numbers each object's generations itself, checks {@code
 * ifGenerationMatch} preconditions atomically with the write and answers 412 when they fail, and
 * answers 404 for a read of a generation that is no longer current, as GCS does for buckets without
 * versioning. Only the calls GcsBlobStore makes are supported; others throw.
 */
public final class GenerationEnforcingStorage implements InvocationHandler {

  private static final Pattern GENERATION_MATCH =
      Pattern.compile(".*GenerationMatch\\{key=IF_GENERATION_MATCH, val=(\\d+)\\}.*");

  private final Storage delegate;
  private final Map<BlobId, Long> generations = new HashMap<>();
  private long lastGeneration = 1_700_000_000_000_000L; // GCS generations look like this

  private GenerationEnforcingStorage(Storage delegate) {
    this.delegate = delegate;
  }

  public static Storage wrap(Storage delegate) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            new GenerationEnforcingStorage(delegate));
  }

  private static Method storageMethod(String name, Class<?>... parameterTypes) {
    try {
      return Storage.class.getMethod(name, parameterTypes);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("Storage has no " + name, e);
    }
  }

  private static final Method CREATE =
      storageMethod("create", BlobInfo.class, byte[].class, BlobTargetOption[].class);
  private static final Method CREATE_FROM =
      storageMethod("createFrom", BlobInfo.class, Path.class, BlobWriteOption[].class);
  private static final Method GET = storageMethod("get", BlobId.class);
  private static final Method GET_WITH_OPTIONS =
      storageMethod("get", BlobId.class, BlobGetOption[].class);
  private static final Method READ_ALL_BYTES =
      storageMethod("readAllBytes", BlobId.class, BlobSourceOption[].class);
  private static final Method LIST = storageMethod("list", String.class, BlobListOption[].class);
  private static final Method DELETE = storageMethod("delete", BlobId.class);
  private static final Method CLOSE = storageMethod("close");

  @Override
  public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.equals(CREATE)) {
      BlobInfo info = (BlobInfo) args[0];
      checkPrecondition(info.getBlobId(), (Option<?>[]) args[2]);
      return withNextGeneration(delegate.create(info, (byte[]) args[1]));
    }
    if (method.equals(CREATE_FROM)) {
      BlobInfo info = (BlobInfo) args[0];
      checkPrecondition(info.getBlobId(), (Option<?>[]) args[2]);
      return withNextGeneration(delegate.createFrom(info, (Path) args[1]));
    }
    if (method.equals(GET) || (method.equals(GET_WITH_OPTIONS) && noOptions(args[1]))) {
      Blob blob = delegate.get(unversioned((BlobId) args[0]));
      return blob == null ? null : withGeneration(blob, current(blob.getBlobId()));
    }
    if (method.equals(READ_ALL_BYTES) && noOptions(args[1])) {
      BlobId id = (BlobId) args[0];
      if (id.getGeneration() != null && id.getGeneration() != current(id)) {
        throw new StorageException(404, "No such object: " + id.toGsUtilUriWithGeneration());
      }
      return delegate.readAllBytes(unversioned(id));
    }
    if (method.equals(LIST)) {
      return invokeDelegate(method, args);
    }
    if (method.equals(DELETE)) {
      BlobId id = unversioned((BlobId) args[0]);
      generations.remove(id);
      return delegate.delete(id);
    }
    if (method.equals(CLOSE)) {
      return null;
    }
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(this, args);
    }
    throw new UnsupportedOperationException(
        "GenerationEnforcingStorage does not fake " + method + " with these arguments");
  }

  /** Checks an ifGenerationMatch precondition as GCS does: atomically, failing with 412. */
  private void checkPrecondition(BlobId id, Option<?>[] options) {
    for (Option<?> option : options) {
      Matcher match = GENERATION_MATCH.matcher(option.toString());
      if (!match.matches()) {
        throw new UnsupportedOperationException(
            "GenerationEnforcingStorage does not fake " + option);
      }
      long expected = Long.parseLong(match.group(1));
      if (expected != current(id)) {
        throw new StorageException(
            412, "At least one of the pre-conditions you specified did not hold.");
      }
    }
  }

  private Blob withNextGeneration(Blob written) {
    long generation = ++lastGeneration;
    generations.put(unversioned(written.getBlobId()), generation);
    return withGeneration(written, generation);
  }

  private static Blob withGeneration(Blob blob, long generation) {
    BlobId id = blob.getBlobId();
    return blob.toBuilder().setBlobId(BlobId.of(id.getBucket(), id.getName(), generation)).build();
  }

  private long current(BlobId id) {
    return generations.getOrDefault(unversioned(id), 0L);
  }

  private static BlobId unversioned(BlobId id) {
    return BlobId.of(id.getBucket(), id.getName());
  }

  private static boolean noOptions(Object varargs) {
    return ((Object[]) varargs).length == 0;
  }

  private Object invokeDelegate(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
