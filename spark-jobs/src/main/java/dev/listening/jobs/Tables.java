package dev.listening.jobs;

import java.io.IOException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Parquet tables in a lake folder (local or gs://), written so that re-runs replace, not add. */
public final class Tables {
  private Tables() {}

  /**
   * Replaces the partitions present in {@code rows} (dynamic partition overwrite: every other
   * partition stays as it was). When the job owns a partition but produced no rows for it, the old
   * partition is deleted, so a re-run with less data does not leave stale rows behind.
   *
   * @param ownedPartition the job's own partition, e.g. "date=2026-11-20"; null to skip the cleanup
   */
  public static void overwritePartitions(
      Dataset<Row> rows,
      String tableUri,
      long rowCount,
      String ownedPartition,
      Storage storage,
      String... partitionColumns)
      throws IOException {
    if (rowCount == 0) {
      if (ownedPartition != null) {
        storage.delete(tableUri + "/" + ownedPartition);
      }
      return;
    }
    rows.write().mode(SaveMode.Overwrite).partitionBy(partitionColumns).parquet(tableUri);
  }
}
