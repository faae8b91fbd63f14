package dev.listening.extractor.storage;

/**
 * The one rule for relative paths, shared by every store so a path that works locally also works on
 * GCS and the other way round.
 */
final class RelativePaths {

  private RelativePaths() {}

  /** Returns {@code path} when it is an acceptable object path, else throws naming it. */
  static String check(String path) {
    String problem = problem(path);
    if (problem != null) {
      throw new IllegalArgumentException("path '" + path + "' " + problem);
    }
    return path;
  }

  /**
   * Returns {@code prefix} when it is an acceptable listing prefix: empty (everything), a path, or
   * a path ending in '/'. A prefix may end part-way through a name, as on GCS.
   */
  static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix is null: use \"\" to list everything");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    String problem = problem(body);
    if (problem != null) {
      throw new IllegalArgumentException("prefix '" + prefix + "' " + problem);
    }
    return prefix;
  }

  /** Whether a name found in storage is one this store could have written (list skips others). */
  static boolean isValid(String path) {
    return problem(path) == null;
  }

  private static String problem(String path) {
    if (path == null) {
      return "is null";
    }
    if (path.isEmpty()) {
      return "is empty: name an object under the root, e.g. 'raw/plays/part-0.json'";
    }
    if (path.startsWith("/")) {
      return "is absolute: paths are relative to the landing root";
    }
    if (path.indexOf('\\') >= 0) {
      return "contains '\\': use '/' as the separator";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "contains a control character";
      }
    }
    if (path.indexOf(':') >= 0) {
      // Hadoop (hence Spark) parses "a:b" in a file name as a URI scheme and fails on read.
      return "contains ':', which Spark cannot read back (and is a drive letter on Windows)";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        return "has an empty segment ('//' or a trailing '/')";
      }
      if (segment.equals("..") || segment.equals(".")) {
        return "contains '" + segment + "': paths must stay under the landing root";
      }
      if (segment.startsWith(".")) {
        return "has a segment starting with '.': such names are reserved for temp and lock files"
            + " (and Spark skips them)";
      }
    }
    return null;
  }
}
