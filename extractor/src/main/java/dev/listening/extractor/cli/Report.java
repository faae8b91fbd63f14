package dev.listening.extractor.cli;

import dev.listening.extractor.Json;
import dev.listening.extractor.api.ClientStats;
import dev.listening.extractor.run.RunSummary;
import java.io.PrintStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prints a run's summary: one JSON object on stdout, one readable line in the log. */
final class Report {
  private static final Logger log = LoggerFactory.getLogger(Report.class);

  private Report() {}

  static int print(RunSummary summary, ClientStats stats, PrintStream out) {
    Map<String, Object> m = summary.toMap(stats);
    try {
      out.println(Json.mapper().writeValueAsString(m));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("summary is plain data and always serialisable", e);
    }
    out.flush();
    log.info(
        "{} {}: {} pages, {} items, {} bytes landed in {} part(s), {} requests, {} retries,"
            + " {} gaps, {} skipped, {} failed ({})",
        m.get("command"),
        m.get("status"),
        m.get("pages"),
        m.get("items"),
        m.get("bytes_landed"),
        m.get("parts"),
        m.get("requests"),
        m.get("retries"),
        m.get("gaps"),
        summary.skipped().size(),
        summary.failed().size(),
        m.get("message"));
    return summary.status().exitCode();
  }
}
