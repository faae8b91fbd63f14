package dev.listening.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one function that decides how gold is written to BigQuery (the connector runs only on GCP).
 */
class BigQuerySinkTest {
  @Test
  void partitionedTablesGetDynamicPartitionOverwriteAndNoPartitioningOptions() {
    Map<String, String> o =
        BigQuerySink.writeOptions("proj", "listening", "fct_listens", true, "proj-bq-temp");
    assertThat(o)
        .containsEntry("table", "proj.listening.fct_listens")
        .containsEntry("writeMethod", "indirect")
        .containsEntry("temporaryGcsBucket", "proj-bq-temp")
        .containsEntry("spark.sql.sources.partitionOverwriteMode", "DYNAMIC")
        .containsEntry("createDisposition", "CREATE_NEVER")
        .containsEntry("enableListInference", "true");
    assertThat(o.keySet())
        .as("Terraform created the tables: no partitioning or clustering options")
        .doesNotContain(
            "partitionField",
            "partitionType",
            "partitionExpirationMs",
            "clusteredFields",
            "partitionRangeStart");
  }

  @Test
  void wholeTablesAreOverwrittenStatically() {
    assertThat(BigQuerySink.writeOptions("p", "d", "dim_tracks", false, "b"))
        .containsEntry("table", "p.d.dim_tracks")
        .containsEntry("spark.sql.sources.partitionOverwriteMode", "STATIC");
  }
}
