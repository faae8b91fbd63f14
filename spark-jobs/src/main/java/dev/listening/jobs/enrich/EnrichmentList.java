package dev.listening.jobs.enrich;

import static dev.listening.landing.LookupList.ENTITY_TYPE;
import static dev.listening.landing.LookupList.ID;
import static org.apache.spark.sql.functions.*;

import dev.listening.landing.CatalogKind;
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
    Dataset<Row> tracks = plays.select(kind(CatalogKind.TRACK), col("track_id").as(ID));
    Dataset<Row> albums = plays.select(kind(CatalogKind.ALBUM), col("track_album_id").as(ID));
    Dataset<Row> artists =
        plays
            .select(explode(concat(col("artists"), col("track_album_artists"))).as("a"))
            .select(kind(CatalogKind.ARTIST), col("a.artist_id").as(ID));
    return tracks.unionByName(albums).unionByName(artists).filter(col(ID).isNotNull()).distinct();
  }

  /** Ids looked up at or after {@code since}, per entity type. */
  public static Dataset<Row> lookedUp(
      Dataset<Row> tracks, Dataset<Row> albums, Dataset<Row> artists, Instant since) {
    Column fresh = col("fetched_at").geq(lit(Timestamp.from(since)));
    return tracks
        .filter(fresh)
        .select(kind(CatalogKind.TRACK), col("requested_id").as(ID))
        .unionByName(
            albums.filter(fresh).select(kind(CatalogKind.ALBUM), col("requested_id").as(ID)))
        .unionByName(
            artists.filter(fresh).select(kind(CatalogKind.ARTIST), col("requested_id").as(ID)))
        .distinct();
  }

  /** Seen but not (freshly) looked up, sorted so a re-run writes the same file. */
  public static Dataset<Row> toLookUp(Dataset<Row> seen, Dataset<Row> lookedUp) {
    return seen.join(
            lookedUp,
            seen.col(ENTITY_TYPE)
                .equalTo(lookedUp.col(ENTITY_TYPE))
                .and(seen.col(ID).equalTo(lookedUp.col(ID))),
            "left_anti")
        .orderBy(col(ENTITY_TYPE), col(ID));
  }

  /** The list's entity_type column for one kind. */
  private static Column kind(CatalogKind kind) {
    return lit(kind.wireName()).as(ENTITY_TYPE);
  }
}
