package dev.listening.submit;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: "90s", "15m", "4h", "2d", or ISO-8601 ("PT4H"). */
final class DurationText {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private DurationText() {}

  /** The duration, or null when the text is not one (the caller reports it with the option). */
  static Duration parse(String text) {
    if (text == null) {
      return null;
    }
    String v = text.trim();
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(v);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Short form for messages: "4h", "15m", "1h30m", "500ms". */
  static String format(Duration d) {
    if (d.toMillisPart() != 0 || d.isZero()) {
      return d.toMillis() + "ms";
    }
    StringBuilder s = new StringBuilder();
    if (d.toDays() > 0) {
      s.append(d.toDays()).append('d');
    }
    if (d.toHoursPart() > 0) {
      s.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      s.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      s.append(d.toSecondsPart()).append('s');
    }
    return s.toString();
  }
}
