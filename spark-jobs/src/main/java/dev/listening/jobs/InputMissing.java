package dev.listening.jobs;

/**
 * An input the job was pointed at does not exist (a landing root, a bronze table): the arguments
 * are wrong, not the data, so the job exits 2 and names it.
 */
public final class InputMissing extends RuntimeException {
  public InputMissing(String message) {
    super(message);
  }
}
