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
 * Which catalog ids the extractor should look up: the ones a landing date's facts name (plays,
 * playlist items, new releases and the tracks of the new releases' known track lists) that have no
 * look-up, or only one older than the allowed age; and the new releases whose complete track list
 * is not known. An id that was looked up and not found counts as looked up. Listing only these
 * keeps the requests near the minimum under Spotify's 2026 quotas.
 */
public final class EnrichmentList {
  private EnrichmentList() {}

  /**
   * Every (entity_type, id) the facts name, local files (null ids) left out.
   *
   * @param plays bronze plays of the date
   * @param playlistItems bronze playlist items of the date
   * @param newReleases bronze new releases of the date
   * @param releaseTracks the known tracks of those new releases ({@code track_id}, {@code artists})
   */
  public static Dataset<Row> seen(
      Dataset<Row> plays,
      Dataset<Row> playlistItems,
      Dataset<Row> newReleases,
      Dataset<Row> releaseTracks) {
    return namedByTracks(plays)
        .unionByName(namedByTracks(playlistItems))
        .unionByName(newReleases.select(kind(CatalogKind.ALBUM), col("album_id").as(ID)))
        .unionByName(artists(newReleases, col("album_artists")))
        .unionByName(releaseTracks.select(kind(CatalogKind.TRACK), col("track_id").as(ID)))
        .unionByName(artists(releaseTracks, col("artists")))
        .filter(col(ID).isNotNull())
        .distinct();
  }

  /**
   * The catalog tracks imported streaming history names ({@code track_id} of bronze streams): a
   * play polling missed is looked up like a polled one, so gold can name its album and artists.
   */
  public static Dataset<Row> streamTracks(Dataset<Row> streams) {
    return streams
        .select(kind(CatalogKind.TRACK), col("track_id").as(ID))
        .filter(col(ID).isNotNull())
        .distinct();
  }

  /**
   * The ids rows with an embedded track name: the track, its album, its and the album's artists.
   */
  private static Dataset<Row> namedByTracks(Dataset<Row> rows) {
    return rows.select(kind(CatalogKind.TRACK), col("track_id").as(ID))
        .unionByName(rows.select(kind(CatalogKind.ALBUM), col("track_album_id").as(ID)))
        .unionByName(artists(rows, col("artists")))
        .unionByName(artists(rows, col("track_album_artists")));
  }

  private static Dataset<Row> artists(Dataset<Row> rows, Column array) {
    return rows.select(explode(array).as("a"))
        .select(kind(CatalogKind.ARTIST), col("a.artist_id").as(ID));
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

  /** Seen but not (freshly) looked up. */
  public static Dataset<Row> toLookUp(Dataset<Row> seen, Dataset<Row> lookedUp) {
    return seen.join(
        lookedUp,
        seen.col(ENTITY_TYPE)
            .equalTo(lookedUp.col(ENTITY_TYPE))
            .and(seen.col(ID).equalTo(lookedUp.col(ID))),
        "left_anti");
  }

  /**
   * The new releases whose track list is not known ({@code knownTrackLists}: album_id, see
   * TrackLists.known), as {@code album_tracks} entries.
   */
  public static Dataset<Row> trackListsToFetch(
      Dataset<Row> newReleases, Dataset<Row> knownTrackLists) {
    return newReleases
        .select(col("album_id"))
        .filter(col("album_id").isNotNull())
        .distinct()
        .join(knownTrackLists, "album_id", "left_anti")
        .select(kind(CatalogKind.ALBUM_TRACKS), col("album_id").as(ID));
  }

  /** The whole list, sorted so a re-run writes the same file. */
  public static Dataset<Row> list(Dataset<Row> toLookUp, Dataset<Row> trackLists) {
    return toLookUp.unionByName(trackLists).orderBy(col(ENTITY_TYPE), col(ID));
  }

  /** The list's entity_type column for one kind. */
  private static Column kind(CatalogKind kind) {
    return lit(kind.wireName()).as(ENTITY_TYPE);
  }
}
