package dev.listening.local.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import dev.listening.jobs.bronze.LandingSchemas;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import java.nio.file.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * What any Spark bronze must pay before its own work, on the files {@link DuckDbReference}'s parse
 * floor reads: the lines of the gzip pages, and those lines parsed by Spark's JSON reader into the
 * same columns DuckDB's floor keeps, the plays unnested. Beside DuckDB's bronze they say how close
 * to it Spark can come at all.
 */
final class SparkFloors {
  private SparkFloors() {}

  private static String pages(Path landing) {
    return landing.resolve(LandingPartition.allPartsGlob(Endpoint.RECENTLY_PLAYED)).toString();
  }

  /**
   * The read floor: every line of the pages decompressed and split off by Hadoop's line reader
   * (which Spark's text and JSON sources both use), nothing decoded or parsed. Returns the lines.
   */
  static long lines(SparkSession spark, Path landing) {
    return spark
        .sparkContext()
        .hadoopFile(pages(landing), TextInputFormat.class, LongWritable.class, Text.class, 2)
        .count();
  }

  /**
   * The parse floor: Spark's JSON source (bytes straight to Jackson, the fastest parse Spark has)
   * with the declared schema, the plays unnested and materialised as rows, nothing checked or
   * written. Returns the plays.
   */
  static long parse(SparkSession spark, Path landing) throws InterruptedException {
    Observation plays = new Observation("spark-parse-floor");
    spark
        .read()
        .schema(LandingSchemas.RECENTLY_PLAYED)
        .json(pages(landing))
        .select(
            col(Envelope.ENDPOINT),
            col(Envelope.USER_KEY),
            col(Envelope.FETCHED_AT),
            col(Envelope.RUN_ID),
            col(Envelope.APP_MODE),
            col(Envelope.HTTP_STATUS),
            explode(col(Envelope.RESPONSE + ".items")).as("item"))
        .observe(plays, count(lit(1)).as("plays"))
        .write()
        .format("noop")
        .mode(SaveMode.Overwrite)
        .save();
    return ((Number) plays.getAsJava().get("plays")).longValue();
  }
}
