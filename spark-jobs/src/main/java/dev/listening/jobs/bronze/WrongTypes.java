package dev.listening.jobs.bronze;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Schema surgery for the records a page carries: parsing a page's records as raw JSON text so that
 * each can be parsed (and quarantined) alone, and naming the field whose value breaks its declared
 * type. Spark's JSON reader only says that a record broke the schema; the reason a data engineer
 * needs names the field.
 */
final class WrongTypes {
  private WrongTypes() {}

  private static final Map<String, String> CORRUPT_OPTION =
      Map.of("columnNameOfCorruptRecord", LandingSchemas.CORRUPT);

  /** {@code from_json} that fills {@link LandingSchemas#CORRUPT} for a record that breaks it. */
  static Column parse(Column json, StructType schema) {
    return from_json(json, schema, CORRUPT_OPTION);
  }

  /**
   * True when {@code json} is not a JSON object Jackson can read at all: malformed, truncated, an
   * array or a scalar, or nested deeper than Jackson's limit (1,000 levels).
   */
  static Column notAnObject(Column json) {
    StructType nothing = new StructType().add(LandingSchemas.CORRUPT, DataTypes.StringType);
    return parse(json, nothing).getField(LandingSchemas.CORRUPT).isNotNull();
  }

  /** The type at a path of struct fields. */
  static DataType at(StructType schema, List<String> path) {
    DataType t = schema;
    for (String name : path) {
      t = ((StructType) t).apply(name).dataType();
    }
    return t;
  }

  /** The schema with the array at {@code path} holding its elements' raw JSON text. */
  static StructType withRecordsAsText(StructType schema, List<String> path) {
    return (StructType) replace(schema, path, DataTypes.createArrayType(DataTypes.StringType));
  }

  private static DataType replace(DataType t, List<String> path, DataType with) {
    if (path.isEmpty()) {
      return with;
    }
    StructType s = (StructType) t;
    StructField[] fields = s.fields().clone();
    int i = s.fieldIndex(path.get(0));
    fields[i] =
        new StructField(
            fields[i].name(),
            replace(fields[i].dataType(), path.subList(1, path.size()), with),
            fields[i].nullable(),
            fields[i].metadata());
    return new StructType(fields);
  }

  /**
   * A reason naming the first field (depth first, in declared order) of {@code json} whose value
   * breaks its declared type in {@code schema}, or a general reason when none alone does. Each
   * probe parses the JSON with a schema holding that one field, so it costs a parse per field: it
   * is meant for the few records already known to be broken.
   */
  static Column reason(Column json, StructType schema) {
    List<Probe> probes = new ArrayList<>();
    probes(schema, "", List.of(), probes);
    Column reason = null;
    for (Probe p : probes) {
      Column broken = parse(json, p.schema()).getField(LandingSchemas.CORRUPT).isNotNull();
      reason =
          reason == null ? when(broken, lit(p.reason())) : reason.when(broken, lit(p.reason()));
    }
    Column fallback =
        lit("breaks the declared schema (no single field is to blame: not an object?)");
    return reason == null ? fallback : reason.otherwise(fallback);
  }

  /** One probe: a schema holding a single field (and the corrupt-record column), its reason. */
  private record Probe(StructType schema, String reason) {}

  private static void probes(
      StructType struct, String prefix, List<StructField> path, List<Probe> out) {
    for (StructField f : struct.fields()) {
      if (f.name().equals(LandingSchemas.CORRUPT)) {
        continue;
      }
      String name = prefix + f.name();
      List<StructField> here = new ArrayList<>(path);
      here.add(f);
      DataType t = f.dataType();
      if (t instanceof StructType s) {
        // The container first: "track is not an object" rather than blaming its first field.
        out.add(probe(here, shapeOf(s), "field '" + name + "' is not an object"));
        probes(s, name + ".", here, out);
      } else if (t instanceof ArrayType a) {
        out.add(
            probe(
                here,
                DataTypes.createArrayType(DataTypes.StringType),
                "field '" + name + "' is not an array"));
        if (a.elementType() instanceof StructType e) {
          out.add(
              probe(
                  here,
                  DataTypes.createArrayType(shapeOf(e)),
                  "field '" + name + "' holds an element that is not an object"));
          for (StructField ef : e.fields()) {
            out.add(
                probe(
                    here,
                    DataTypes.createArrayType(new StructType(new StructField[] {ef})),
                    "field '" + name + "[]." + ef.name() + "' is not " + article(ef.dataType())));
          }
        } else if (!a.elementType().equals(DataTypes.StringType)) {
          out.add(
              probe(
                  here,
                  t,
                  "field '" + name + "' holds an element that is not " + article(a.elementType())));
        }
      } else if (!t.equals(DataTypes.StringType)) {
        // A STRING accepts any JSON value (Spark keeps it as text): only other types can break.
        out.add(probe(here, t, "field '" + name + "' is not " + article(t)));
      }
    }
  }

  /** A struct with only its first field, typed STRING: it accepts any object, and only objects. */
  private static StructType shapeOf(StructType s) {
    return new StructType().add(s.fields()[0].name(), DataTypes.StringType);
  }

  /** The schema holding {@code path} down to its last field, which gets {@code leaf}. */
  private static Probe probe(List<StructField> path, DataType leaf, String reason) {
    DataType t = leaf;
    for (int i = path.size() - 1; i >= 0; i--) {
      t = new StructType().add(path.get(i).name(), t);
    }
    return new Probe(((StructType) t).add(LandingSchemas.CORRUPT, DataTypes.StringType), reason);
  }

  private static String article(DataType t) {
    String name = t.sql().toUpperCase(Locale.ROOT);
    return (name.matches("^[AEIOU].*") ? "an " : "a ") + name;
  }
}
