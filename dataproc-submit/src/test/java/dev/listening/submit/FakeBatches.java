package dev.listening.submit;

import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.dataproc.v1.Batch;
import com.google.cloud.dataproc.v1.CreateBatchRequest;
import com.google.cloud.dataproc.v1.SparkBatch;
import com.google.longrunning.Operation;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Dataproc's batch controller as the submitter sees it: records every call, answers get with a
 * scripted sequence of batches (the last one repeats), and fails with gax exceptions as the real
 * client does.
 */
final class FakeBatches implements Batches {
  final List<String> calls = new ArrayList<>();
  CreateBatchRequest created;
  boolean closed;
  private final Deque<Batch> batches = new ArrayDeque<>();
  private ApiException createError;
  private ApiException getError;

  static Batch batch(Batch.State state) {
    return Batch.newBuilder().setState(state).build();
  }

  static ApiException error(Status.Code code, String message) {
    return ApiExceptionFactory.createException(
        message, null, GrpcStatusCode.of(code), code == Status.Code.UNAVAILABLE);
  }

  FakeBatches states(Batch... sequence) {
    batches.addAll(List.of(sequence));
    return this;
  }

  FakeBatches failCreate(ApiException e) {
    createError = e;
    return this;
  }

  FakeBatches failGet(ApiException e) {
    getError = e;
    return this;
  }

  @Override
  public Operation create(CreateBatchRequest request) {
    calls.add("create " + request.getBatchId());
    if (createError != null) {
      throw createError;
    }
    created = request;
    return Operation.newBuilder().setName(request.getParent() + "/operations/op-1").build();
  }

  @Override
  public Batch get(String name) {
    calls.add("get " + name);
    if (getError != null) {
      throw getError;
    }
    if (batches.isEmpty()) {
      throw new AssertionError("the test scripted no batch for get " + name);
    }
    Batch next = batches.size() > 1 ? batches.poll() : batches.peek();
    // Like Dataproc, answer with the batch as it was created (or as the test says it exists).
    return next.getSparkBatch().equals(SparkBatch.getDefaultInstance()) && created != null
        ? next.toBuilder().setName(name).setSparkBatch(created.getBatch().getSparkBatch()).build()
        : next.toBuilder().setName(name).build();
  }

  @Override
  public void close() {
    closed = true;
  }
}
