package dev.listening.jobs;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** One local SparkSession for the whole test JVM: small, UI off, the jobs' own settings. */
public final class TestSpark {
  private static SparkSession spark;

  private TestSpark() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      SparkSession.builder()
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.adaptive.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
      spark = SparkSessions.getOrCreate("tests");
      spark.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> spark.stop()));
    }
    return spark;
  }

  /** Landing lines as the bronze job reads them: (value, landing_file, date). */
  public static Dataset<Row> lines(String date, String... values) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      rows.add(RowFactory.create(values[i], "file:/landing/part-" + i + ".ndjson.gz", date));
    }
    return get()
        .createDataFrame(
            rows,
            new StructType()
                .add("value", "string")
                .add("landing_file", "string")
                .add("date", "string"));
  }
}
