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
    return firstOfEach(
        plays.filter(to_date(col("played_at")).equalTo(lit(playDate.toString()).cast("date"))));
  }

  /**
   * {@link #listens} of the plays with {@code from <= played_at < to} (for the history merge, which
   * looks a few seconds past midnight on both sides); play_date is each play's own.
   */
  public static Dataset<Row> listens(
      Dataset<Row> plays, java.time.Instant from, java.time.Instant to) {
    return firstOfEach(
        plays.filter(
            col("played_at")
                .geq(lit(java.sql.Timestamp.from(from)))
                .and(col("played_at").lt(lit(java.sql.Timestamp.from(to))))));
  }

  private static Dataset<Row> firstOfEach(Dataset<Row> plays) {
    return plays
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
            artistIds(col("artists")).as("artist_ids"),
            element_at(col("artists"), 1).getField("artist_id").as("primary_artist_id"),
            col("context_type"),
            col("context_uri"),
            col("fetched_at").as("first_fetched_at"),
            col("run_id"),
            col("landing_file"));
  }

  /**
   * The bronze tables that carry catalog objects, each read whole (every landing date): the
   * dimensions are built from all of them.
   *
   * @param plays recently-played items: a full track with its simplified album and artists
   * @param playlistItems playlist items: the same shapes (local files without ids)
   * @param newReleases simplified albums with their artists
   * @param albumTracks pages of {@code /albums/{id}/tracks}: simplified tracks of a known album
   * @param trackLookups, albumLookups, artistLookups the full objects, asked for by id
   */
  public record CatalogSources(
      Dataset<Row> plays,
      Dataset<Row> playlistItems,
      Dataset<Row> newReleases,
      Dataset<Row> albumTracks,
      Dataset<Row> trackLookups,
      Dataset<Row> albumLookups,
      Dataset<Row> artistLookups) {}

  /** An observation's source, best first: a look-up returns the full object. */
  static final int LOOKUP = 2;

  /** A copy inside another object or page (simplified, or missing look-up-only fields). */
  static final int EMBEDDED = 1;

  /**
   * Latest attributes per id with first and last seen, from observations that carry {@code id},
   * {@code observed_at}, {@code source_rank}, {@code run_id}, {@code landing_file} and the
   * attribute columns. The rule (README, "The dimensions"): each attribute comes from the best
   * observation that carries it: a look-up beats an embedded copy, then the newer fetch beats the
   * older, then the later run and landing file (so a re-run picks the same row). Fields only
   * look-ups carry come from the newest look-up, even when it lacks them (a development-mode app's
   * look-up has no popularity: the newest look-up says so).
   */
  static Dataset<Row> latest(
      Dataset<Row> observations, List<String> attributes, List<String> lookupOnly) {
    Column order =
        struct(col("source_rank"), col("observed_at"), col("run_id"), col("landing_file"));
    Column isLookup = col("source_rank").equalTo(LOOKUP);
    Column[] aggs = new Column[attributes.size() + lookupOnly.size() + 3];
    int i = 0;
    for (String a : attributes) {
      aggs[i++] = max_by(col(a), when(col(a).isNotNull(), order)).as(a);
    }
    for (String a : lookupOnly) {
      aggs[i++] = max_by(when(isLookup, col(a)), when(isLookup, order)).as(a);
    }
    aggs[i++] = min(col("observed_at")).as("first_seen_at");
    aggs[i++] = max(col("observed_at")).as("last_seen_at");
    aggs[i] = max(when(isLookup, col("observed_at"))).as("looked_up_at");
    return observations
        .filter(col("id").isNotNull())
        .groupBy(col("id"))
        .agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length));
  }

  private static Column[] lineage(int rank) {
    return new Column[] {
      col("fetched_at").as("observed_at"),
      lit(rank).as("source_rank"),
      col("run_id"),
      col("landing_file")
    };
  }

  private static Column[] with(Column[] first, Column... more) {
    Column[] out = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, out, first.length, more.length);
    return out;
  }

  private static final List<String> TRACK_ATTRIBUTES =
      List.of("track_uri", "track_name", "duration_ms", "explicit", "isrc", "album_id", "artists");

  /**
   * dim_tracks from every source of tracks: those embedded in plays and playlist items, the
   * simplified tracks of album track lists (album pages and the first page album look-ups carry),
   * and the track look-ups.
   */
  public static Dataset<Row> dimTracks(CatalogSources s) {
    Dataset<Row> observations =
        trackObservations(s.plays(), EMBEDDED)
            .unionByName(trackObservations(s.playlistItems(), EMBEDDED))
            .unionByName(trackObservations(s.trackLookups().filter(col("found")), LOOKUP))
            .unionByName(
                TrackLists.observations(s.albumTracks(), s.albumLookups())
                    .select(
                        with(
                            new Column[] {
                              col("track_id").as("id"),
                              col("track_uri"),
                              col("track_name"),
                              col("track_duration_ms").as("duration_ms"),
                              col("track_explicit").as("explicit"),
                              lit(null).cast("string").as("isrc"),
                              col("album_id"),
                              col("artists"),
                              lit(null).cast("int").as("popularity"),
                              lit(null).cast("int").as("market_count")
                            },
                            lineage(EMBEDDED))));
    return latest(observations, TRACK_ATTRIBUTES, List.of("popularity", "market_count"))
        .withColumnRenamed("id", "track_id");
  }

  private static Dataset<Row> trackObservations(Dataset<Row> rows, int rank) {
    return rows.select(
        with(
            new Column[] {
              col("track_id").as("id"),
              col("track_uri"),
              col("track_name"),
              col("track_duration_ms").as("duration_ms"),
              col("track_explicit").as("explicit"),
              col("track_isrc").as("isrc"),
              col("track_album_id").as("album_id"),
              col("artists"),
              col("track_popularity").as("popularity"),
              col("track_market_count").as("market_count")
            },
            lineage(rank)));
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

  /**
   * dim_albums from every source of albums: the simplified albums in plays, playlist items, track
   * look-ups and new releases, and the album look-ups.
   */
  public static Dataset<Row> dimAlbums(CatalogSources s) {
    Dataset<Row> observations =
        embeddedAlbums(s.plays(), "track_album_")
            .unionByName(embeddedAlbums(s.playlistItems(), "track_album_"))
            .unionByName(embeddedAlbums(s.trackLookups().filter(col("found")), "track_album_"))
            .unionByName(embeddedAlbums(s.newReleases(), "album_"))
            .unionByName(
                s.albumLookups()
                    .filter(col("found"))
                    .select(
                        albumObservation(
                            "album_",
                            LOOKUP,
                            col("album_label"),
                            col("album_popularity"),
                            col("album_genres"))));
    return latest(observations, ALBUM_ATTRIBUTES, List.of("label", "popularity", "genres"))
        .withColumnRenamed("id", "album_id");
  }

  private static Dataset<Row> embeddedAlbums(Dataset<Row> rows, String prefix) {
    return rows.select(
        albumObservation(
            prefix,
            EMBEDDED,
            lit(null).cast("string"),
            lit(null).cast("int"),
            lit(null).cast("array<string>")));
  }

  private static Column[] albumObservation(
      String prefix, int rank, Column label, Column popularity, Column genres) {
    return with(
        new Column[] {
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
          genres.as("genres")
        },
        lineage(rank));
  }

  /**
   * dim_artists from every artist any object names (track and album artists in plays, playlist
   * items, new releases, album track lists and the track and album look-ups) and the artist
   * look-ups.
   */
  public static Dataset<Row> dimArtists(CatalogSources s) {
    Dataset<Row> albumLookups = s.albumLookups().filter(col("found"));
    Dataset<Row> trackLookups = s.trackLookups().filter(col("found"));
    Dataset<Row> named =
        artistsIn(s.plays(), col("artists"))
            .unionByName(artistsIn(s.plays(), col("track_album_artists")))
            .unionByName(artistsIn(s.playlistItems(), col("artists")))
            .unionByName(artistsIn(s.playlistItems(), col("track_album_artists")))
            .unionByName(artistsIn(s.newReleases(), col("album_artists")))
            .unionByName(artistsIn(s.albumTracks().filter(col("found")), col("artists")))
            .unionByName(artistsIn(trackLookups, col("artists")))
            .unionByName(artistsIn(trackLookups, col("track_album_artists")))
            .unionByName(artistsIn(albumLookups, col("album_artists")))
            .unionByName(
                artistsIn(
                    albumLookups,
                    flatten(transform(col("album_track_items"), t -> t.getField("artists")))));
    Dataset<Row> looked =
        s.artistLookups()
            .filter(col("found"))
            .select(
                with(
                    new Column[] {
                      col("artist_id").as("id"),
                      col("artist_uri"),
                      col("artist_name"),
                      col("artist_genres").as("genres"),
                      col("artist_popularity").as("popularity"),
                      col("artist_followers").as("followers")
                    },
                    lineage(LOOKUP)));
    return latest(
            named.unionByName(looked),
            List.of("artist_uri", "artist_name"),
            List.of("genres", "popularity", "followers"))
        .withColumnRenamed("id", "artist_id");
  }

  /** The artists in an array of (position, artist_id, artist_uri, artist_name), as embedded. */
  private static Dataset<Row> artistsIn(Dataset<Row> rows, Column artists) {
    return rows.select(
            col("fetched_at"), col("run_id"), col("landing_file"), explode(artists).as("a"))
        .select(
            with(
                new Column[] {
                  col("a.artist_id").as("id"),
                  col("a.artist_uri").as("artist_uri"),
                  col("a.artist_name").as("artist_name"),
                  lit(null).cast("array<string>").as("genres"),
                  lit(null).cast("int").as("popularity"),
                  lit(null).cast("bigint").as("followers")
                },
                lineage(EMBEDDED)));
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
            col("fetched_at"),
            // Appended, so that the BigQuery table only gains columns at its end.
            col("track_album_id").as("album_id"),
            artistIds(col("artists")).as("artist_ids"));
  }

  /**
   * The ids of an array of embedded artists, in billing order; a local file's artists have names
   * but no ids, and name no catalog artist.
   */
  static Column artistIds(Column artists) {
    return filter(transform(artists, a -> a.getField("artist_id")), id -> id.isNotNull());
  }

  /**
   * The tracks of the day's new releases, one row per market, album and track (its 1-based position
   * on the album), for the albums whose track list is complete (see {@link TrackLists#latest}); the
   * others are counted by the job, and the next enrichment list asks for them.
   */
  public static Dataset<Row> newReleaseTracks(Dataset<Row> dayReleases, Dataset<Row> trackLists) {
    Dataset<Row> complete = trackLists.filter(col("complete"));
    return dayReleases
        .select("snapshot_date", "market", "album_id")
        .join(complete, "album_id")
        .select(
            col("snapshot_date"),
            col("market"),
            col("album_id"),
            col("position"),
            col("track_disc_number").as("disc_number"),
            col("track_track_number").as("track_number"),
            col("track_id"),
            col("track_uri"),
            col("track_name"),
            col("track_duration_ms").as("duration_ms"),
            col("track_explicit").as("explicit"),
            artistIds(col("artists")).as("artist_ids"),
            col("fetched_at"));
  }
}
