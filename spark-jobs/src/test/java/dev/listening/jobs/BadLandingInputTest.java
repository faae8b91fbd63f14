package dev.listening.jobs;

import static dev.listening.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.jobs.bronze.BronzeTransforms;
import dev.listening.landing.Endpoint;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.Shard;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input catalogue through the real bronze job, all on one landing date next to good data:
 * broken files (truncated gzip, listed or not; a binary file; an empty one; a file that is no
 * part), and broken records (wrong types, unknown and missing fields, a 10 MB string, junk nested
 * 1,000 and 5,000 levels deep). Each broken input becomes a quarantine row that names it and says
 * why; every good play still reaches bronze; the gate counts records, not pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadLandingInputTest {
  private static final String DATE = "2026-11-23";
  private static final String AR = artist("ar1", "Artist");
  private static final String AL = album("al1", "Album", "2001-02-03", "day", AR);

  @TempDir static Path dir;
  private Path landing;
  private Path bronze;
  private int exitAtDefaultShare;
  private List<Row> quarantine;
  private List<Row> plays;
  private String err;

  private static String play(String id, String at) {
    return Fixtures.play(track(id, "Track " + id, AL, AR), at, null);
  }

  private static byte[] gzip(String... lines) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(b)) {
      for (String l : lines) {
        out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return b.toByteArray();
  }

  /** A file where a crashed attempt would leave a part no manifest lists. */
  private Path unlisted(String run, int n, byte[] bytes) throws Exception {
    Path p =
        landing.resolve(
            new LandingPartition(Endpoint.RECENTLY_PLAYED, LocalDate.parse(DATE), run, Shard.ONLY)
                .partPath(n));
    Files.createDirectories(p.getParent());
    return Files.write(p, bytes);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @BeforeAll
  void landAndRunBronze() throws Exception {
    TestSpark.get();
    landing = dir.resolve("landing");
    bronze = dir.resolve("bronze");
    // Good data: 6 plays over two pages, one of them sharing its page with one wrong-typed play.
    LandingFiles.write(
        landing,
        "recently_played",
        DATE,
        "good",
        recentlyPlayed(
            "u1",
            DATE + "T13:00:00Z",
            "good",
            play("t1", DATE + "T12:01:00Z"),
            play("t2", DATE + "T12:02:00Z"),
            play("t3", DATE + "T12:03:00Z").replace("\"duration_ms\":201000", "\"duration_ms\":{}"),
            play("t4", DATE + "T12:04:00Z")),
        recentlyPlayed(
            "u2",
            DATE + "T13:00:00Z",
            "good",
            // Unknown fields are ignored; a missing optional field (context) is null.
            play("t5", DATE + "T12:05:00Z")
                .replace("{\"track\":", "{\"unknown\":{\"deep\":[1,2,3]},\"track\":"),
            play("t6", DATE + "T12:06:00Z").replace(",\"context\":null", ""),
            // A missing required field, and a 10 MB string where a timestamp belongs.
            play("t7", DATE + "T12:07:00Z")
                .replace(",\"played_at\":\"" + DATE + "T12:07:00Z\"", ""),
            play("t8", "x".repeat(10 << 20))),
        // The envelope itself broken: a wrong-typed http_status costs the page, named.
        recentlyPlayed("u3", DATE + "T13:00:00Z", "good", play("t9", DATE + "T12:09:00Z"))
            .replace("\"http_status\":200", "\"http_status\":\"OK\""),
        nested(1000),
        nested(5000),
        "{\"endpoint\":\"recently_played\",\"response\":" + nested(5000) + "}");
    // A listed part truncated after landing.
    LandingFiles.write(
        landing,
        "recently_played",
        DATE,
        "truncated",
        recentlyPlayed("u4", DATE + "T13:00:00Z", "truncated", play("t10", DATE + "T12:10:00Z")));
    Path listed =
        landing.resolve(
            new LandingPartition(
                    Endpoint.RECENTLY_PLAYED, LocalDate.parse(DATE), "truncated", Shard.ONLY)
                .partPath(0));
    byte[] whole = Files.readAllBytes(listed);
    Files.write(listed, Arrays.copyOf(whole, whole.length / 2));
    // Files no manifest lists: a whole one (read), a truncated one, a binary one, an empty one.
    byte[] crashed =
        gzip(
            recentlyPlayed("u5", DATE + "T13:00:00Z", "crashed", play("t11", DATE + "T12:11:00Z")));
    unlisted("crashed", 1, crashed);
    unlisted("crashed", 2, Arrays.copyOf(crashed, crashed.length - 10));
    byte[] noise = new byte[4096];
    new Random(1).nextBytes(noise);
    unlisted("crashed", 3, noise);
    unlisted("crashed", 4, new byte[0]);
    Files.write(listed.getParent().resolve("notes.bin"), noise);

    exitAtDefaultShare = bronze();
    err = stderrOf(() -> assertThat(bronze()).isEqualTo(4));
    assertThat(bronze("--max-quarantine-share", "0.9")).isZero();
    quarantine =
        TestSpark.get().read().parquet(bronze.resolve("quarantine").toString()).collectAsList();
    plays = TestSpark.get().read().parquet(bronze.resolve("plays").toString()).collectAsList();
  }

  private int bronze(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "bronze",
                "--landing",
                landing.toString(),
                "--bronze",
                bronze.toString(),
                "--landing-date",
                DATE));
    args.addAll(List.of(more));
    return JobsMain.run(args.toArray(String[]::new));
  }

  private static String stderrOf(Runnable r) {
    java.io.PrintStream old = System.err;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      System.setErr(new java.io.PrintStream(b, true, StandardCharsets.UTF_8));
      r.run();
    } finally {
      System.setErr(old);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /** Quarantine reasons by the landing file's name (the file, not its folder). */
  private Map<String, List<String>> reasonsByFile() {
    return quarantine.stream()
        .collect(
            Collectors.groupingBy(
                r -> {
                  String f = r.getAs("landing_file");
                  return f.substring(f.indexOf("run=")).replace("/shard=0-of-1", "");
                },
                Collectors.mapping(r -> r.<String>getAs("reason"), Collectors.toList())));
  }

  @Test
  void everyGoodPlayReachesBronzeNextToTheBrokenInput() {
    assertThat(plays)
        .extracting(r -> r.<String>getAs("track_id"))
        .containsExactlyInAnyOrder("t1", "t2", "t4", "t5", "t6", "t11");
  }

  @Test
  void brokenFilesAreQuarantinedByNameAndTheRestOfTheDateIsProcessed() {
    Map<String, List<String>> byFile = reasonsByFile();
    assertThat(byFile.get("run=truncated/part-00000.ndjson.gz"))
        .singleElement()
        .asString()
        .contains("bytes where its run manifest lists")
        .contains("truncated or changed after landing");
    assertThat(byFile.get("run=crashed/part-00002.ndjson.gz"))
        .containsExactly("landing file a truncated gzip file: it ends before its gzip trailer");
    assertThat(byFile.get("run=crashed/part-00003.ndjson.gz"))
        .singleElement()
        .asString()
        .startsWith("landing file not a gzip file");
    assertThat(byFile.get("run=crashed/part-00004.ndjson.gz"))
        .containsExactly("landing file an empty file, not a gzip landing part");
    assertThat(byFile.get("run=truncated/notes.bin"))
        .singleElement()
        .asString()
        .startsWith("landing file not a landing part");
    assertThat(byFile).doesNotContainKey("run=crashed/part-00001.ndjson.gz");
  }

  @Test
  void brokenRecordsAreQuarantinedAloneWithTheFieldNamed() {
    List<String> good = reasonsByFile().get("run=good/part-00000.ndjson.gz");
    assertThat(good)
        .containsExactlyInAnyOrder(
            "breaks the declared schema: field 'track.duration_ms' is not a BIGINT",
            "play without played_at",
            "played_at '" + "x".repeat(40) + "…' is not an ISO-8601 UTC timestamp",
            "breaks the declared schema: field 'http_status' is not an INT",
            BronzeTransforms.NOT_AN_ENVELOPE,
            BronzeTransforms.NOT_AN_ENVELOPE,
            BronzeTransforms.NOT_AN_ENVELOPE);
    Row wrongType =
        quarantine.stream()
            .filter(r -> r.<String>getAs("reason").contains("duration_ms"))
            .findFirst()
            .orElseThrow();
    assertThat(wrongType.<Integer>getAs("item_index")).isEqualTo(2);
    assertThat(wrongType.<Long>getAs("records")).isEqualTo(1);
  }

  @Test
  void theGateCountsRecordsAndItsMessageNamesTheQuarantine() {
    // Quarantined records: 3 plays, the broken page's 1, 3 junk lines, 5 broken files = 12;
    // kept: 6. A share of 12 / 18, far above the default 1%: exit 4, bronze and quarantine kept.
    assertThat(exitAtDefaultShare).isEqualTo(4);
    assertThat(quarantine.stream().mapToLong(r -> r.<Long>getAs("records")).sum()).isEqualTo(12);
    assertThat(err)
        .contains("recently_played: 66.67% of records quarantined (12 of 18)")
        .contains(bronze.resolve("quarantine").toString());
    assertThat(err.strip().lines().reduce((a, b) -> b).orElseThrow()).startsWith("exit code 4");
  }
}
