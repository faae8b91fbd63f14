package dev.listening.jobs.enrich;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which catalog ids the extractor should look up: the ones the plays name that have no look-up, or
 * only one older than the allowed age. An id that was looked up and not found counts as looked up.
 * Listing only these keeps the requests near the minimum under Spotify's 2026 quotas.
 */
public final class EnrichmentList {
  private EnrichmentList() {}

  /** Every (entity_type, id) the plays name, local files (null ids) left out. */
  public static Dataset<Row> seen(Dataset<Row> plays) {
    Dataset<Row> tracks = plays.select(lit("track").as("entity_type"), col("track_id").as("id"));
    Dataset<Row> albums =
        plays.select(lit("album").as("entity_type"), col("track_album_id").as("id"));
    Dataset<Row> artists =
        plays
            .select(explode(concat(col("artists"), col("track_album_artists"))).as("a"))
            .select(lit("artist").as("entity_type"), col("a.artist_id").as("id"));
    return tracks.unionByName(albums).unionByName(artists).filter(col("id").isNotNull()).distinct();
  }

  /** Ids looked up at or after {@code since}, per entity type. */
  public static Dataset<Row> lookedUp(
      Dataset<Row> tracks, Dataset<Row> albums, Dataset<Row> artists, Instant since) {
    Column fresh = col("fetched_at").geq(lit(Timestamp.from(since)));
    return tracks
        .filter(fresh)
        .select(lit("track").as("entity_type"), col("requested_id").as("id"))
        .unionByName(
            albums
                .filter(fresh)
                .select(lit("album").as("entity_type"), col("requested_id").as("id")))
        .unionByName(
            artists
                .filter(fresh)
                .select(lit("artist").as("entity_type"), col("requested_id").as("id")))
        .distinct();
  }

  /** Seen but not (freshly) looked up, sorted so a re-run writes the same file. */
  public static Dataset<Row> toLookUp(Dataset<Row> seen, Dataset<Row> lookedUp) {
    return seen.join(
            lookedUp,
            seen.col("entity_type")
                .equalTo(lookedUp.col("entity_type"))
                .and(seen.col("id").equalTo(lookedUp.col("id"))),
            "left_anti")
        .orderBy(col("entity_type"), col("id"));
  }
}
