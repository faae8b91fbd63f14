package dev.listening.jobs;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.bronze.BronzeTransforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs through their main class on real files: landing gzip NDJSON to bronze, gold and the
 * look-up list, re-runs that change nothing, and the quality gates.
 */
class JobsTest {
  @TempDir Path dir;
  private Path landing;
  private Path bronze;
  private Path gold;

  private static final String AR = artist("ar1", "Artist");
  private static final String AL = album("al1", "Album", "2001-02-03", "day", AR);

  @BeforeEach
  void landing() throws Exception {
    TestSpark.get();
    landing = dir.resolve("landing");
    bronze = dir.resolve("bronze");
    gold = dir.resolve("gold");
    LandingFiles.write(
        landing,
        "recently_played",
        "2026-11-20",
        "poll-13",
        recentlyPlayed(
            "u1",
            "2026-11-20T13:00:00Z",
            "poll-13",
            play(track("t1", "One", AL, AR), "2026-11-20T12:10:00Z", null),
            play(track("t2", "Two", AL, AR), "2026-11-20T12:20:00Z", "spotify:album:al1")),
        recentlyPlayed("u2", "2026-11-20T13:00:00Z", "poll-13"));
    LandingFiles.write(
        landing,
        "recently_played",
        "2026-11-20",
        "poll-14",
        recentlyPlayed(
            "u1",
            "2026-11-20T14:00:00Z",
            "poll-14",
            play(track("t2", "Two", AL, AR), "2026-11-20T12:20:00Z", "spotify:album:al1"),
            play(localTrack("Demo"), "2026-11-20T13:30:00Z", null)));
    LandingFiles.write(
        landing,
        "recently_played",
        "2026-11-21",
        "poll-00",
        recentlyPlayed(
            "u1",
            "2026-11-21T00:00:00Z",
            "poll-00",
            play(track("t3", "Three", AL, AR), "2026-11-20T23:59:59.900Z", null)));
  }

  private int bronze(String date, String... more) {
    String[] base = {
      "bronze", "--landing", landing.toString(), "--bronze", bronze.toString(), "--date", date
    };
    return JobsMain.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
  }

  private List<Row> table(Path path) {
    return TestSpark.get()
        .read()
        .parquet(path.toString())
        .orderBy("user_key", "played_at")
        .collectAsList();
  }

  @Test
  void bronzeGoldAndTheLookUpListRunAndReRunToTheSameRows() throws Exception {
    assertThat(bronze("2026-11-20")).isZero();
    assertThat(bronze("2026-11-21")).isZero();
    assertThat(bronze.resolve("plays/date=2026-11-20")).isDirectory();
    assertThat(bronze.resolve("_metrics/bronze/date=2026-11-20.json"))
        .content()
        .contains("\"rows_out\" : 4");
    List<Row> firstBronze = table(bronze.resolve("plays"));

    assertThat(
            JobsMain.run(
                "gold",
                "--bronze",
                bronze.toString(),
                "--gold",
                gold.toString(),
                "--date",
                "2026-11-20"))
        .isZero();
    List<Row> listens = table(gold.resolve("fct_listens"));
    assertThat(listens)
        .extracting(r -> r.<String>getAs("user_key") + ":" + r.<String>getAs("track_name"))
        .as(
            "overlap folded, the local file kept, the play at 23:59:59.9 landed after midnight included")
        .containsExactly("u1:One", "u1:Two", "u1:Demo", "u1:Three");
    assertThat(gold.resolve("fct_listens/play_date=2026-11-20")).isDirectory();
    assertThat(TestSpark.get().read().parquet(gold.resolve("dim_tracks").toString()).count())
        .isEqualTo(3);
    assertThat(gold.resolve("_metrics/gold/date=2026-11-20.json"))
        .content()
        .contains("fct_listens_rows");

    assertThat(
            JobsMain.run(
                "enrichment-list",
                "--bronze",
                bronze.toString(),
                "--out",
                dir.resolve("lookups").toString(),
                "--date",
                "2026-11-20"))
        .isZero();
    Path csv;
    try (Stream<Path> files = Files.list(dir.resolve("lookups/date=2026-11-20"))) {
      csv =
          files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
    }
    assertThat(Files.readAllLines(csv))
        .containsExactly("entity_type,id", "album,al1", "artist,ar1", "track,t1", "track,t2");

    // Every step again: the same rows, nothing appended.
    assertThat(bronze("2026-11-20")).isZero();
    assertThat(
            JobsMain.run(
                "gold",
                "--bronze",
                bronze.toString(),
                "--gold",
                gold.toString(),
                "--date",
                "2026-11-20"))
        .isZero();
    assertThat(table(bronze.resolve("plays"))).isEqualTo(firstBronze);
    assertThat(table(gold.resolve("fct_listens"))).isEqualTo(listens);
  }

