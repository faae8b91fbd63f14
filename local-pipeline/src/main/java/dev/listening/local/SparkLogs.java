package dev.listening.local;

import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Sends Spark's log (and the jobs') to a file of the run's logs folder, so the console keeps to the
 * stages and the summary. The file comes from log4j2.properties, which reads this property.
 */
final class SparkLogs {
  static final String PROPERTY = "local.pipeline.spark.log";

  private SparkLogs() {}

  static void to(Path file) {
    System.setProperty(PROPERTY, file.toAbsolutePath().toString());
    ((LoggerContext) LogManager.getContext(false)).reconfigure();
  }
}
