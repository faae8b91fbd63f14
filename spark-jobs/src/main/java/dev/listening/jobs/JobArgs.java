package dev.listening.jobs;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's {@code --name value} arguments. Reading a value never throws: problems are collected, and
 * {@link #check()} reports all of them at once (unknown names included), so a wrong Dataproc batch
 * is fixed in one go.
 */
public final class JobArgs {
  private final String job;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> read = new LinkedHashSet<>();
  private final List<String> problems = new ArrayList<>();

  private JobArgs(String job) {
    this.job = job;
  }

  public static JobArgs parse(String job, List<String> args) {
    JobArgs a = new JobArgs(job);
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (!name.startsWith("--") || name.length() < 3) {
        a.problems.add("'" + name + "' is not an option (options look like --name value)");
        continue;
      }
      String key = name.substring(2);
      int eq = key.indexOf('=');
      if (eq > 0) {
        a.values.put(key.substring(0, eq), key.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        a.values.put(key, args.get(++i));
      } else {
        a.values.put(key, "true");
      }
    }
    return a;
  }

  public String require(String name) {
    read.add(name);
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      problems.add("--" + name + " is required");
      return null;
    }
    return v;
  }

  public String optional(String name, String fallback) {
    read.add(name);
    String v = values.get(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** A path or URI: a local folder or gs://bucket/prefix; trailing slashes dropped. */
  public String uri(String name) {
    String v = require(name);
    if (v == null) {
      return null;
    }
    if (v.matches("^[a-z][a-z0-9+.-]*://.*")
        && !v.startsWith("gs://")
        && !v.startsWith("file://")) {
      problems.add("--" + name + " '" + v + "' must be a local path, file:// or gs:// URI");
    }
    return v.replaceAll("/+$", "");
  }

  public LocalDate date(String name) {
    String v = require(name);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      problems.add("--" + name + " '" + v + "' is not a date (YYYY-MM-DD)");
      return null;
    }
  }

  private static final Pattern SHORT = Pattern.compile("(\\d+)(m|h|d)");

  public Duration duration(String name, Duration fallback) {
    read.add(name);
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    Matcher m = SHORT.matcher(v.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    problems.add("--" + name + " '" + v + "' is not a duration (e.g. 90m, 6h, 30d)");
    return fallback;
  }

  public double fraction(String name, double fallback) {
    read.add(name);
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (d < 0 || d > 1) {
        problems.add("--" + name + " must be between 0 and 1, got " + v);
      }
      return d;
    } catch (NumberFormatException e) {
      problems.add("--" + name + " '" + v + "' is not a number between 0 and 1");
      return fallback;
    }
  }

  public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
    read.add(name);
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
        return e;
      }
    }
    problems.add(
        "--"
            + name
            + " '"
            + v
            + "' is not one of "
            + List.of(type.getEnumConstants()).toString().toLowerCase());
    return fallback;
  }

  public void problem(String message) {
    problems.add(message);
  }

  /** Throws listing every problem, including options this job does not know. */
  public void check() {
    for (String name : values.keySet()) {
      if (!read.contains(name)) {
        problems.add(
            "--"
                + name
                + " is not an option of the "
                + job
                + " job (it takes: --"
                + String.join(", --", read)
                + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid arguments for the " + job + " job:\n  - " + String.join("\n  - ", problems));
    }
  }
}
