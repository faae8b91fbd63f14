package dev.listening.jobs.gold;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.Storage;
import dev.listening.jobs.bronze.PollGaps;
import dev.listening.jobs.sink.GoldSink;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The completeness facts the warehouse shows next to the numbers (its {@code mart_data_health}):
 * the extractor's gap reports and the records bronze quarantined, one partition per date, written
 * like the other gold tables (only the date's partition is replaced).
 */
public final class HealthTables {
  private HealthTables() {}

  /** One row per gap whose lost window starts on {@code gap_date}. */
  public static final String FCT_POLL_GAPS = GoldTable.FCT_POLL_GAPS.tableName();

  /** Records bronze quarantined per landing date, endpoint and reason. */
  public static final String FCT_QUARANTINED_RECORDS =
      GoldTable.FCT_QUARANTINED_RECORDS.tableName();

  static final String QUARANTINE = "quarantine";

  /**
   * The gaps of a date: those whose window (watermark to the oldest play of the full page) starts
   * on it, as the date's plays do, so a poll after midnight that finds a gap in the evening's plays
   * counts for the evening. A gap reported twice (a resumed run) counts once.
   */
  public static Dataset<Row> pollGaps(Dataset<Row> bronzeGaps, LocalDate date) {
    Column day = lit(date.toString()).cast("date");
    return bronzeGaps
        .filter(to_date(col("watermark")).equalTo(day))
        .withColumn(
            "rank",
            row_number()
                .over(
                    Window.partitionBy("user_key", "watermark", "oldest_in_page")
                        .orderBy(
                            col("fetched_at").asc(),
                            col("run_id").asc(),
                            col("manifest_file").asc())))
        .filter(col("rank").equalTo(1))
        .select(
            day.as("gap_date"),
            col("user_key"),
            col("watermark"),
            col("oldest_in_page"),
            unix_millis(col("oldest_in_page"))
                .minus(unix_millis(col("watermark")))
                .as("lost_window_ms"),
            col("fetched_at"),
            col("run_id"));
  }

  /** How many records bronze quarantined for a landing date, per endpoint and reason. */
  public static Dataset<Row> quarantinedRecords(Dataset<Row> quarantine, LocalDate date) {
    Column day = lit(date.toString()).cast("date");
    return quarantine
        .filter(col("date").cast("date").equalTo(day))
        .groupBy(col("endpoint"), col("reason"))
        // A quarantined page stands for its records: sum them, so the count is of records.
        .agg(coalesce(sum(col("records")), lit(0L)).as("records"))
        .select(day.as("quarantine_date"), col("endpoint"), col("reason"), col("records"));
  }

  /**
   * Writes the date's partitions of both tables. A date with no row clears its old partition where
   * the sink is Parquet ({@code parquetRoot} not null); the BigQuery sink, like the other gold
   * tables there, replaces only partitions that have rows.
   *
   * @param lastLanding the last landing date that can hold reports about {@code date}
   */
  static Map<String, Object> write(
      SparkSession spark,
      Storage storage,
      String bronze,
      LocalDate date,
      LocalDate lastLanding,
      GoldSink sink,
      String parquetRoot)
      throws Exception {
    Map<String, Object> metrics = new LinkedHashMap<>();
    String gapsUri = bronze + "/" + PollGaps.TABLE;
    Dataset<Row> gaps =
        storage.hasData(gapsUri)
            ? pollGaps(
                spark
                    .read()
                    .parquet(gapsUri)
                    .filter(
                        col("date")
                            .cast("date")
                            .between(
                                lit(date.toString()).cast("date"),
                                lit(lastLanding.toString()).cast("date"))),
                date)
            : null;
    metrics.put(
        FCT_POLL_GAPS + "_rows",
        write(gaps, FCT_POLL_GAPS, "gap_date", date, storage, sink, parquetRoot));

    String quarantineUri = bronze + "/" + QUARANTINE;
    Dataset<Row> quarantined =
        storage.hasData(quarantineUri)
            ? quarantinedRecords(spark.read().parquet(quarantineUri), date)
            : null;
    metrics.put(
        FCT_QUARANTINED_RECORDS + "_rows",
        write(
            quarantined,
            FCT_QUARANTINED_RECORDS,
            "quarantine_date",
            date,
            storage,
            sink,
            parquetRoot));
    return metrics;
  }

  private static long write(
      Dataset<Row> rows,
      String table,
      String partitionColumn,
      LocalDate date,
      Storage storage,
      GoldSink sink,
      String parquetRoot)
      throws Exception {
    long n = rows == null ? 0 : rows.count();
    if (n > 0) {
      sink.writePartitions(rows, table, partitionColumn);
    } else if (parquetRoot != null) {
      storage.delete(parquetRoot + "/" + table + "/" + partitionColumn + "=" + date);
    }
    return n;
  }
}
