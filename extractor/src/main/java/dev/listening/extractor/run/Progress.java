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

  /** A terminal bar if stderr is a console and logs are plain text, otherwise periodic logs. */
  static Factory auto(boolean jsonLogs) {
    boolean terminal = System.console() != null && !jsonLogs;
    return terminal ? Progress::bar : Progress::logged;
  }

  private static Progress bar(String task, long total) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .build();
    return new Progress() {
      @Override
      public void step() {
        bar.step();
      }

      @Override
      public void close() {
        bar.close();
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
