package dev.listening.jobs.gold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.TestSpark;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class HealthTablesTest {
  private static final LocalDate D = LocalDate.parse("2026-11-20");

  private static final StructType BRONZE_GAPS =
      StructType.fromDDL(
          "user_key STRING, watermark TIMESTAMP, oldest_in_page TIMESTAMP, fetched_at TIMESTAMP,"
              + " run_id STRING, shard STRING, manifest_file STRING, date DATE");

  private static Row gap(String user, String watermark, String oldest, String fetched, String run) {
    return RowFactory.create(
        user,
        java.sql.Timestamp.from(java.time.Instant.parse(watermark)),
        java.sql.Timestamp.from(java.time.Instant.parse(oldest)),
        java.sql.Timestamp.from(java.time.Instant.parse(fetched)),
        run,
        "0/1",
        "file:/landing/" + run + "/_manifest.json",
        Date.valueOf(fetched.substring(0, 10)));
  }

  @Test
  void aGapCountsForTheDateItsLostWindowStartsOnAndOnlyOnce() {
    Dataset<Row> bronze =
        TestSpark.get()
            .createDataFrame(
                List.of(
                    gap(
                        "u1",
                        "2026-11-20T00:00:00Z",
                        "2026-11-20T00:16:13.153Z",
                        "2026-11-20T01:00:00Z",
                        "poll-01"),
                    // The same gap again, from a resumed run: counted once, the first report wins.
                    gap(
                        "u1",
                        "2026-11-20T00:00:00Z",
                        "2026-11-20T00:16:13.153Z",
                        "2026-11-20T01:05:00Z",
                        "poll-01b"),
                    // Found by the poll after midnight, in the evening's plays: the evening's gap.
                    gap(
                        "u2",
                        "2026-11-20T23:10:00Z",
                        "2026-11-20T23:40:00Z",
                        "2026-11-21T00:00:00Z",
                        "poll-24"),
                    // The next day's gap.
                    gap(
                        "u3",
                        "2026-11-21T00:10:00Z",
                        "2026-11-21T00:20:00Z",
                        "2026-11-21T01:00:00Z",
                        "poll-25")),
                BRONZE_GAPS);

    List<Row> gaps = HealthTables.pollGaps(bronze, D).orderBy("user_key").collectAsList();

    assertThat(gaps).extracting(r -> r.<String>getAs("user_key")).containsExactly("u1", "u2");
    assertThat(gaps.get(0).<String>getAs("run_id")).isEqualTo("poll-01");
    assertThat(gaps.get(0).<Long>getAs("lost_window_ms")).isEqualTo(16 * 60_000L + 13_153L);
    assertThat(gaps.get(1).<Long>getAs("lost_window_ms")).isEqualTo(30 * 60_000L);
    assertThat(gaps).allMatch(r -> r.<Date>getAs("gap_date").toLocalDate().equals(D));
  }

  @Test
  void quarantinedRecordsAreCountedPerEndpointAndReasonForTheLandingDate() {
    StructType quarantine =
        StructType.fromDDL(
            "reason STRING, item_index INT, records BIGINT, raw_line STRING, landing_file STRING,"
                + " run_id STRING, date STRING, endpoint STRING");
    Dataset<Row> rows =
        TestSpark.get()
            .createDataFrame(
                List.of(
                    // A whole quarantined page stands for its records.
                    RowFactory.create(
                        "no run_id", null, 1L, "{}", "f1", null, "2026-11-20", "tracks"),
                    RowFactory.create(
                        "no run_id", null, 50L, "{}", "f2", null, "2026-11-20", "tracks"),
                    RowFactory.create(
                        "play without played_at",
                        3,
                        1L,
                        "{}",
                        "f3",
                        "r",
                        "2026-11-20",
                        "recently_played"),
                    RowFactory.create(
                        "no run_id", null, 7L, "{}", "f4", null, "2026-11-21", "recently_played")),
                quarantine);

    List<Row> counts =
        HealthTables.quarantinedRecords(rows, D).orderBy("endpoint", "reason").collectAsList();

    assertThat(counts)
        .extracting(
            r -> r.<String>getAs("endpoint") + "/" + r.getAs("reason") + "=" + r.getAs("records"))
        .containsExactly("recently_played/play without played_at=1", "tracks/no run_id=51");
  }
}
