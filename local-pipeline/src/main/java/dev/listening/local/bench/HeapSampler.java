package dev.listening.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples this JVM's heap while a measured step runs. "Used" includes garbage not yet collected, so
 * the heap left after each collection is sampled too; under G1 neither is a live-set figure, which
 * is why the extractor's bound is reported from runs with a small -Xmx instead.
 */
final class HeapSampler implements AutoCloseable {
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  HeapSampler() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    thread = new Thread(this::sample, "heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    while (running) {
      long used = 0;
      long live = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          used += p.getUsage().getUsed();
          if (p.getCollectionUsage() != null) {
            live += p.getCollectionUsage().getUsed();
          }
        }
      }
      peak.accumulateAndGet(used, Math::max);
      peakAfterGc.accumulateAndGet(live, Math::max);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  long peakMb() {
    return peak.get() >> 20;
  }

  long peakAfterGcMb() {
    return peakAfterGc.get() >> 20;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }
}
