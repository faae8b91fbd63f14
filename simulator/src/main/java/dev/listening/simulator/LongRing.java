package dev.listening.simulator;

/** A FIFO of longs that grows on demand up to a cap; not thread-safe (callers synchronise). */
final class LongRing {
  private final int cap;
  private long[] items = new long[64];
  private int head;
  private int size;

  LongRing(long cap) {
    this.cap = (int) Math.min(Integer.MAX_VALUE - 8, cap);
  }

  int size() {
    return size;
  }

  boolean full() {
    return size >= cap;
  }

  long oldest() {
    return items[head];
  }

  void removeOldest() {
    head = (head + 1) % items.length;
    size--;
  }

  void clear() {
    head = 0;
    size = 0;
  }

  void add(long value) {
    if (size == items.length) {
      long[] grown = new long[(int) Math.min((long) items.length * 2, Integer.MAX_VALUE - 8)];
      for (int i = 0; i < size; i++) {
        grown[i] = items[(head + i) % items.length];
      }
      items = grown;
      head = 0;
    }
    items[(head + size) % items.length] = value;
    size++;
  }
}
