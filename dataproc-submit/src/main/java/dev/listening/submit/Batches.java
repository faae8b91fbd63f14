package dev.listening.submit;

import com.google.cloud.dataproc.v1.Batch;
import com.google.cloud.dataproc.v1.CreateBatchRequest;
import com.google.longrunning.Operation;

/**
 * The two Dataproc calls the submitter makes, so its logic runs against a fake in tests. Failures
 * are gax {@link com.google.api.gax.rpc.ApiException}s, as the real client throws them.
 */
interface Batches extends AutoCloseable {
  /** Asks Dataproc to create the batch; returns once it is accepted, not when it ends. */
  Operation create(CreateBatchRequest request);

  /** The batch by full name, projects/P/locations/R/batches/ID. */
  Batch get(String name);

  @Override
  void close();
}
