package dev.listening.jobs.enrich;

import static org.apache.spark.sql.functions.*;

import dev.listening.jobs.Job;
import dev.listening.jobs.JobArgs;
import dev.listening.jobs.Metrics;
import dev.listening.jobs.QualityGateFailed;
import dev.listening.jobs.Storage;
import dev.listening.jobs.bronze.BronzeJob;
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
 * one CSV file with an {@code entity_type,id} header in {@code <out>/date=<d>/}.
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
            "The landing date whose plays name the ids, YYYY-MM-DD. (--date is accepted too.)");
    Duration maxAge =
        a.duration(
            "max-age", Duration.ofDays(30), "A look-up older than this is repeated (refreshed).");
    a.check();
    return new EnrichmentListJob(new Config(bronze, out, date, maxAge));
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
    Dataset<Row> facts =
        spark
            .read()
            .parquet(plays)
            .filter(col("date").equalTo(lit(config.date().toString()).cast("date")));
    Instant asOf = config.date().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Dataset<Row> seen = EnrichmentList.seen(facts).cache();
    Dataset<Row> known =
        EnrichmentList.lookedUp(
            BronzeJob.readOrEmpty(spark, storage, config.bronze(), BronzeJob.Table.TRACK_LOOKUPS),
            BronzeJob.readOrEmpty(spark, storage, config.bronze(), BronzeJob.Table.ALBUM_LOOKUPS),
            BronzeJob.readOrEmpty(spark, storage, config.bronze(), BronzeJob.Table.ARTIST_LOOKUPS),
            asOf.minus(config.maxAge()));
    Dataset<Row> list = EnrichmentList.toLookUp(seen, known).cache();
    try {
      String target = config.out() + "/" + LookupList.dateDirectory(config.date());
      list.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true").csv(target);
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("job", "enrichment-list");
      metrics.put("date", config.date().toString());
      metrics.put("output", target);
      for (CatalogKind kind : CatalogKind.values()) {
        Column isKind = col(LookupList.ENTITY_TYPE).equalTo(kind.wireName());
        metrics.put(kind.wireName() + "_ids_seen", seen.filter(isKind).count());
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
