package dev.listening.jobs.enrich;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.Job;
import dev.listening.jobs.JobArgs;
import dev.listening.jobs.Metrics;
import dev.listening.jobs.QualityGateFailed;
import dev.listening.jobs.Storage;
import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.gold.TrackLists;
import dev.listening.landing.CatalogKind;
import dev.listening.landing.LookupList;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the look-up list for one landing date, as the extractor's {@code lookups --ids} reads it:
 * one CSV file with an {@code entity_type,id} header in {@code <out>/date=<d>/}. It names the ids
 * the date's facts name (plays, playlist items, new releases and their tracks) that no look-up
 * within {@code --max-age} answered, and ({@code album_tracks}) the date's new releases whose
 * complete track list did not land within {@code --max-age}.
 *
 * <pre>enrichment-list --bronze B --out O --date 2026-11-20 [--max-age 30d]</pre>
 *
 * <p>Look-up age is measured against the end of the date, not the wall clock, so a re-run of the
 * same date lists the same ids.
 */
public final class EnrichmentListJob implements Job {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(EnrichmentListJob.class);

  public record Config(String bronze, String out, LocalDate date, Duration maxAge) {}

  private final Config config;

  public EnrichmentListJob(Config config) {
    this.config = config;
  }

  public static Job create(JobArgs a) {
    a.renamed("date", "landing-date");
    String bronze = a.uri("bronze", "Bronze root (local folder or gs://bucket/prefix).");
    String out = a.uri("out", "Where the look-up list goes: <out>/date=<landing-date>/.");
    LocalDate date =
        a.date(
            "landing-date",
            "The landing date whose facts (plays, playlist items, new releases) name the ids,"
                + " YYYY-MM-DD. (--date is accepted too.)");
    Duration maxAge =
        a.duration(
            "max-age",
            Duration.ofDays(30),
            "A look-up (or an album's track list) older than this is repeated (refreshed).");
    a.check();
    return new EnrichmentListJob(new Config(bronze, out, date, maxAge));
  }

  private Dataset<Row> bronze(SparkSession spark, Storage storage, BronzeJob.Table table)
      throws java.io.IOException {
    return BronzeJob.readOrEmpty(spark, storage, config.bronze(), table);
  }

  @Override
  public Map<String, Object> run(SparkSession spark) throws Exception {
    log.info("enrichment-list: {}", config);
    Storage storage = new Storage(spark);
    String plays = config.bronze() + "/" + BronzeJob.Table.PLAYS.table();
    if (!storage.hasData(plays)) {
      throw new QualityGateFailed(
          "enrichment-list",
          List.of("no bronze plays under " + plays + ": run the bronze job first"));
    }
    Column ofDate = col("date").equalTo(lit(config.date().toString()).cast("date"));
    Dataset<Row> facts = spark.read().parquet(plays).filter(ofDate);
    Dataset<Row> playlistItems =
        bronze(spark, storage, BronzeJob.Table.PLAYLIST_ITEMS).filter(ofDate);
    Dataset<Row> releases = bronze(spark, storage, BronzeJob.Table.NEW_RELEASES).filter(ofDate);
    Dataset<Row> albumTracks = bronze(spark, storage, BronzeJob.Table.ALBUM_TRACKS);
    Dataset<Row> albumLookups = bronze(spark, storage, BronzeJob.Table.ALBUM_LOOKUPS);
    Instant asOf = config.date().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant since = asOf.minus(config.maxAge());
    // The tracks of the day's new releases that earlier look-ups and album pages brought.
    Dataset<Row> releaseTracks =
        TrackLists.latest(TrackLists.observations(albumTracks, albumLookups))
            .join(releases.select("album_id").distinct(), "album_id");
    Dataset<Row> seen =
        EnrichmentList.seen(facts, playlistItems, releases, releaseTracks)
            .unionByName(
                EnrichmentList.streamTracks(
                    bronze(spark, storage, BronzeJob.Table.STREAMS).filter(ofDate)))
            .distinct()
            .cache();
    Dataset<Row> known =
        EnrichmentList.lookedUp(
            bronze(spark, storage, BronzeJob.Table.TRACK_LOOKUPS),
            albumLookups,
            bronze(spark, storage, BronzeJob.Table.ARTIST_LOOKUPS),
            since);
    Dataset<Row> trackLists =
        EnrichmentList.trackListsToFetch(
            releases, TrackLists.known(albumTracks, albumLookups, since));
    Dataset<Row> list =
        EnrichmentList.list(EnrichmentList.toLookUp(seen, known), trackLists).cache();
    try {
      String target = config.out() + "/" + LookupList.dateDirectory(config.date());
      list.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true").csv(target);
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("job", "enrichment-list");
      metrics.put("date", config.date().toString());
      metrics.put("output", target);
      for (CatalogKind kind : CatalogKind.values()) {
        Column isKind = col(LookupList.ENTITY_TYPE).equalTo(kind.wireName());
        metrics.put(
            kind.wireName() + "_ids_seen",
            kind == CatalogKind.ALBUM_TRACKS
                ? releases.select("album_id").distinct().count()
                : seen.filter(isKind).count());
        metrics.put(kind.wireName() + "_ids_listed", list.filter(isKind).count());
      }
      Metrics.write(storage, config.out(), "enrichment-list", config.date(), metrics);
      return metrics;
    } finally {
      seen.unpersist();
      list.unpersist();
    }
  }
}
