package dev.listening.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.dataproc.v1.Batch;
import com.google.cloud.dataproc.v1.BatchControllerGrpc;
import com.google.cloud.dataproc.v1.CreateBatchRequest;
import com.google.cloud.dataproc.v1.GetBatchRequest;
import com.google.longrunning.Operation;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real client adapter against an in-process gRPC server that plays Dataproc's batch controller:
 * checks the adapter makes the calls the submitter expects, and that failures reach it as gax
 * exceptions carrying the gRPC code (which is what the fake in the other tests assumes).
 */
class DataprocBatchesTest {
  static final String PARENT = "projects/listening-dev/locations/europe-west1";

  final List<Object> received = new CopyOnWriteArrayList<>();
  final AtomicInteger unavailableGetsLeft = new AtomicInteger();
  Server server;
  ManagedChannel channel;
  DataprocBatches batches;

  final class FakeController extends BatchControllerGrpc.BatchControllerImplBase {
    @Override
    public void createBatch(CreateBatchRequest request, StreamObserver<Operation> response) {
      received.add(request);
      if (request.getBatchId().equals("taken-id")) {
        response.onError(Status.ALREADY_EXISTS.withDescription("exists").asRuntimeException());
        return;
      }
      // Not done: the batch runs on; the adapter must return anyway.
      response.onNext(Operation.newBuilder().setName(PARENT + "/operations/op-1").build());
      response.onCompleted();
    }

    @Override
    public void getBatch(GetBatchRequest request, StreamObserver<Batch> response) {
      received.add(request);
      if (unavailableGetsLeft.getAndDecrement() > 0) {
        response.onError(Status.UNAVAILABLE.asRuntimeException());
      } else if (request.getName().endsWith("/forbidden")) {
        response.onError(Status.PERMISSION_DENIED.withDescription("denied").asRuntimeException());
      } else {
        response.onNext(
            Batch.newBuilder().setName(request.getName()).setState(Batch.State.RUNNING).build());
        response.onCompleted();
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new FakeController())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    // The production settings (retries included), pointed at the in-process channel.
    batches =
        new DataprocBatches(
            DataprocBatches.settings("europe-west1")
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
  }

  @AfterEach
  void stop() {
    batches.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void talksToTheRegionalEndpoint() throws Exception {
    assertThat(DataprocBatches.settings("europe-west1").build().getEndpoint())
        .isEqualTo("europe-west1-dataproc.googleapis.com:443");
  }

  @Test
  void createSendsTheRequestAndReturnsWhileTheBatchRuns() {
    CreateBatchRequest request =
        BatchRequests.build(
            SubmitBatch.parse(
                Map.of(),
                "--project=listening-dev",
                "--region=europe-west1",
                "--jobs-jar=gs://artifacts/spark-jobs.jar",
                "--batch-id=bronze-1",
                "--",
                "bronze"));

    Operation operation = batches.create(request);

    assertThat(operation.getDone()).isFalse();
    assertThat(received)
        .as("exactly the request, and no operation polling")
        .containsExactly(request);
  }

  @Test
  void alreadyExistsArrivesWithItsCode() {
    CreateBatchRequest request =
        CreateBatchRequest.newBuilder().setParent(PARENT).setBatchId("taken-id").build();

    ApiException e = catchThrowableOfType(ApiException.class, () -> batches.create(request));

    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.ALREADY_EXISTS);
    assertThat(received).as("ALREADY_EXISTS is an answer, not retried").hasSize(1);
  }

  @Test
  void getRetriesWhenDataprocIsUnavailable() {
    unavailableGetsLeft.set(1);

    Batch batch = batches.get(PARENT + "/batches/bronze-1");

    assertThat(batch.getState()).isEqualTo(Batch.State.RUNNING);
    assertThat(received).hasSize(2);
  }

  @Test
  void permissionDeniedIsNotRetried() {
    ApiException e =
        catchThrowableOfType(ApiException.class, () -> batches.get(PARENT + "/batches/forbidden"));

    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.PERMISSION_DENIED);
    assertThat(received).hasSize(1);
  }
}
