package dev.listening.jobs;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One Spark job: its config is validated when it is built, its work happens in {@link #run}. */
public interface Job {
  /** Runs the job; returns the metrics it wrote. Quality gates throw {@link QualityGateFailed}. */
  Map<String, Object> run(SparkSession spark) throws Exception;

  /** Makes a job from its arguments; throws IllegalArgumentException listing every problem. */
  @FunctionalInterface
  interface Factory {
    Job create(JobArgs args);
  }
}