  @Test
  void aQuarantineShareAboveTheLimitFailsTheJobLoudlyButKeepsTheQuarantine() throws Exception {
    LandingFiles.write(
        landing,
        "recently_played",
        "2026-11-22",
        "poll-x",
        recentlyPlayed(
            "u1",
            "2026-11-22T13:00:00Z",
            "poll-x",
            play(track("t1", "One", AL, AR), "2026-11-22T12:00:00Z", null)),
        "{\"endpoint\":\"recently_played\",\"truncat");

    assertThat(bronze("2026-11-22")).as("exit code of a failed quality gate").isEqualTo(4);
    assertThat(
            TestSpark.get().read().parquet(bronze.resolve("quarantine").toString()).collectAsList())
        .extracting(r -> r.<String>getAs("reason"))
        .containsExactly(BronzeTransforms.NOT_AN_ENVELOPE);
    assertThat(bronze("2026-11-22", "--max-quarantine-share", "0.6")).isZero();
  }

  @Test
  void namedEndpointsMustHaveLandingDataAndGoldNeedsBronze() {
    assertThat(bronze("2026-11-20", "--endpoints", "recently_played,tracks")).isEqualTo(4);
    assertThat(
            JobsMain.run(
                "gold",
                "--bronze",
                dir.resolve("empty-bronze").toString(),
                "--gold",
                gold.toString(),
                "--date",
                "2026-11-20"))
        .as("gold without bronze")
        .isEqualTo(4);
  }

  private static String stdout(Runnable r) {
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try {
      System.setOut(new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
      r.run();
    } finally {
      System.setOut(old);
    }
    return b.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void eachJobsHelpListsEveryOptionWithItsDefaultAndExitsZero() {
    int[] code = new int[1];
    String bronzeHelp = stdout(() -> code[0] = JobsMain.run("bronze", "--help"));
    assertThat(code[0]).isZero();
    assertThat(bronzeHelp)
        .contains("usage: JobsMain bronze")
        .contains("--landing ", "--bronze ", "--landing-date", "--endpoints")
        .contains("--max-quarantine-share")
        .contains("Default: 0.01", "Default: all");
    String goldHelp = stdout(() -> code[0] = JobsMain.run("gold", "--help"));
    assertThat(code[0]).isZero();
    assertThat(goldHelp)
        .contains("--play-date", "--lateness", "Default: 6h", "--sink", "Default: parquet")
        .contains("--gold ", "--bq-project", "--bq-dataset", "--bq-temp-bucket");
    assertThat(stdout(() -> JobsMain.run("enrichment-list", "--help")))
        .contains("--max-age", "Default: 30d");
  }

  @Test
  void aLandingThatDoesNotExistIsABadArgumentNamingIt() {
    Path nowhere = dir.resolve("no-such-landing");
    assertThat(
            JobsMain.run(
                "bronze",
                "--landing",
                nowhere.toString(),
                "--bronze",
                bronze.toString(),
                "--landing-date",
                "2026-11-20"))
        .isEqualTo(2);
    assertThat(bronze.resolve("_metrics")).as("nothing written").doesNotExist();
  }

  @Test
  void aBronzeRunForOtherEndpointsOfTheSameDateKeepsTheFirstRunsFigures() throws Exception {
    LandingFiles.write(
        landing,
        "tracks",
        "2026-11-20",
        "lk",
        Fixtures.envelope(
            "tracks",
            "\"id\":\"t1\"",
            null,
            "2026-11-20T15:00:00Z",
            "lk",
            200,
            track("t1", "One", AL, AR)));
    assertThat(bronze("2026-11-20", "--endpoints", "recently_played")).isZero();
    assertThat(bronze("2026-11-20", "--endpoints", "tracks")).isZero();
    String metrics = Files.readString(bronze.resolve("_metrics/bronze/date=2026-11-20.json"));
    assertThat(metrics).contains("\"recently_played\"", "\"tracks\"");
  }
}
