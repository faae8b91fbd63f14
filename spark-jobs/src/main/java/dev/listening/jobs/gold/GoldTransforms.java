package dev.listening.jobs.gold;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Bronze to gold, as pure functions. Every choice between duplicates is deterministic (earliest
 * fetch, then run id, landing file and position), so a re-run over the same bronze gives the same
 * rows.
 */
public final class GoldTransforms {
  private GoldTransforms() {}

  /** Landed first wins: the earliest fetch, ties broken by run, file and position. */
  private static WindowSpec firstLanded(String... keys) {
    return Window.partitionBy(java.util.Arrays.stream(keys).map(k -> col(k)).toArray(Column[]::new))
        .orderBy(
            col("fetched_at").asc(),
            col("run_id").asc(),
            col("landing_file").asc(),
            col("item_index").asc());
  }

  /**
   * One row per user and {@code played_at} for one UTC play date. Overlapping polls land the same
   * play several times; late plays arrive on the next landing date: both are folded here.
   */
  public static Dataset<Row> listens(Dataset<Row> plays, LocalDate playDate) {
    return plays
        .filter(to_date(col("played_at")).equalTo(lit(playDate.toString()).cast("date")))
        .withColumn("rank", row_number().over(firstLanded("user_key", "played_at")))
        .filter(col("rank").equalTo(1))
        .select(
            col("user_key"),
            col("played_at"),
            to_date(col("played_at")).as("play_date"),
            col("track_id"),
            col("track_uri"),
            col("track_name"),
            col("track_duration_ms").as("duration_ms"),
            col("track_explicit").as("explicit"),
            col("track_is_local").as("is_local"),
            col("track_album_id").as("album_id"),
            // A local file's artists have names but no ids: it names no catalog artist.
            filter(transform(col("artists"), a -> a.getField("artist_id")), id -> id.isNotNull())
                .as("artist_ids"),
            element_at(col("artists"), 1).getField("artist_id").as("primary_artist_id"),
            col("context_type"),
            col("context_uri"),
            col("fetched_at").as("first_fetched_at"),
            col("run_id"),
            col("landing_file"));
  }

