package dev.listening.jobs.gold;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.jobs.JobsMain;
import dev.listening.jobs.LandingFiles;
import dev.listening.jobs.TestSpark;
import dev.listening.jobs.sink.GoldSink;
import dev.listening.landing.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BigQuery gold tables Terraform creates ({@code infrastructure/bigquery/}) against what the
 * gold job writes. The job writes with {@code createDisposition CREATE_NEVER} and no partitioning
 * options, so a table that differs from the job's DataFrame (a column, its type or mode, the
 * partition column) fails the first cloud run: this finds it here. The job runs for real on bronze
 * made from landing files of every endpoint, into a sink that records what it is given.
 */
class GoldTablesMatchBigQueryTest {
  private static final LocalDate D = LocalDate.parse("2026-11-20");
  private static final Path INFRASTRUCTURE =
      Path.of(System.getProperty("infrastructure.dir", "../infrastructure"));
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the job handed the sink, per table. */
  record Written(StructType schema, String partitionColumn) {}

  /** A sink that writes nothing and keeps what it was given. */
  static final class Recorder implements GoldSink {
    final Map<String, Written> written = new LinkedHashMap<>();

    @Override
    public void writePartitions(Dataset<Row> rows, String table, String partitionColumn) {
      written.put(table, new Written(rows.schema(), partitionColumn));
    }

    @Override
    public void writeTable(Dataset<Row> rows, String table) {
      written.put(table, new Written(rows.schema(), null));
    }
  }

  @TempDir static Path dir;
  private static Map<String, Written> written;
  private static JsonNode tables;

  @BeforeAll
  static void runTheGoldJob() throws Exception {
    TestSpark.get();
    Path landing = dir.resolve("landing");
    Path bronze = dir.resolve("bronze");
    writeLandingOfEveryEndpoint(landing);
    assertThat(
            JobsMain.run(
                "bronze",
                "--landing",
                landing.toString(),
                "--bronze",
                bronze.toString(),
                "--date",
                D.toString(),
                "--max-quarantine-share",
                "1"))
        .as("bronze of the fixtures")
        .isZero();

    Recorder recorder = new Recorder();
    GoldJob.Config config =
        new GoldJob.Config(
            bronze.toString(),
            D,
            Duration.ofHours(6),
            GoldJob.SinkKind.BIGQUERY,
            null,
            "project",
            "gold",
            "temporary-bucket");
    new GoldJob(config, recorder).run(TestSpark.get());
    written = recorder.written;
    tables = JSON.readTree(INFRASTRUCTURE.resolve("bigquery/gold_tables.json").toFile());
  }

