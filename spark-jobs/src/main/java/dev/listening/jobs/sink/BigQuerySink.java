package dev.listening.jobs.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Gold into BigQuery through the spark-bigquery-connector that Dataproc Serverless installs. The
 * tables are created by Terraform with their partitioning and clustering, so the writes pass no
 * partitioning option and never create a table.
 */
public final class BigQuerySink implements GoldSink {
  private final String project;
  private final String dataset;
  private final String temporaryGcsBucket;

  public BigQuerySink(String project, String dataset, String temporaryGcsBucket) {
    this.project = project;
    this.dataset = dataset;
    this.temporaryGcsBucket = temporaryGcsBucket;
  }

  /**
   * The connector options of one write. Indirect writes (Parquet files in a temporary bucket, then
   * a load job) are the connector's path for dynamic partition overwrite on a partitioned table:
   * only the partitions present in the DataFrame are replaced.
   *
   * @param partitioned whether the target table is partitioned (overwrite its partitions) or not
   *     (overwrite the whole table)
   */
  public static Map<String, String> writeOptions(
      String project,
      String dataset,
      String table,
      boolean partitioned,
      String temporaryGcsBucket) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("table", project + "." + dataset + "." + table);
    o.put("writeMethod", "indirect");
    o.put("temporaryGcsBucket", temporaryGcsBucket);
    o.put("intermediateFormat", "parquet");
    // Arrays arrive as REPEATED fields rather than list.element wrappers.
    o.put("enableListInference", "true");
    // Terraform owns the tables: a missing one is an error, not something to create unpartitioned.
    o.put("createDisposition", "CREATE_NEVER");
    o.put("spark.sql.sources.partitionOverwriteMode", partitioned ? "DYNAMIC" : "STATIC");
    return o;
  }

  @Override
  public void writePartitions(Dataset<Row> rows, String table, String partitionColumn) {
    rows.write()
        .format("bigquery")
        .options(writeOptions(project, dataset, table, true, temporaryGcsBucket))
        .mode(SaveMode.Overwrite)
        .save();
  }

  @Override
  public void writeTable(Dataset<Row> rows, String table) {
    rows.write()
        .format("bigquery")
        .options(writeOptions(project, dataset, table, false, temporaryGcsBucket))
        .mode(SaveMode.Overwrite)
        .save();
  }
}