  /**
   * Latest attributes per id with first and last seen, from observations that carry {@code id},
   * {@code observed_at}, {@code from_lookup} and the attribute columns. The newest observation wins
   * (a look-up over an embedded copy at the same instant); fields only look-ups carry come from the
   * newest look-up.
   */
  static Dataset<Row> latest(
      Dataset<Row> observations, List<String> attributes, List<String> lookupOnly) {
    Column order = struct(col("observed_at"), col("from_lookup"));
    Column[] aggs = new Column[attributes.size() + lookupOnly.size() + 3];
    int i = 0;
    for (String a : attributes) {
      aggs[i++] = max_by(col(a), order).as(a);
    }
    for (String a : lookupOnly) {
      aggs[i++] = max_by(when(col("from_lookup"), col(a)), when(col("from_lookup"), order)).as(a);
    }
    aggs[i++] = min(col("observed_at")).as("first_seen_at");
    aggs[i++] = max(col("observed_at")).as("last_seen_at");
    aggs[i] = max(when(col("from_lookup"), col("observed_at"))).as("looked_up_at");
    return observations
        .filter(col("id").isNotNull())
        .groupBy(col("id"))
        .agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length));
  }

  private static final List<String> TRACK_ATTRIBUTES =
      List.of("track_uri", "track_name", "duration_ms", "explicit", "isrc", "album_id", "artists");

  /** dim_tracks from the tracks embedded in plays and the track look-ups. */
  public static Dataset<Row> dimTracks(Dataset<Row> plays, Dataset<Row> trackLookups) {
    Dataset<Row> fromPlays = trackObservations(plays, false);
    Dataset<Row> fromLookups = trackObservations(trackLookups.filter(col("found")), true);
    return latest(
            fromPlays.unionByName(fromLookups),
            TRACK_ATTRIBUTES,
            List.of("popularity", "market_count"))
        .withColumnRenamed("id", "track_id");
  }

  private static Dataset<Row> trackObservations(Dataset<Row> rows, boolean fromLookup) {
    return rows.select(
        col("track_id").as("id"),
        col("track_uri"),
        col("track_name"),
        col("track_duration_ms").as("duration_ms"),
        col("track_explicit").as("explicit"),
        col("track_isrc").as("isrc"),
        col("track_album_id").as("album_id"),
        col("artists"),
        col("track_popularity").as("popularity"),
        col("track_market_count").as("market_count"),
        col("fetched_at").as("observed_at"),
        lit(fromLookup).as("from_lookup"));
  }

  private static final List<String> ALBUM_ATTRIBUTES =
      List.of(
          "album_uri",
          "album_name",
          "album_type",
          "release_date",
          "release_date_precision",
          "release_date_raw",
          "total_tracks",
          "album_artists");

  /** dim_albums from albums embedded in plays and the album look-ups. */
  public static Dataset<Row> dimAlbums(Dataset<Row> plays, Dataset<Row> albumLookups) {
    Dataset<Row> fromPlays =
        plays.select(
            albumObservation(
                "track_album_",
                false,
                lit(null).cast("string"),
                lit(null).cast("int"),
                lit(null).cast("array<string>")));
    Dataset<Row> fromLookups =
        albumLookups
            .filter(col("found"))
            .select(
                albumObservation(
                    "album_",
                    true,
                    col("album_label"),
                    col("album_popularity"),
                    col("album_genres")));
    return latest(
            fromPlays.unionByName(fromLookups),
            ALBUM_ATTRIBUTES,
            List.of("label", "popularity", "genres"))
        .withColumnRenamed("id", "album_id");
  }

  private static Column[] albumObservation(
      String prefix, boolean fromLookup, Column label, Column popularity, Column genres) {
    return new Column[] {
      col(prefix + "id").as("id"),
      col(prefix + "uri").as("album_uri"),
      col(prefix + "name").as("album_name"),
      col(prefix + "type").as("album_type"),
      col(prefix + "release_date").as("release_date"),
      col(prefix + "release_date_precision").as("release_date_precision"),
      col(prefix + "release_date_raw").as("release_date_raw"),
      col(prefix + "total_tracks").as("total_tracks"),
      col(prefix + "artists").as("album_artists"),
      label.as("label"),
      popularity.as("popularity"),
      genres.as("genres"),
      col("fetched_at").as("observed_at"),
      lit(fromLookup).as("from_lookup")
    };
  }

  /** dim_artists from artists named in plays (track and album artists) and the look-ups. */
  public static Dataset<Row> dimArtists(Dataset<Row> plays, Dataset<Row> artistLookups) {
    Dataset<Row> named =
        plays
            .select(
                col("fetched_at"),
                explode(concat(col("artists"), col("track_album_artists"))).as("a"))
            .select(
                col("a.artist_id").as("id"),
                col("a.artist_uri").as("artist_uri"),
                col("a.artist_name").as("artist_name"),
                lit(null).cast("array<string>").as("genres"),
                lit(null).cast("int").as("popularity"),
                lit(null).cast("bigint").as("followers"),
                col("fetched_at").as("observed_at"),
                lit(false).as("from_lookup"));
    Dataset<Row> looked =
        artistLookups
            .filter(col("found"))
            .select(
                col("artist_id").as("id"),
                col("artist_uri"),
                col("artist_name"),
                col("artist_genres").as("genres"),
                col("artist_popularity").as("popularity"),
                col("artist_followers").as("followers"),
                col("fetched_at").as("observed_at"),
                lit(true).as("from_lookup"));
    return latest(
            named.unionByName(looked),
            List.of("artist_uri", "artist_name"),
            List.of("genres", "popularity", "followers"))
        .withColumnRenamed("id", "artist_id");
  }

  /** Which artists perform a track, in billing order, from the track's latest attributes. */
  public static Dataset<Row> trackArtists(Dataset<Row> dimTracks) {
    return dimTracks
        .select(col("track_id"), explode(col("artists")).as("a"))
        .select(
            col("track_id"), col("a.artist_id").as("artist_id"), col("a.position").as("position"))
        .filter(col("artist_id").isNotNull());
  }

  /** The day's new releases per market, as landed (the last landing of the day wins). */
  public static Dataset<Row> newReleases(Dataset<Row> bronze, LocalDate day) {
    WindowSpec last =
        Window.partitionBy("market", "album_id")
            .orderBy(col("fetched_at").desc(), col("run_id").desc(), col("position").asc());
    return bronze
        .filter(col("date").equalTo(lit(day.toString()).cast("date")))
        .withColumn("rank", row_number().over(last))
        .filter(col("rank").equalTo(1))
        .select(
            lit(day.toString()).cast("date").as("snapshot_date"),
            col("market"),
            col("position"),
            col("album_id"),
            col("album_name"),
            col("album_type"),
            col("album_release_date").as("release_date"),
            col("album_release_date_precision").as("release_date_precision"),
            col("fetched_at"));
  }

  /** The day's playlist contents, one row per playlist and position (last landing wins). */
  public static Dataset<Row> playlistSnapshots(Dataset<Row> bronze, LocalDate day) {
    WindowSpec last =
        Window.partitionBy("playlist_id", "position")
            .orderBy(col("fetched_at").desc(), col("run_id").desc());
    return bronze
        .filter(col("date").equalTo(lit(day.toString()).cast("date")))
        .withColumn("rank", row_number().over(last))
        .filter(col("rank").equalTo(1))
        .select(
            lit(day.toString()).cast("date").as("snapshot_date"),
            col("playlist_id"),
            col("user_key"),
            col("position"),
            col("track_id"),
            col("track_uri"),
            col("track_name"),
            col("track_is_local").as("is_local"),
            col("added_at"),
            col("added_by"),
            col("fetched_at"));
  }
}
