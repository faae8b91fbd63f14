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
  private final Map<String, String> docs = new LinkedHashMap<>();
  private final Map<String, String> typed = new java.util.HashMap<>();
  private final boolean help;

  private JobArgs(String job, boolean help) {
    this.job = job;
    this.help = help;
  }

  /** Arguments that only record what the job reads, to print its usage ({@code <job> --help}). */
  public static JobArgs forHelp(String job) {
    return new JobArgs(job, true);
  }

  /** True when building the job's usage: read every option, whatever the others say. */
  public boolean helping() {
    return help;
  }

  /** The job's options as {@code <job> --help} prints them: each with its default and purpose. */
  public String usage(String summary) {
    StringBuilder b =
        new StringBuilder("usage: JobsMain ").append(job).append(" [options]\n").append(summary);
    b.append("\n\noptions:\n");
    docs.forEach((name, text) -> b.append(String.format("  --%-24s %s%n", name, text)));
    return b.toString();
  }

  /**
   * Accepts {@code --old} for {@code --now} (an option that was renamed), so existing command lines
   * keep working while the help shows the new name.
   */
  public void renamed(String old, String now) {
    if (values.containsKey(old) && !values.containsKey(now)) {
      values.put(now, values.remove(old));
      typed.put(now, old);
    }
  }

  /** An option as the user typed it, for messages: "--date" when they used the old name. */
  private String opt(String name) {
    return "--" + typed.getOrDefault(name, name);
  }

  /** A duration the way it is written on the command line: 30d, 6h, 90m. */
  private static String format(Duration d) {
    if (d.toHours() % 24 == 0 && d.toHours() > 0 && d.toMinutes() % 60 == 0) {
      return d.toDays() + "d";
    }
    return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
  }

  private void doc(String name, String text) {
    read.add(name);
    docs.putIfAbsent(name, text);
  }

  public static JobArgs parse(String job, List<String> args) {
    JobArgs a = new JobArgs(job, false);
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
    return require(name, "(required)");
  }

  public String require(String name, String description) {
    doc(name, description + " Required.");
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      problems.add(opt(name) + " is required");
      return null;
    }
    return v;
  }

  public String optional(String name, String fallback) {
    return optional(name, fallback, "");
  }

  public String optional(String name, String fallback, String description) {
    doc(name, description + " Default: " + fallback + ".");
    String v = values.get(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** A path or URI: a local folder or gs://bucket/prefix; trailing slashes dropped. */
  public String uri(String name) {
    return uri(name, "A local folder or gs://bucket/prefix.");
  }

  public String uri(String name, String description) {
    String v = require(name, description);
    if (v == null) {
      return null;
    }
    if (v.matches("^[a-z][a-z0-9+.-]*://.*")
        && !v.startsWith("gs://")
        && !v.startsWith("file://")) {
      problems.add(opt(name) + " '" + v + "' must be a local path, file:// or gs:// URI");
    }
    return v.replaceAll("/+$", "");
  }

  public LocalDate date(String name) {
    return date(name, "A date, YYYY-MM-DD.");
  }

  public LocalDate date(String name, String description) {
    String v = require(name, description);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      problems.add(opt(name) + " '" + v + "' is not a date (YYYY-MM-DD)");
      return null;
    }
  }

  private static final Pattern SHORT = Pattern.compile("(\\d+)(m|h|d)");

  public Duration duration(String name, Duration fallback) {
    return duration(name, fallback, "A duration (e.g. 90m, 6h, 30d).");
  }

  public Duration duration(String name, Duration fallback, String description) {
    doc(name, description + " Default: " + format(fallback) + ".");
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
    problems.add(opt(name) + " '" + v + "' is not a duration (e.g. 90m, 6h, 30d)");
    return fallback;
  }

  public double fraction(String name, double fallback) {
    return fraction(name, fallback, "A fraction between 0 and 1.");
  }

  public double fraction(String name, double fallback, String description) {
    doc(name, description + " Default: " + fallback + ".");
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (d < 0 || d > 1) {
        problems.add(opt(name) + " must be between 0 and 1, got " + v);
      }
      return d;
    } catch (NumberFormatException e) {
      problems.add(opt(name) + " '" + v + "' is not a number between 0 and 1");
      return fallback;
    }
  }

  public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
    return choice(name, type, fallback, "One of " + List.of(type.getEnumConstants()) + ".");
  }

  public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback, String description) {
    doc(
        name,
        description + " Default: " + fallback.name().toLowerCase(java.util.Locale.ROOT) + ".");
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
        opt(name)
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
            opt(name)
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
