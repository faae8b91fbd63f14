package dev.listening.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;

/**
 * A job's small metrics file, next to its output: {@code <root>/_metrics/<job>/date=<d>.json}.
 * Readers of the tables skip it (its folder starts with an underscore); operators and the pipeline
 * summary read it.
 */
public final class Metrics {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();

  private Metrics() {}

  public static String path(String root, String job, LocalDate date) {
    return root + "/_metrics/" + job + "/date=" + date + ".json";
  }

  /** The metrics a job wrote for a date, or an empty (mutable) map when there are none. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(Storage storage, String root, String job, LocalDate date)
      throws IOException {
    String text = storage.read(path(root, job, date));
    return text == null
        ? new java.util.LinkedHashMap<>()
        : JSON.readValue(text, java.util.LinkedHashMap.class);
  }

  public static void write(
      Storage storage, String root, String job, LocalDate date, Map<String, Object> metrics)
      throws IOException {
    storage.write(path(root, job, date), JSON.writeValueAsString(metrics));
  }
}
