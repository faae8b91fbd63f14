package dev.listening.extractor.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Virtual time: sleeping returns at once and moves the clock, and every sleep is recorded. */
public final class FakeTiming implements Timing {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @Override
  public long nanoTime() {
    return now.get();
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    now.addAndGet(duration.toNanos());
  }

  public void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  public Duration slept() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