  @Test
  void terraformDeclaresExactlyTheTablesTheJobWrites() throws IOException {
    Set<String> declared = new TreeSet<>();
    tables.fieldNames().forEachRemaining(declared::add);
    Set<String> schemaFiles;
    try (Stream<Path> files = Files.list(INFRASTRUCTURE.resolve("bigquery/schemas/gold"))) {
      schemaFiles =
          files
              .map(f -> f.getFileName().toString())
              .filter(f -> f.endsWith(".json"))
              .map(f -> f.substring(0, f.length() - ".json".length()))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> gold =
        Arrays.stream(GoldTable.values())
            .map(GoldTable::tableName)
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(new TreeSet<>(written.keySet()))
        .as("the job wrote every gold table (the fixtures cover every endpoint)")
        .isEqualTo(gold);
    assertThat(declared).as("gold_tables.json lists the gold tables").isEqualTo(gold);
    assertThat(schemaFiles).as("one schema file per gold table").isEqualTo(gold);
  }

  @Test
  void eachTableIsPartitionedOnTheColumnWhosePartitionsTheJobReplaces() {
    for (GoldTable table : GoldTable.values()) {
      JsonNode field = tables.path(table.tableName()).path("partition_field");
      Optional<String> declared =
          field.isTextual() ? Optional.of(field.asText()) : Optional.empty();
      assertThat(declared)
          .as("%s: the partition field in gold_tables.json", table.tableName())
          .isEqualTo(Optional.ofNullable(written.get(table.tableName()).partitionColumn()));
      assertThat(declared).isEqualTo(table.partitionColumn());
    }
  }

  @Test
  void eachSchemaFileHasTheNamesTypesAndModesTheJobWrites() throws IOException {
    for (GoldTable table : GoldTable.values()) {
      String name = table.tableName();
      JsonNode schema =
          JSON.readTree(INFRASTRUCTURE.resolve("bigquery/schemas/gold/" + name + ".json").toFile());
      assertThat(bigQueryFields(schema, ""))
          .as(
              "infrastructure/bigquery/schemas/gold/%s.json against the DataFrame the gold job"
                  + " writes to %s (name TYPE MODE, in order)",
              name, name)
          .containsExactlyElementsOf(sparkFields(written.get(name).schema(), ""));
    }
  }

  @Test
  void theTypeMappingFollowsTheConnector() {
    StructType s =
        new StructType()
            .add("a", DataTypes.StringType, false)
            .add("b", DataTypes.LongType)
            .add("c", DataTypes.IntegerType)
            .add("d", DataTypes.createArrayType(DataTypes.StringType))
            .add("e", new StructType().add("f", DataTypes.DateType))
            .add("g", DataTypes.TimestampType)
            .add("h", DataTypes.BooleanType)
            .add("i", DataTypes.DoubleType);
    assertThat(sparkFields(s, ""))
        .containsExactly(
            "a STRING REQUIRED",
            "b INTEGER NULLABLE",
            "c INTEGER NULLABLE",
            "d STRING REPEATED",
            "e RECORD NULLABLE",
            "e.f DATE NULLABLE",
            "g TIMESTAMP NULLABLE",
            "h BOOLEAN NULLABLE",
            "i FLOAT NULLABLE");
  }

  /**
   * A Spark schema as the BigQuery fields the spark-bigquery-connector writes it to: {@code name
   * TYPE MODE}, nested fields as {@code parent.child}. Arrays are REPEATED fields of their element
   * type ({@code enableListInference}); legacy type names, as the BigQuery API returns them.
   */
  static List<String> sparkFields(StructType schema, String prefix) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      DataType type = f.dataType();
      String mode = f.nullable() ? "NULLABLE" : "REQUIRED";
      if (type instanceof ArrayType array) {
        mode = "REPEATED";
        type = array.elementType();
      }
      out.add(prefix + f.name() + " " + bigQueryType(type, prefix + f.name()) + " " + mode);
      if (type instanceof StructType nested) {
        out.addAll(sparkFields(nested, prefix + f.name() + "."));
      }
    }
    return out;
  }

  private static String bigQueryType(DataType t, String field) {
    if (t.equals(DataTypes.StringType)) {
      return "STRING";
    }
    if (t.equals(DataTypes.LongType)
        || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.ShortType)
        || t.equals(DataTypes.ByteType)) {
      return "INTEGER";
    }
    if (t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType)) {
      return "FLOAT";
    }
    if (t.equals(DataTypes.BooleanType)) {
      return "BOOLEAN";
    }
    if (t.equals(DataTypes.TimestampType)) {
      return "TIMESTAMP";
    }
    if (t.equals(DataTypes.TimestampNTZType)) {
      return "DATETIME";
    }
    if (t.equals(DataTypes.DateType)) {
      return "DATE";
    }
    if (t.equals(DataTypes.BinaryType)) {
      return "BYTES";
    }
    if (t instanceof DecimalType d) {
      return d.precision() <= 38 && d.scale() <= 9 ? "NUMERIC" : "BIGNUMERIC";
    }
    if (t instanceof StructType) {
      return "RECORD";
    }
    throw new AssertionError(field + ": no BigQuery column type for Spark's " + t.simpleString());
  }

  /** A BigQuery JSON schema file as {@code name TYPE MODE} lines (mode defaults to NULLABLE). */
  static List<String> bigQueryFields(JsonNode fields, String prefix) {
    List<String> out = new ArrayList<>();
    for (Iterator<JsonNode> it = fields.elements(); it.hasNext(); ) {
      JsonNode f = it.next();
      String name = prefix + f.path("name").asText();
      out.add(name + " " + f.path("type").asText() + " " + f.path("mode").asText("NULLABLE"));
      if (f.has("fields")) {
        out.addAll(bigQueryFields(f.get("fields"), name + "."));
      }
    }
    return out;
  }

  /** Landing parts of every endpoint for {@link #D}, in the extractor's layout. */
  private static void writeLandingOfEveryEndpoint(Path landing) throws IOException {
    String artist = artist("ar1", "Róisín");
    String album = album("al1", "Album", "2019-03", "month", artist);
    String fetched = "2026-11-20T13:00:00Z";
    // A gap in the poll's manifest and one broken play: the health tables get rows too.
    LandingFiles.writeWithDetails(
        landing,
        "recently_played",
        D.toString(),
        "poll-13",
        Map.of(
            RunManifest.DETAIL_GAPS,
            List.of(
                RunManifest.Gap.of(
                    "u1",
                    Instant.parse("2026-11-20T11:00:00Z"),
                    Instant.parse("2026-11-20T11:30:00Z"),
                    Instant.parse(fetched)))),
        recentlyPlayed(
            "u1",
            fetched,
            "poll-13",
            play(track("t1", "One", album, artist), "2026-11-20T12:10:00Z", "spotify:album:al1"),
            play(localTrack("Demo"), "2026-11-20T12:30:00Z", null),
            play(track("t2", "Two", album, artist), "not a time", null)));
    LandingFiles.write(
        landing,
        "tracks",
        D.toString(),
        "lk",
        envelope(
            "tracks",
            "\"ids\":\"t1\"",
            null,
            fetched,
            "lk",
            200,
            "{\"tracks\":[" + track("t1", "One", album, artist) + "]}"));
    LandingFiles.write(
        landing,
        "albums",
        D.toString(),
        "lk",
        envelope(
            "albums",
            "\"ids\":\"al1\"",
            null,
            fetched,
            "lk",
            200,
            "{\"albums\":[{\"id\":\"al1\",\"name\":\"Album\",\"album_type\":\"album\","
                + "\"release_date\":\"2019-03\",\"release_date_precision\":\"month\","
                + "\"total_tracks\":10,\"uri\":\"spotify:album:al1\",\"label\":\"Label\","
                + "\"popularity\":40,\"genres\":[\"pop\"],\"artists\":["
                + artist
                + "]}]}"));
    LandingFiles.write(
        landing,
        "artists",
        D.toString(),
        "lk",
        envelope(
            "artists",
            "\"ids\":\"ar1\"",
            null,
            fetched,
            "lk",
            200,
            "{\"artists\":[{\"id\":\"ar1\",\"name\":\"Róisín\",\"uri\":\"spotify:artist:ar1\","
                + "\"genres\":[\"pop\"],\"popularity\":60,\"followers\":{\"href\":null,\"total\":5}}]}"));
    LandingFiles.write(
        landing,
        "new_releases",
        D.toString(),
        "nr",
        envelope(
            "new_releases",
            "\"country\":\"SE\"",
            null,
            fetched,
            "nr",
            200,
            "{\"albums\":{\"href\":\"h\",\"items\":["
                + album
                + "],\"limit\":50,\"next\":null,\"offset\":0,\"previous\":null,\"total\":1}}"));
    LandingFiles.write(
        landing,
        "album_tracks",
        D.toString(),
        "lk",
        albumTracks("al1", fetched, "lk", 0, 1, simplifiedTrack("t1", "One", 201_000, artist)));
    LandingFiles.write(
        landing,
        "playlist_items",
        D.toString(),
        "pl",
        envelope(
            "playlist_items",
            "\"playlist_id\":\"pl1\"",
            "u1",
            fetched,
            "pl",
            200,
            "{\"href\":\"h\",\"items\":[{\"added_at\":\"2026-01-02T03:04:05Z\","
                + "\"added_by\":{\"id\":\"me\"},\"is_local\":false,\"track\":"
                + track("t1", "One", album, artist)
                + "}],\"limit\":50,\"next\":null,\"offset\":0,\"total\":1}"));
  }
}
