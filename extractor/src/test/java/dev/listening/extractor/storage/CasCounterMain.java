package dev.listening.extractor.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.listening.extractor.storage.BlobStore.Blob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The child-process side of {@link LocalBlobStoreCrossProcessTest}: adds {@code increments} to a
 * counter object by compare-and-set, starting when the parent says "go".
 *
 * <p>Arguments: root folder, object path, number of increments. Prints {@link #READY} and, at the
 * end, {@link #CONFLICTS} followed by how many of its compare-and-sets lost a race.
 */
public final class CasCounterMain {

  static final String READY = "cas-counter: ready";
  static final String CONFLICTS = "cas-counter: conflicts ";

  private CasCounterMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String path = args[1];
    int increments = Integer.parseInt(args[2]);
    BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    System.out.println(READY);
    System.out.flush();
    String go = parent.readLine();
    if (!"go".equals(go)) {
      throw new IllegalStateException("expected 'go' from the parent, got " + go);
    }
    int conflicts = 0;
    try (BlobStore store = new LocalBlobStore(root)) {
      for (int done = 0; done < increments; ) {
        Optional<Blob> current = store.get(path);
        long value = current.map(b -> Long.parseLong(new String(b.bytes(), UTF_8))).orElse(0L);
        long generation = current.map(Blob::generation).orElse(0L);
        byte[] next = Long.toString(value + 1).getBytes(UTF_8);
        if (store.putIfGeneration(path, next, generation).isPresent()) {
          done++;
        } else {
          conflicts++;
        }
      }
    }
    System.out.println(CONFLICTS + conflicts);
  }
}
