package dev.listening.extractor.config;

import dev.listening.extractor.api.Secret;
import dev.listening.extractor.users.SecretAccess;

/**
 * Where the app's client secret comes from. Never the secret on the command line: an option's value
 * shows in process lists and, on Cloud Run, in the job's configuration.
 */
public sealed interface ClientSecretRef {
  /** An environment variable; {@code value} is null when it is unset or blank. */
  record Env(String variable, Secret value) implements ClientSecretRef {
    @Override
    public String toString() {
      return "env:" + variable + (value == null ? " (unset)" : "");
    }
  }

  /** A Secret Manager version, read when the run opens. */
  record SecretManager(SecretAccess.Ref ref) implements ClientSecretRef {
    @Override
    public String toString() {
      return ref.toString();
    }
  }

  /** The local simulator's, served by its admin endpoint. */
  record Simulator() implements ClientSecretRef {
    @Override
    public String toString() {
      return "sim";
    }
  }
}
