package dev.listening.jobs.sink;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Gold as Parquet under a root folder: {@code <root>/<table>/}. */
public final class ParquetSink implements GoldSink {
  private final String root;

  public ParquetSink(String root) {
    this.root = root;
  }

  @Override
  public void writePartitions(Dataset<Row> rows, String table, String partitionColumn) {
    // The session's dynamic partition overwrite keeps every partition absent from rows.
    rows.write().mode(SaveMode.Overwrite).partitionBy(partitionColumn).parquet(root + "/" + table);
  }

  @Override
  public void writeTable(Dataset<Row> rows, String table) {
    rows.write().mode(SaveMode.Overwrite).parquet(root + "/" + table);
  }
}
