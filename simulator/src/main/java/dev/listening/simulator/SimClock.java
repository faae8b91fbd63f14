package dev.listening.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.LongSupplier;

/**
 * The simulated "now". Frozen by default, so a test decides exactly when each poll happens; {@link
 * #flowFrom} lets a standalone simulator move with the wall clock instead.
 */
public final class SimClock {
  private final LongSupplier nanoTime;
  private Instant base;
  private long baseNanos;
  private boolean flowing;

  public SimClock(Instant start) {
    this(start, System::nanoTime);
  }

  SimClock(Instant start, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.base = start;
  }

  public synchronized Instant now() {
    if (!flowing) {
      return base;
    }
    // Milliseconds are all the API shows (played_at, cursors); finer steps only add noise.
    return base.plusNanos(nanoTime.getAsLong() - baseNanos).truncatedTo(ChronoUnit.MILLIS);
  }

  public long nowMillis() {
    return now().toEpochMilli();
  }

  /** Freezes the clock at {@code instant}. */
  public synchronized void set(Instant instant) {
    base = java.util.Objects.requireNonNull(instant, "instant");
    flowing = false;
  }

  /** Moves the clock forward (or back, for a negative duration); keeps it frozen or flowing. */
  public synchronized void advance(Duration d) {
    base = base.plus(d);
  }

  /** Lets the clock run in real time, starting at {@code instant} now. */
  public synchronized void flowFrom(Instant instant) {
    base = java.util.Objects.requireNonNull(instant, "instant");
    baseNanos = nanoTime.getAsLong();
    flowing = true;
  }

  public synchronized boolean flowing() {
    return flowing;
  }
}
