package dev.listening.extractor.run;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a run: a bar when a person watches a terminal, a log line every half minute otherwise
 * (Cloud Run, Airflow), nothing in tests.
 */
public interface Progress extends AutoCloseable {
  void step();

  @Override
  void close();

  /** Makes one progress display per unit of work. */
  @FunctionalInterface
  interface Factory {
    Progress start(String task, long total);
  }

  Factory NONE =
      (task, total) ->
          new Progress() {
            @Override
            public void step() {}

            @Override
            public void close() {}
          };

  /**
   * A bar on stderr when stderr is a terminal and logs are plain text (stdout may well be piped: it
   * carries the summary), otherwise a log line every half minute.
   */
  static Factory auto(boolean jsonLogs) {
    return stderrIsTerminal() && !jsonLogs ? Progress::bar : Progress::logged;
  }

  /** True while a bar is drawn: log lines then clear its line first, and it is redrawn below. */
  static boolean barShown() {
    return BAR_SHOWN.get() > 0;
  }

  java.util.concurrent.atomic.AtomicInteger BAR_SHOWN =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Java 17 cannot ask whether stderr alone is a terminal; Linux shows it in /proc. */
  private static boolean stderrIsTerminal() {
    try {
      String target =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  private static Progress bar(String task, long total) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .setConsumer(
                new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(System.err))
            .clearDisplayOnFinish()
            .build();
    BAR_SHOWN.incrementAndGet();
    return new Progress() {
      @Override
      public void step() {
        bar.step();
      }

      @Override
      public void close() {
        bar.close();
        BAR_SHOWN.decrementAndGet();
      }
    };
  }

  private static Progress logged(String task, long total) {
    Logger log = LoggerFactory.getLogger(Progress.class);
    long every = Duration.ofSeconds(30).toNanos();
    return new Progress() {
      private long done;
      private long lastLog = System.nanoTime();

      @Override
      public synchronized void step() {
        done++;
        long now = System.nanoTime();
        if (now - lastLog >= every) {
          lastLog = now;
          log.info("{}: {}/{} done", task, done, total);
        }
      }

      @Override
      public void close() {}
    };
  }
}
