package dev.listening.jobs.gold;

import static org.apache.spark.sql.functions.*;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Albums' track lists, from the two places they land: the pages of {@code GET /albums/{id}/tracks}
 * (bronze {@code album_tracks}) and the first page (up to 50 tracks) that every album object a
 * look-up returns carries (bronze {@code album_lookups.album_track_items}). Used by gold ({@code
 * fct_new_release_tracks}) and by the enrichment list, which asks only for the track lists not
 * already known.
 */
public final class TrackLists {
  private TrackLists() {}

  /**
   * One row per landed (album, position): {@code album_id, position, album_tracks_total}, the
   * track's columns ({@code track_id, track_uri, track_name, track_duration_ms, track_explicit,
   * track_disc_number, track_track_number, artists}) and lineage ({@code fetched_at, run_id,
   * landing_file}).
   */
  public static Dataset<Row> observations(Dataset<Row> albumTracks, Dataset<Row> albumLookups) {
    Dataset<Row> pages =
        albumTracks
            .filter(col("found"))
            .select(
                col("album_id"),
                col("position"),
                col("album_tracks_total"),
                col("track_id"),
                col("track_uri"),
                col("track_name"),
                col("track_duration_ms"),
                col("track_explicit"),
                col("track_disc_number"),
                col("track_track_number"),
                col("artists"),
                col("fetched_at"),
                col("run_id"),
                col("landing_file"));
    Dataset<Row> carried =
        albumLookups
            .filter(col("found").and(col("album_track_items").isNotNull()))
            .select(
                col("album_id"),
                col("album_tracks_total"),
                explode(col("album_track_items")).as("t"),
                col("fetched_at"),
                col("run_id"),
                col("landing_file"))
            .select(
                col("album_id"),
                col("t.position").as("position"),
                col("album_tracks_total"),
                col("t.track_id").as("track_id"),
                col("t.track_uri").as("track_uri"),
                col("t.track_name").as("track_name"),
                col("t.track_duration_ms").as("track_duration_ms"),
                col("t.track_explicit").as("track_explicit"),
                col("t.track_disc_number").as("track_disc_number"),
                col("t.track_track_number").as("track_track_number"),
                col("t.artists").as("artists"),
                col("fetched_at"),
                col("run_id"),
                col("landing_file"));
    return pages.unionByName(carried);
  }

  /**
   * Each album's track list as last seen: per position the newest landing, the album's number of
   * tracks from its newest page, positions beyond it dropped. {@code complete} says whether every
   * position up to that number is there.
   */
  public static Dataset<Row> latest(Dataset<Row> observations) {
    Column newest = struct(col("fetched_at"), col("run_id"), col("landing_file"));
    Dataset<Row> perPosition =
        observations
            .withColumn(
                "rank",
                row_number()
                    .over(
                        Window.partitionBy("album_id", "position")
                            .orderBy(
                                col("fetched_at").desc(),
                                col("run_id").desc(),
                                col("landing_file").desc())))
            .filter(col("rank").equalTo(1))
            .drop("rank", "album_tracks_total");
    Dataset<Row> totals =
        observations
            .groupBy("album_id")
            .agg(max_by(col("album_tracks_total"), newest).as("album_tracks_total"));
    Dataset<Row> lists =
        perPosition.join(totals, "album_id").filter(col("position").leq(col("album_tracks_total")));
    return lists.withColumn(
        "complete",
        count(lit(1))
            .over(Window.partitionBy("album_id"))
            .equalTo(col("album_tracks_total").cast("long")));
  }

  /**
   * Albums whose track list needs no request: landed complete at or after {@code since}, or
   * answered as unknown then (a 404 from the album's look-up or its tracks).
   */
  public static Dataset<Row> known(
      Dataset<Row> albumTracks, Dataset<Row> albumLookups, Instant since) {
    Column fresh = col("fetched_at").geq(lit(Timestamp.from(since)));
    Dataset<Row> complete =
        latest(observations(albumTracks, albumLookups).filter(fresh))
            .filter(col("complete"))
            .select("album_id");
    Dataset<Row> unknown =
        albumTracks
            .filter(fresh.and(not(col("found"))))
            .select("album_id")
            .unionByName(
                albumLookups
                    .filter(fresh.and(not(col("found"))))
                    .select(col("requested_id").as("album_id")));
    return complete.unionByName(unknown).distinct();
  }
}
