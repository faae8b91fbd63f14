package dev.listening.landing;

import java.time.LocalDate;

/**
 * The look-up list: which catalog ids the extractor's {@code lookups --ids} should fetch. Written
 * by the Spark enrichment-list job as one CSV file per date, {@code <out>/date=<d>/part-*.csv}:
 *
 * <pre>
 * entity_type,id
 * track,4uLU6hMCjMI75M1A2tKUQC
 * album,...
 * </pre>
 */
public final class LookupList {
  private LookupList() {}

  public static final String ENTITY_TYPE = "entity_type";
  public static final String ID = "id";

  /** The header line. */
  public static final String HEADER = ENTITY_TYPE + "," + ID;

  /** One date's folder under the list's root. */
  public static String dateDirectory(LocalDate date) {
    return LandingPartition.DATE + "=" + date;
  }

  /** An entry of the list. */
  public record Entry(CatalogKind kind, String id) {}

  /**
   * One line of a list file: its entry, or null for the header, a blank line or a {@code #}
   * comment.
   *
   * @throws IllegalArgumentException saying what the line should look like
   */
  public static Entry parseLine(String line) {
    String l = line.strip();
    if (l.isEmpty() || l.startsWith("#") || l.equals(HEADER)) {
      return null;
    }
    String[] cells = l.split(",", -1);
    if (cells.length != 2) {
      throw new IllegalArgumentException("expected '" + HEADER + "', got '" + l + "'");
    }
    return new Entry(CatalogKind.parse(cells[0]), cells[1].trim());
  }

  /** One line of a list file, newline included. */
  public static String line(CatalogKind kind, String id) {
    return kind.wireName() + "," + id + "\n";
  }
}
