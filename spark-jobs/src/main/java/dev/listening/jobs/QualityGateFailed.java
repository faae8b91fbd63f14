package dev.listening.jobs;

import java.util.List;

/** A quality gate failed: the job's output is not fit to use. The message says which and why. */
public final class QualityGateFailed extends RuntimeException {
  public QualityGateFailed(String job, List<String> failures) {
    super("quality gate failed in the " + job + " job:\n  - " + String.join("\n  - ", failures));
  }
}
