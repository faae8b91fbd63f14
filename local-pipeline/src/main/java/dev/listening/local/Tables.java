package dev.listening.local;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.bronze.PollGaps;
import dev.listening.jobs.gold.GoldTable;
import java.io.File;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Row counts per table for the run summary. */
final class Tables {
  private Tables() {}

  static Map<String, Long> counts(SparkSession spark, String bronze, String gold, LocalDate day) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (BronzeJob.Table t : BronzeJob.Table.values()) {
      counts.put("bronze." + t.table(), count(spark, bronze + "/" + t.table()));
    }
    counts.put("bronze." + PollGaps.TABLE, count(spark, bronze + "/" + PollGaps.TABLE));
    counts.put("bronze." + BronzeJob.QUARANTINE, count(spark, bronze + "/" + BronzeJob.QUARANTINE));
    for (GoldTable table : GoldTable.values()) {
      if (table != GoldTable.FCT_LISTENS) {
        counts.put("gold." + table.tableName(), count(spark, gold + "/" + table.tableName()));
      }
    }
    String facts = gold + "/" + GoldTable.FCT_LISTENS.tableName();
    counts.put(
        "gold." + GoldTable.FCT_LISTENS.tableName() + "[" + day + "]",
        new File(facts).exists()
            ? spark
                .read()
                .parquet(facts)
                .filter(col("play_date").equalTo(lit(day.toString()).cast("date")))
                .count()
            : 0L);
    return counts;
  }

  private static long count(SparkSession spark, String path) {
    return new File(path).exists() ? spark.read().parquet(path).count() : 0L;
  }
}
