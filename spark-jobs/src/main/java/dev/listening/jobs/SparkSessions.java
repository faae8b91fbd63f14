package dev.listening.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The session every job runs in. On Dataproc (or spark-submit) the master and resources come from
 * the launcher; these settings are the ones the jobs' correctness depends on, so they are set here
 * and not left to the console.
 */
public final class SparkSessions {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SparkSessions.class);

  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName) {
    // In a JVM that already runs Spark (tests, the local pipeline) the session is reused as is.
    SparkSession spark;
    if (SparkSession.getDefaultSession().isDefined()) {
      spark = SparkSession.getDefaultSession().get();
    } else if (new SparkConf().contains("spark.master")) {
      spark = SparkSession.builder().appName(appName).getOrCreate();
    } else {
      // Started with java -cp ... JobsMain (not spark-submit, not Dataproc): no master was given.
      log.warn(
          "no Spark master given (spark-submit and Dataproc set one): running locally on"
              + " local[*]; pass --master to spark-submit, or -Dspark.master=... to choose");
      spark = SparkSession.builder().appName(appName).master("local[*]").getOrCreate();
    }
    // Instants are UTC everywhere: a play's date is its UTC date.
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    // A job writes only the partitions it owns; an overwrite never drops the others.
    spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    // from_json must parse the whole declared schema: pruned to the fields one expression reads,
    // it would miss a wrong-typed field elsewhere and the record would escape quarantine.
    spark.conf().set("spark.sql.optimizer.enableJsonExpressionOptimization", "false");
    // A wrong-typed field deep inside a record must mark the line corrupt, not just null itself.
    spark.conf().set("spark.sql.json.enablePartialResults", "false");
    // Partition values are read as strings ("run=0042" must not become 42).
    spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    return spark;
  }
}
