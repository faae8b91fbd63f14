package dev.listening.extractor.run;

import java.io.IOException;

/**
 * Another attempt of the same run (same endpoint, date, run id and shard) wrote the run's manifest
 * since this attempt last read or wrote it: two attempts are landing one run at once, e.g. a Cloud
 * Run task retried while the first still runs, or a run started by hand beside the scheduled one.
 * The attempt that wrote last owns the run; this one stops without listing anything more, so its
 * watermarks do not move past what it lands, and the owner's landing stands.
 */
public final class ConcurrentAttempt extends IOException {
  public ConcurrentAttempt(String message) {
    super(message);
  }
}
