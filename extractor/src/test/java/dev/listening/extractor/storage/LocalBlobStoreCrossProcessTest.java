package dev.listening.extractor.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compare-and-set on a local folder must exclude other processes, not just other threads: two
 * extractor runs started by hand, or a run and a backfill, may share one landing folder.
 */
class LocalBlobStoreCrossProcessTest {

  private static final int INCREMENTS_PER_PROCESS = 300;

  @TempDir Path root;
  @TempDir Path logs;

  @Test
  void twoProcessesIncrementingOneCounterByCompareAndSetLoseNoUpdate() throws Exception {
    List<Process> workers = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Process worker = startWorker(i);
        workers.add(worker);
        outputs.add(new BufferedReader(new InputStreamReader(worker.getInputStream(), UTF_8)));
      }
      // A stalled child would block readLine forever; killing it ends its output instead.
      List<Process> started = List.copyOf(workers);
      CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS)
          .execute(() -> started.forEach(Process::destroyForcibly));
      // Both JVMs are up before either starts, so their loops overlap.
      for (int i = 0; i < 2; i++) {
        assertThat(lineStartingWith(outputs.get(i), CasCounterMain.READY))
            .as("worker %d started; stderr: %s", i, stderrOf(i))
            .isNotNull();
      }
      for (Process worker : workers) {
        OutputStream in = worker.getOutputStream();
        in.write("go\n".getBytes(UTF_8));
        in.flush();
      }
      long conflicts = 0;
      for (int i = 0; i < 2; i++) {
        String done = lineStartingWith(outputs.get(i), CasCounterMain.CONFLICTS);
        assertThat(workers.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(workers.get(i).exitValue()).as("worker %d; stderr: %s", i, stderrOf(i)).isZero();
        assertThat(done).as("worker %d finished; stderr: %s", i, stderrOf(i)).isNotNull();
        conflicts += Long.parseLong(done.substring(CasCounterMain.CONFLICTS.length()));
      }

      String total =
          new String(new LocalBlobStore(root).get("counter.txt").orElseThrow().bytes(), UTF_8);
      assertThat(total)
          .as("no increment lost between processes")
          .isEqualTo(Integer.toString(2 * INCREMENTS_PER_PROCESS));
      assertThat(conflicts)
          .as("the processes really contended, so the lock was exercised")
          .isPositive();
    } finally {
      workers.forEach(Process::destroyForcibly);
    }
  }

  private Process startWorker(int index) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Surefire may run tests from a manifest-only jar; its Class-Path carries the test classpath.
    String classpath = System.getProperty("java.class.path");
    return new ProcessBuilder(
            java,
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            CasCounterMain.class.getName(),
            root.toString(),
            "counter.txt",
            Integer.toString(INCREMENTS_PER_PROCESS))
        .redirectError(logs.resolve("worker-" + index + ".err").toFile())
        .start();
  }

  private String stderrOf(int index) {
    try {
      Path file = logs.resolve("worker-" + index + ".err");
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Skips log lines the child may print; null at end of output. */
  private static String lineStartingWith(BufferedReader output, String prefix) throws IOException {
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }
}
