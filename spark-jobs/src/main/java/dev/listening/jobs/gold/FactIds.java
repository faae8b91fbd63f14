package dev.listening.jobs.gold;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Every catalog id a fact table names, and the dimension it must be in: the one list the gold job's
 * gate and the local run's reconciliation both check. Local files name no id (null track and album
 * ids, no artist ids) and are left out.
 */
public final class FactIds {
  private FactIds() {}

  /** A column of ids (or of arrays of ids) in a fact table, and the dimension that holds them. */
  public record Reference(GoldTable fact, String column, boolean array, GoldTable dim) {
    /** The dimension's id column, e.g. track_id. */
    public String dimId() {
      return idColumn(dim);
    }

    /** "fct_listens.artist_ids": how the metrics and the summary name it. */
    public String name() {
      return fact.tableName() + "." + column;
    }

    /** The distinct non-null ids the fact names here, as one column {@code id}. */
    public Dataset<Row> ids(Dataset<Row> factRows) {
      Column c = col(column);
      return factRows
          .select((array ? explode(c) : c).as("id"))
          .filter(col("id").isNotNull())
          .distinct();
    }
  }

  /** A dimension's id column, e.g. track_id. */
  static String idColumn(GoldTable dim) {
    return switch (dim) {
      case DIM_TRACKS -> "track_id";
      case DIM_ALBUMS -> "album_id";
      case DIM_ARTISTS -> "artist_id";
      default -> throw new IllegalStateException(dim + " is not a dimension");
    };
  }

  /** Every id column of every fact table. */
  public static final List<Reference> REFERENCES =
      List.of(
          new Reference(GoldTable.FCT_LISTENS, "track_id", false, GoldTable.DIM_TRACKS),
          new Reference(GoldTable.FCT_LISTENS, "album_id", false, GoldTable.DIM_ALBUMS),
          new Reference(GoldTable.FCT_LISTENS, "artist_ids", true, GoldTable.DIM_ARTISTS),
          new Reference(GoldTable.FCT_PLAYLIST_ITEMS, "track_id", false, GoldTable.DIM_TRACKS),
          new Reference(GoldTable.FCT_PLAYLIST_ITEMS, "album_id", false, GoldTable.DIM_ALBUMS),
          new Reference(GoldTable.FCT_PLAYLIST_ITEMS, "artist_ids", true, GoldTable.DIM_ARTISTS),
          new Reference(GoldTable.FCT_NEW_RELEASES, "album_id", false, GoldTable.DIM_ALBUMS),
          new Reference(GoldTable.FCT_NEW_RELEASE_TRACKS, "album_id", false, GoldTable.DIM_ALBUMS),
          new Reference(GoldTable.FCT_NEW_RELEASE_TRACKS, "track_id", false, GoldTable.DIM_TRACKS),
          new Reference(
              GoldTable.FCT_NEW_RELEASE_TRACKS, "artist_ids", true, GoldTable.DIM_ARTISTS));

  /** What one reference showed: ids named, absent from the dimension, present but not looked up. */
  public record Count(long named, long missing, long notLookedUp) {}

  /**
   * Counts every reference whose fact is in {@code facts}, in one Spark query: ten queries would
   * pay ten rounds of planning, code generation and JIT compilation for a few small joins.
   */
  public static Map<Reference, Count> measure(
      Map<GoldTable, Dataset<Row>> facts, Map<GoldTable, Dataset<Row>> dims) {
    List<Reference> refs = REFERENCES.stream().filter(r -> facts.get(r.fact()) != null).toList();
    Map<Reference, Count> counts = new LinkedHashMap<>();
    if (refs.isEmpty()) {
      return counts;
    }
    Dataset<Row> named = null;
    for (Reference ref : refs) {
      Column c = col(ref.column());
      Dataset<Row> ids =
          facts
              .get(ref.fact())
              .select(
                  lit(ref.name()).as("ref"),
                  lit(ref.dim().tableName()).as("dim"),
                  (ref.array() ? explode(c) : c).as("id"));
      named = named == null ? ids : named.unionByName(ids);
    }
    Dataset<Row> dimIds = null;
    for (GoldTable dim : refs.stream().map(Reference::dim).distinct().toList()) {
      Dataset<Row> ids =
          dims.get(dim)
              .select(
                  lit(dim.tableName()).as("dim_table"),
                  col(idColumn(dim)).as("dim_id"),
                  col("looked_up_at"));
      dimIds = dimIds == null ? ids : dimIds.unionByName(ids);
    }
    List<Row> rows =
        named
            .filter(col("id").isNotNull())
            .distinct()
            .join(
                dimIds,
                col("dim").equalTo(col("dim_table")).and(col("id").equalTo(col("dim_id"))),
                "left")
            .groupBy(col("ref"))
            .agg(
                count(lit(1)),
                sum(when(col("dim_id").isNull(), 1).otherwise(0)),
                sum(
                    when(col("dim_id").isNotNull().and(col("looked_up_at").isNull()), 1)
                        .otherwise(0)))
            .collectAsList();
    Map<String, Row> byName = new java.util.HashMap<>();
    rows.forEach(r -> byName.put(r.getString(0), r));
    for (Reference ref : refs) {
      Row r = byName.get(ref.name());
      // A reference that names no id has no group: zero of everything.
      counts.put(
          ref,
          r == null ? new Count(0, 0, 0) : new Count(r.getLong(1), r.getLong(2), r.getLong(3)));
    }
    return counts;
  }

  /**
   * The gate: every id every fact names is in its dimension. Puts the counts in {@code metrics}
   * ({@code fact_ids_named}, {@code fact_ids_missing_from_dimensions}, {@code
   * fact_ids_not_looked_up}: ids in their dimension from embedded copies only, which the next
   * enrichment list asks for) and returns one failure per reference with missing ids.
   */
  public static List<String> check(
      Map<GoldTable, Dataset<Row>> facts,
      Map<GoldTable, Dataset<Row>> dims,
      Map<String, Object> metrics) {
    Map<String, Long> named = new LinkedHashMap<>();
    Map<String, Long> missing = new LinkedHashMap<>();
    Map<String, Long> notLookedUp = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<Reference, Count> e : measure(facts, dims).entrySet()) {
      Reference ref = e.getKey();
      Count c = e.getValue();
      named.put(ref.name(), c.named());
      missing.put(ref.name(), c.missing());
      notLookedUp.put(ref.name(), c.notLookedUp());
      if (c.missing() > 0) {
        failures.add(
            c.missing()
                + " of the "
                + c.named()
                + " ids in "
                + ref.name()
                + " are missing from "
                + ref.dim().tableName());
      }
    }
    metrics.put("fact_ids_named", named);
    metrics.put("fact_ids_missing_from_dimensions", missing);
    metrics.put("fact_ids_not_looked_up", notLookedUp);
    return failures;
  }
}
