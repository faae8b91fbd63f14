package dev.listening.extractor.api;

import java.time.Duration;

/**
 * Monotonic time and sleeping, injectable so that retry and rate-limit tests run instantly on a
 * virtual clock.
 */
public interface Timing {
  long nanoTime();

  void sleep(Duration duration) throws InterruptedException;

  Timing SYSTEM =
      new Timing() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
          if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
          }
        }
      };
}
