package dev.listening.jobs.sink;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Where gold tables go: Parquet in a folder (local runs) or BigQuery (the cloud). */
public interface GoldSink {
  /**
   * Replaces only the partitions present in {@code rows} of a table partitioned by {@code
   * partitionColumn}.
   */
  void writePartitions(Dataset<Row> rows, String table, String partitionColumn) throws Exception;

  /** Replaces a whole table (the dimensions are rebuilt from all bronze on every run). */
  void writeTable(Dataset<Row> rows, String table) throws Exception;
}
