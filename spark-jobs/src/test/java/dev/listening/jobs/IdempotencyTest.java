package dev.listening.jobs;

import static dev.listening.jobs.Fixtures.album;
import static dev.listening.jobs.Fixtures.artist;
import static dev.listening.jobs.Fixtures.envelope;
import static dev.listening.jobs.Fixtures.play;
import static dev.listening.jobs.Fixtures.recentlyPlayed;
import static dev.listening.jobs.Fixtures.track;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job run twice for the same date writes the same rows: a full re-run of a past day after a
 * later day was processed changes nothing, of that day or the later one. Compared by an
 * order-independent fingerprint of every table (rows and the sum of their hashes), the look-up list
 * included: a re-run that appended, dropped or changed one row anywhere shows.
 */
class IdempotencyTest {
  private static final String D = "2026-11-20";
  private static final String D1 = "2026-11-21";
  private static final String D2 = "2026-11-22";
  private static final String AR = artist("ar1", "Artist");
  private static final String AL = album("al1", "Album", "2001-02-03", "day", AR);

  @TempDir Path dir;

  @Test
  void everyStepTwiceAndAPastDayAgainAfterALaterOneGiveTheSameRows() throws Exception {
    Path landing = dir.resolve("landing");
    JobsTest.writeSampleDay(landing);
    // The later day: its own plays, polled on D+1 and after its midnight, and a look-up of D.
    LandingFiles.write(
        landing,
        "recently_played",
        D1,
        "poll-13",
        recentlyPlayed(
            "u2",
            D1 + "T13:00:00Z",
            "poll-13",
            play(track("t4", "Four", AL, AR), D1 + "T12:00:00Z", null)));
    LandingFiles.write(
        landing,
        "recently_played",
        D2,
        "poll-00",
        recentlyPlayed(
            "u2",
            D2 + "T00:00:00Z",
            "poll-00",
            play(track("t5", "Five", AL, AR), D1 + "T23:30:00Z", null)));
    LandingFiles.write(
        landing,
        "tracks",
        D,
        "lk",
        envelope(
            "tracks",
            "\"id\":\"t1\"",
            null,
            D + "T15:00:00Z",
            "lk",
            200,
            track("t1", "One", AL, AR)));

    day(D, D1);
    Map<String, String> dayOnce = fingerprints();
    assertThat(dayOnce).containsKeys("bronze/plays", "gold/fct_listens", "lookups");

    day(D1, D2);
    Map<String, String> later = fingerprints();
    assertThat(later.get("gold/fct_listens"))
        .as("the later day added its listens")
        .isNotEqualTo(dayOnce.get("gold/fct_listens"));

    day(D, D1);
    assertThat(fingerprints())
        .as("every step of D run again, after D+1 was processed: neither day changes")
        .isEqualTo(later);
  }

  /** A day as the daily DAG runs it: bronze of D and D+1, the look-up list, gold. */
  private void day(String day, String next) {
    for (String date : new String[] {day, next}) {
      assertThat(
              JobsMain.run(
                  "bronze",
                  "--landing",
                  dir.resolve("landing").toString(),
                  "--bronze",
                  dir.resolve("bronze").toString(),
                  "--landing-date",
                  date))
          .as("bronze %s", date)
          .isZero();
    }
    assertThat(
            JobsMain.run(
                "enrichment-list",
                "--bronze",
                dir.resolve("bronze").toString(),
                "--out",
                dir.resolve("lookups").toString(),
                "--landing-date",
                day))
        .isZero();
    assertThat(
            JobsMain.run(
                "gold",
                "--bronze",
                dir.resolve("bronze").toString(),
                "--gold",
                dir.resolve("gold").toString(),
                "--play-date",
                day))
        .isZero();
  }

  /** "layer/table" to "rows:hash-sum" for every table of bronze and gold, and the look-up list. */
  private Map<String, String> fingerprints() throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String layer : new String[] {"bronze", "gold"}) {
      try (Stream<Path> tables = Files.list(dir.resolve(layer))) {
        for (Path t : tables.filter(Files::isDirectory).toList()) {
          String name = t.getFileName().toString();
          if (!name.startsWith("_")) {
            out.put(layer + "/" + name, fingerprint(TestSpark.get().read().parquet(t.toString())));
          }
        }
      }
    }
    out.put("lookups", fingerprint(TestSpark.get().read().text(dir.resolve("lookups").toString())));
    return out;
  }

  /** Row count and the sum of each row's 64-bit hash: independent of row and file order. */
  static String fingerprint(Dataset<Row> table) {
    Row r =
        table
            .select(xxhash64(to_json(struct(col("*")))).cast("decimal(38,0)").as("h"))
            .agg(count(lit(1)), sum(col("h")))
            .first();
    return r.getLong(0) + ":" + r.get(1);
  }
}
