package dev.listening.submit;

import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.dataproc.v1.Batch;
import com.google.cloud.dataproc.v1.BatchControllerClient;
import com.google.cloud.dataproc.v1.BatchControllerSettings;
import com.google.cloud.dataproc.v1.CreateBatchRequest;
import com.google.longrunning.Operation;
import java.io.IOException;
import java.time.Duration;

/**
 * {@link Batches} on the official client, with credentials from Application Default Credentials.
 */
final class DataprocBatches implements Batches {
  /**
   * The generated client neither retries nor times out these two calls. Retrying them is safe:
   * getBatch only reads, and a repeated createBatch with the same batch id cannot make a second
   * batch (it gets ALREADY_EXISTS, which the submitter follows).
   */
  private static final RetrySettings RETRY =
      RetrySettings.newBuilder()
          .setInitialRetryDelayDuration(Duration.ofMillis(500))
          .setRetryDelayMultiplier(2.0)
          .setMaxRetryDelayDuration(Duration.ofSeconds(30))
          .setInitialRpcTimeoutDuration(Duration.ofSeconds(60))
          .setRpcTimeoutMultiplier(1.0)
          .setMaxRpcTimeoutDuration(Duration.ofSeconds(60))
          .setTotalTimeoutDuration(Duration.ofMinutes(5))
          .build();

  private final BatchControllerClient client;

  DataprocBatches(BatchControllerSettings settings) throws IOException {
    this.client = BatchControllerClient.create(settings);
  }

  static DataprocBatches open(String region) throws IOException {
    return new DataprocBatches(settings(region).build());
  }

  /** Batches live in a region and are served by its regional endpoint only. */
  static BatchControllerSettings.Builder settings(String region) throws IOException {
    BatchControllerSettings.Builder b =
        BatchControllerSettings.newBuilder().setEndpoint(region + "-dataproc.googleapis.com:443");
    b.createBatchSettings()
        .setRetryableCodes(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED)
        .setRetrySettings(RETRY);
    b.getBatchSettings()
        .setRetryableCodes(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED)
        .setRetrySettings(RETRY);
    return b;
  }

  @Override
  public Operation create(CreateBatchRequest request) {
    // The plain unary call, not createBatchAsync: that operation only completes when the batch
    // ends, and the submitter follows the batch itself with getBatch.
    return client.createBatchCallable().call(request);
  }

  @Override
  public Batch get(String name) {
    return client.getBatch(name);
  }

  @Override
  public void close() {
    client.close();
  }
}
