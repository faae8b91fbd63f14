package dev.listening.local.bench;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.listening.jobs.JobsMain;
import dev.listening.landing.Endpoint;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.Shard;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB reference does the same work as Spark: on a tiny landing with duplicates across polls,
 * a late play, a local file, release dates of every precision and a broken play, its bronze and
 * gold hold the same rows as Spark's, column for column.
 */
class DuckDbReferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate DAY = LocalDate.parse("2026-11-20");

  @TempDir static Path dir;
  static Path landing;
  static SparkSession spark;

  private static Map<String, Object> artist(String id, String name) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("id", id);
    a.put("name", name);
    a.put("uri", id == null ? null : "spotify:artist:" + id);
    return a;
  }

  private static Map<String, Object> play(
      String trackId, String playedAt, String album, String release, String precision) {
    Map<String, Object> al = new LinkedHashMap<>();
    al.put("id", album);
    al.put("name", "Album " + album);
    al.put("album_type", "album");
    al.put("release_date", release);
    al.put("release_date_precision", precision);
    al.put("total_tracks", 11);
    al.put("uri", "spotify:album:" + album);
    al.put("artists", List.of(artist("ar1", "One")));
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", trackId);
    t.put("name", "Track " + trackId);
    t.put("uri", trackId == null ? "spotify:local:x:y:z:1" : "spotify:track:" + trackId);
    t.put("duration_ms", 200_000);
    t.put("explicit", false);
    t.put("is_local", trackId == null);
    t.put("popularity", 40);
    t.put("disc_number", 1);
    t.put("track_number", 3);
    t.put("external_ids", Map.of("isrc", "ISRC" + trackId));
    t.put("album", al);
    t.put("artists", List.of(artist("ar2", "Two"), artist("ar1", "One")));
    t.put("available_markets", List.of("DE", "FR"));
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("track", t);
    p.put("played_at", playedAt);
    p.put("context", Map.of("type", "playlist", "uri", "spotify:playlist:p1"));
    return p;
  }

  private static String page(String user, String fetchedAt, String run, List<Object> items)
      throws Exception {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("endpoint", Endpoint.RECENTLY_PLAYED.landingName());
    e.put("user_key", user);
    e.put("fetched_at", fetchedAt);
    e.put("run_id", run);
    e.put("app_mode", "extended");
    e.put("http_status", 200);
    e.put("response", Map.of("items", items));
    return JSON.writeValueAsString(e);
  }

  private static void part(LocalDate date, String run, String... lines) throws Exception {
    Path file =
        landing.resolve(
            new LandingPartition(Endpoint.RECENTLY_PLAYED, date, run, Shard.parse("0/1"))
                .partPath(0));
    Files.createDirectories(file.getParent());
    try (Writer w =
        new OutputStreamWriter(
            new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
  }

  @BeforeAll
  static void landAndRun() throws Exception {
    landing = dir.resolve("landing");
    List<Object> first = new ArrayList<>();
    first.add(play("t1", "2026-11-20T00:10:00.125Z", "al1", "1981", "year"));
    first.add(play("t2", "2026-11-20T00:20:00Z", "al2", "1981-12", "month"));
    first.add(play(null, "2026-11-20T00:30:00.000Z", null, "2001-02-03", "day"));
    first.add(play("t3", "2026-11-19T23:50:00.000Z", "al1", "1981", "year"));
    first.add(play("t4", "yesterday", "al2", "1981-12", "month"));
    part(
        DAY,
        "poll-01",
        page("u1", "2026-11-20T01:00:00.000Z", "poll-01", first),
        page(
            "u2",
            "2026-11-20T01:00:01.000Z",
            "poll-01",
            List.of(play("t1", "2026-11-20T00:40:00.000Z", "al1", "1982", null))));
    // The next poll lands the first plays again (a newer album name wins in the dims) and a
    // late play lands on the next date.
    List<Object> again = new ArrayList<>(first.subList(0, 3));
    Map<String, Object> renamed = play("t2", "2026-11-20T01:20:00.000Z", "al2", "1981-12", "month");
    @SuppressWarnings("unchecked")
    Map<String, Object> track = (Map<String, Object>) renamed.get("track");
    @SuppressWarnings("unchecked")
    Map<String, Object> album = (Map<String, Object>) track.get("album");
    album.put("name", "Album al2 (remastered)");
    part(DAY, "poll-02", page("u1", "2026-11-20T02:00:00.000Z", "poll-02", again));
    // In a later fetch: two copies of one album in the same fetch and file would tie, and the
    // rule names no winner between them.
    part(DAY, "poll-03", page("u1", "2026-11-20T03:00:00.000Z", "poll-03", List.of(renamed)));
    part(
        DAY.plusDays(1),
        "poll-25",
        page(
            "u2",
            "2026-11-21T01:00:00.000Z",
            "poll-25",
            List.of(
                play("t5", "2026-11-20T23:59:59.999Z", "al3", "2020-01-01", "day"),
                play("t1", "2026-11-21T00:30:00.000Z", "al1", "1981", "year"))));
    SparkBenchmark.writeManifests(landing.resolve(Endpoint.RECENTLY_PLAYED.landingName()), landing);

    Path bronze = dir.resolve("spark-bronze");
    for (LocalDate d : List.of(DAY, DAY.plusDays(1))) {
      assertThat(
              JobsMain.run(
                  "bronze",
                  "--landing",
                  landing.toString(),
                  "--bronze",
                  bronze.toString(),
                  "--landing-date",
                  d.toString(),
                  "--endpoints",
                  Endpoint.RECENTLY_PLAYED.landingName(),
                  "--max-quarantine-share",
                  "0.5"))
          .as("Spark bronze on %s", d)
          .isZero();
    }
    assertThat(
            JobsMain.run(
                "gold",
                "--bronze",
                bronze.toString(),
                "--gold",
                dir.resolve("spark-gold").toString(),
                "--play-date",
                DAY.toString(),
                "--lateness",
                "2h"))
        .as("Spark gold")
        .isZero();
    spark = SparkSession.getDefaultSession().get();
  }

  /** {@code duck} with Spark's columns, in Spark's order and types. */
  private static Dataset<Row> like(Dataset<Row> duck, Dataset<Row> sparks) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : sparks.schema().fields()) {
      cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return duck.select(cols.toArray(Column[]::new));
  }

  private static void assertSameRows(Dataset<Row> sparks, Dataset<Row> duck, String what) {
    Dataset<Row> d = like(duck, sparks);
    assertThat(d.count()).as("%s: rows", what).isEqualTo(sparks.count());
    assertThat(sparks.exceptAll(d).collectAsList())
        .as("%s: Spark rows DuckDB lacks", what)
        .isEmpty();
    assertThat(d.exceptAll(sparks).collectAsList())
        .as("%s: DuckDB rows Spark lacks", what)
        .isEmpty();
  }

  @Test
  void parseFloorCountsEveryLandedPlay() throws Exception {
    assertThat(DuckDbReference.parseFloor(landing, Files.createDirectories(dir.resolve("t0"))))
        .as("5 + 1 plays in poll-01, 3 in poll-02, 1 in poll-03, 2 late")
        .isEqualTo(12);
  }

  @Test
  void sparksFloorsReadEveryPageAndPlay() throws Exception {
    assertThat(SparkFloors.lines(spark, landing))
        .as("pages: two in poll-01, one each in poll-02, poll-03 and poll-25")
        .isEqualTo(5);
    assertThat(SparkFloors.parse(spark, landing))
        .as("the plays DuckDB's floor counts")
        .isEqualTo(12);
  }

  @Test
  void bronzeAndGoldEqualSparks() throws Exception {
    Path out = dir.resolve("duck");
    Path temp = Files.createDirectories(dir.resolve("t1"));
    long[] split = DuckDbReference.bronze(landing, out.resolve("bronze"), temp);
    assertThat(split).as("records, quarantined (the play 'yesterday')").containsExactly(11, 1);
    Dataset<Row> sparkPlays = spark.read().parquet(dir.resolve("spark-bronze/plays").toString());
    Dataset<Row> duckPlays =
        spark.read().parquet(out.resolve("bronze/plays/quarantined=false").toString());
    assertSameRows(sparkPlays, duckPlays, "bronze plays");

    long listens =
        DuckDbReference.gold(
            out.resolve("bronze"), out.resolve("gold"), temp, DAY, Duration.ofHours(2));
    assertThat(listens).as("u1: t1, t2, local, t2 again; u2: t1, the late t5").isEqualTo(6);
    for (String table :
        List.of("fct_listens", "dim_tracks", "dim_albums", "dim_artists", "bridge_track_artists")) {
      Dataset<Row> sparks = spark.read().parquet(dir.resolve("spark-gold/" + table).toString());
      Dataset<Row> duck =
          spark.read().parquet(out.resolve("gold/" + table + ".parquet").toString());
      assertSameRows(sparks, duck, table);
    }
  }
}
