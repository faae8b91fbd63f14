package dev.listening.submit;

import com.google.cloud.dataproc.v1.Batch;
import com.google.cloud.dataproc.v1.CreateBatchRequest;
import com.google.cloud.dataproc.v1.EnvironmentConfig;
import com.google.cloud.dataproc.v1.ExecutionConfig;
import com.google.cloud.dataproc.v1.RuntimeConfig;
import com.google.cloud.dataproc.v1.SparkBatch;
import com.google.protobuf.util.Durations;

/**
 * The Dataproc request for a validated config: a pure function, so tests read it field by field.
 */
final class BatchRequests {
  private BatchRequests() {}

  static CreateBatchRequest build(SubmitConfig config) {
    ExecutionConfig.Builder execution =
        ExecutionConfig.newBuilder().setTtl(Durations.fromMillis(config.ttl().toMillis()));
    config.serviceAccount().ifPresent(execution::setServiceAccount);
    config.subnet().ifPresent(execution::setSubnetworkUri);

    Batch batch =
        Batch.newBuilder()
            .setSparkBatch(
                SparkBatch.newBuilder()
                    .setMainClass(SubmitConfig.JOBS_MAIN_CLASS)
                    .addJarFileUris(config.jobsJarUri())
                    .addAllArgs(config.jobArgs()))
            .setRuntimeConfig(
                RuntimeConfig.newBuilder()
                    .setVersion(config.runtimeVersion())
                    .putAllProperties(config.properties()))
            .setEnvironmentConfig(EnvironmentConfig.newBuilder().setExecutionConfig(execution))
            .putAllLabels(config.labels())
            .build();

    // No request_id: the batch id already makes a repeated create harmless (ALREADY_EXISTS, which
    // the submitter follows), while a request_id would hand back the old operation silently.
    return CreateBatchRequest.newBuilder()
        .setParent(config.parent())
        .setBatchId(config.batchId())
        .setBatch(batch)
        .build();
  }
}
