package dev.listening.extractor.users;

import java.io.IOException;

/**
 * The users file or secret is missing or malformed: the operator's input to fix (exit 2), not a
 * failure of the run. Its message names the file and what is wrong, never a token.
 */
public final class BadUsersInput extends IOException {
  public BadUsersInput(String message) {
    super(message);
  }
}
