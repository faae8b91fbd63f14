package dev.listening.submit;

/** How a run ended, as Airflow's task sees it. */
final class ExitCode {
  /** The batch succeeded, or was accepted under --no-wait, or a dry run. */
  static final int OK = 0;

  /** The batch failed or was cancelled, or Google refused a call. */
  static final int FAILED = 1;

  /** Bad command line; nothing was sent. */
  static final int USAGE = 2;

  /** Stopped waiting at --timeout; the batch itself keeps running. */
  static final int TIMED_OUT = 3;

  private ExitCode() {}
}
