package dev.listening.extractor.api;

import java.util.Objects;

/**
 * A credential (client secret, refresh or access token). Its {@code toString} never shows the
 * value, so a secret that slips into a log line, an exception message or a summary is redacted.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(value);
  }

  /** The raw value, for the one place that must send it (an HTTP header or form body). */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
