package dev.listening.local.bench;

import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.StreamingHistory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The reference Spark is measured against: DuckDB (2 threads, as Spark's local[2]) doing the same
 * work on the same files the cheapest way it can, each query one pass over its input.
 *
 * <ul>
 *   <li>{@link #parseFloor}: parse every landed recently-played page with the declared schema and
 *       unnest every play, counting them: no bronze can be cheaper than this.
 *   <li>{@link #bronze}: every column of Spark's bronze plays with the same normalisation (UTC
 *       instants, release dates with their precision, artists in order with 1-based positions) and
 *       the quarantine split in the same scan (a partition column, so one COPY writes both), as
 *       Parquet partitioned by landing date.
 *   <li>{@link #gold}: from that bronze, {@code fct_listens} for one play date over the lateness
 *       window (first landed wins), the track, album and artist dims by the latest-observation rule
 *       and the track-artist bridge, from the plays (the benchmark's landing holds plays only).
 * </ul>
 *
 * <p>What it does not do that Spark does: a malformed line is dropped by DuckDB's reader (with
 * {@code ignore_errors}), not quarantined with its reason, and a record of the wrong type fails its
 * page rather than being parsed apart. The benchmark's landings have neither in numbers that
 * matter; the tests check the output on clean landings.
 */
final class DuckDbReference {
  private DuckDbReference() {}

  private static final String ARTIST = "STRUCT(id VARCHAR, name VARCHAR, uri VARCHAR)";
  private static final String ALBUM =
      "STRUCT(id VARCHAR, name VARCHAR, album_type VARCHAR, release_date VARCHAR,"
          + " release_date_precision VARCHAR, total_tracks INTEGER, uri VARCHAR, artists "
          + ARTIST
          + "[])";
  private static final String TRACK =
      "STRUCT(id VARCHAR, name VARCHAR, uri VARCHAR, duration_ms BIGINT, explicit BOOLEAN,"
          + " is_local BOOLEAN, popularity INTEGER, disc_number INTEGER, track_number INTEGER,"
          + " external_ids STRUCT(isrc VARCHAR), album "
          + ALBUM
          + ", artists "
          + ARTIST
          + "[], available_markets VARCHAR[])";

  /** A connection set up like Spark's local[2]: two threads, UTC. */
  static Connection connect(Path temp) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
      s.execute("SET memory_limit = '4GB'");
      s.execute("SET temp_directory = '" + temp + "'");
      s.execute("SET preserve_insertion_order = false");
      s.execute("SET TimeZone = 'UTC'");
    }
    return c;
  }

  /** read_json over every recently-played part, with the fields bronze uses, declared. */
  static String readPages(Path landing) {
    String files =
        landing.resolve(LandingPartition.allPartsGlob(Endpoint.RECENTLY_PLAYED)).toString();
    return "read_json('"
        + files
        + "', format = 'newline_delimited', compression = 'gzip', filename = true,"
        + " hive_partitioning = true, ignore_errors = true, columns = {"
        + Envelope.ENDPOINT
        + ": 'VARCHAR', "
        + Envelope.USER_KEY
        + ": 'VARCHAR', "
        + Envelope.FETCHED_AT
        + ": 'VARCHAR', "
        + Envelope.RUN_ID
        + ": 'VARCHAR', "
        + Envelope.APP_MODE
        + ": 'VARCHAR', "
        + Envelope.HTTP_STATUS
        + ": 'INTEGER', "
        + Envelope.RESPONSE
        + ": 'STRUCT(items STRUCT(track "
        + TRACK
        + ", played_at VARCHAR, context STRUCT(type VARCHAR, uri VARCHAR))[])'})";
  }

  /** The parse floor: pages parsed, plays unnested and counted. Returns the number of plays. */
  static long parseFloor(Path landing, Path temp) throws SQLException {
    try (Connection c = connect(temp);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM (SELECT UNNEST("
                    + Envelope.RESPONSE
                    + ".items) AS item FROM "
                    + readPages(landing)
                    + ")")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** An ISO-8601 UTC instant as TIMESTAMPTZ, or null (Spark: yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX). */
  private static String instant(String text) {
    return "try_strptime("
        + text
        + ", ['%Y-%m-%dT%H:%M:%S.%gZ', '%Y-%m-%dT%H:%M:%SZ'])::TIMESTAMPTZ";
  }

  private static String releaseDate(String raw, String given) {
    String p =
        "coalesce("
            + given
            + ", CASE length("
            + raw
            + ") WHEN 4 THEN 'year' WHEN 7 THEN 'month' ELSE 'day' END)";
    return "CASE WHEN "
        + p
        + " = 'year' AND regexp_full_match("
        + raw
        + ", '\\d{4}') THEN try_strptime("
        + raw
        + " || '-01-01', '%Y-%m-%d')::DATE WHEN "
        + p
        + " = 'month' AND regexp_full_match("
        + raw
        + ", '\\d{4}-\\d{2}') THEN try_strptime("
        + raw
        + " || '-01', '%Y-%m-%d')::DATE WHEN "
        + p
        + " = 'day' AND regexp_full_match("
        + raw
        + ", '\\d{4}-\\d{2}-\\d{2}') THEN try_strptime("
        + raw
        + ", '%Y-%m-%d')::DATE END";
  }

  private static String artists(String list) {
    return "list_transform("
        + list
        + ", (a, i) -> {'position': i::INTEGER, 'artist_id': a.id, 'artist_uri': a.uri,"
        + " 'artist_name': a.name})";
  }

  /**
   * Bronze plays in one pass: {@code out/plays/quarantined=false/date=D/} holds the records, {@code
   * quarantined=true} the broken pages and plays with their reason. Returns {records, quarantined}.
   */
  static long[] bronze(Path landing, Path out, Path temp) throws SQLException, java.io.IOException {
    String t = "item.track";
    String al = t + ".album";
    String pageProblem =
        "CASE WHEN "
            + Envelope.ENDPOINT
            + " IS DISTINCT FROM '"
            + Endpoint.RECENTLY_PLAYED.landingName()
            + "' THEN 'envelope of another endpoint' WHEN "
            + instant(Envelope.FETCHED_AT)
            + " IS NULL THEN 'bad fetched_at' WHEN "
            + Envelope.RUN_ID
            + " IS NULL THEN 'no run_id' WHEN "
            + Envelope.HTTP_STATUS
            + " IS NULL THEN 'no http_status' WHEN "
            + Envelope.USER_KEY
            + " IS NULL THEN 'no user_key' WHEN "
            + Envelope.HTTP_STATUS
            + " <> 200 THEN 'not a 200 page' WHEN "
            + Envelope.RESPONSE
            + " IS NULL THEN 'no response' WHEN "
            + Envelope.RESPONSE
            + ".items IS NULL THEN 'no items' END";
    String itemProblem =
        "CASE WHEN item.played_at IS NULL THEN 'play without played_at' WHEN "
            + instant("item.played_at")
            + " IS NULL THEN 'bad played_at' WHEN "
            + t
            + " IS NULL THEN 'play without a track' WHEN "
            + t
            + ".uri IS NULL THEN 'track without uri' WHEN "
            + t
            + ".id IS NULL AND NOT coalesce("
            + t
            + ".is_local, false) THEN 'catalog track without id' END";
    String pages =
        "SELECT "
            + Envelope.USER_KEY
            + " AS user_key, "
            + instant(Envelope.FETCHED_AT)
            + " AS fetched_at, "
            + Envelope.RUN_ID
            + " AS run_id, "
            + Envelope.APP_MODE
            + " AS app_mode, 'file://' || filename AS landing_file, "
            + LandingPartition.DATE
            + "::DATE AS date, p.page_problem, CASE WHEN p.page_problem IS NULL THEN "
            + Envelope.RESPONSE
            + ".items ELSE [NULL] END AS l FROM (SELECT *, "
            + pageProblem
            + " AS page_problem FROM "
            + readPages(landing)
            + ") p";
    String plays =
        "SELECT *, coalesce(page_problem, "
            + itemProblem
            + ") AS problem FROM (SELECT * EXCLUDE (l), UNNEST(l) AS item,"
            + " (generate_subscripts(l, 1) - 1)::INTEGER AS item_index FROM ("
            + pages
            + "))";
    String columns =
        "user_key, "
            + instant("item.played_at")
            + " AS played_at, "
            + t
            + ".id AS track_id, "
            + t
            + ".uri AS track_uri, "
            + t
            + ".name AS track_name, "
            + t
            + ".duration_ms AS track_duration_ms, "
            + t
            + ".explicit AS track_explicit, coalesce("
            + t
            + ".is_local, false) AS track_is_local, "
            + t
            + ".popularity AS track_popularity, "
            + t
            + ".external_ids.isrc AS track_isrc, "
            + t
            + ".disc_number AS track_disc_number, "
            + t
            + ".track_number AS track_track_number, len("
            + t
            + ".available_markets)::INTEGER AS track_market_count, "
            + al
            + ".id AS track_album_id, "
            + al
            + ".uri AS track_album_uri, "
            + al
            + ".name AS track_album_name, "
            + al
            + ".album_type AS track_album_type, "
            + releaseDate(al + ".release_date", al + ".release_date_precision")
            + " AS track_album_release_date, "
            + al
            + ".release_date_precision AS track_album_release_date_precision, "
            + al
            + ".release_date AS track_album_release_date_raw, "
            + al
            + ".total_tracks AS track_album_total_tracks, "
            + artists(al + ".artists")
            + " AS track_album_artists, "
            + artists(t + ".artists")
            + " AS artists, item.context.type AS context_type, item.context.uri AS context_uri,"
            + " item_index, fetched_at, run_id, app_mode, landing_file, date,"
            + " problem AS quarantine_reason, problem IS NOT NULL AS quarantined";
    java.nio.file.Files.createDirectories(out);
    try (Connection c = connect(temp);
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT "
              + columns
              + " FROM ("
              + plays
              + ")) TO '"
              + out.resolve("plays")
              + "' (FORMAT PARQUET, PARTITION_BY (quarantined, date), OVERWRITE_OR_IGNORE)");
      try (ResultSet r =
          s.executeQuery(
              "SELECT count(*) FILTER (WHERE NOT quarantined), count(*) FILTER (WHERE quarantined)"
                  + " FROM read_parquet('"
                  + out.resolve("plays")
                  + "/*/*/*.parquet', hive_partitioning = true)")) {
        r.next();
        return new long[] {r.getLong(1), r.getLong(2)};
      }
    }
  }

  /** The latest non-null value of {@code a} by {@code order} (arg_max skips null values). */
  private static String latest(String a, String order) {
    return "arg_max(" + a + ", " + order + ") FILTER (WHERE " + a + " IS NOT NULL) AS " + a;
  }

  /**
   * Gold from {@link #bronze}'s output: fct_listens of {@code playDate}, dim_tracks, dim_albums,
   * dim_artists and bridge_track_artists under {@code out}, as Parquet. Returns the listens.
   */
  static long gold(Path bronze, Path out, Path temp, LocalDate playDate, Duration lateness)
      throws SQLException, java.io.IOException {
    LocalDate lastLanding = playDate.plusDays(1 + lateness.toDays());
    // The lineage order of an observation: later fetch, then run, then file wins (all plays are
    // embedded copies, so source rank is the same for all).
    String order = "{'o': fetched_at, 'r': run_id, 'f': landing_file}";
    java.nio.file.Files.createDirectories(out);
    try (Connection c = connect(temp);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE VIEW plays AS SELECT * FROM read_parquet('"
              + bronze.resolve("plays")
              + "/quarantined=false/*/*.parquet', hive_partitioning = true)");
      s.execute(
          "COPY (SELECT user_key, played_at, played_at::DATE AS play_date, track_id, track_uri,"
              + " track_name, track_duration_ms AS duration_ms, track_explicit AS explicit,"
              + " track_is_local AS is_local, track_album_id AS album_id,"
              + " list_filter(list_transform(artists, a -> a.artist_id), x -> x IS NOT NULL)"
              + " AS artist_ids, artists[1].artist_id AS primary_artist_id, context_type,"
              + " context_uri, fetched_at AS first_fetched_at, run_id, landing_file,"
              // The benchmark's landing holds polls only: no export to merge, so every play is
              // polled and the export's facts are unknown, as in Spark's fct_listens.
              + " '"
              + StreamingHistory.SOURCE_POLLED
              + "' AS source, NULL::BIGINT AS ms_played, NULL::BOOLEAN AS skipped,"
              + " NULL::VARCHAR AS reason_start, NULL::VARCHAR AS reason_end,"
              + " NULL::BOOLEAN AS shuffle"
              + " FROM plays WHERE date BETWEEN DATE '"
              + playDate
              + "' AND DATE '"
              + lastLanding
              + "' AND played_at::DATE = DATE '"
              + playDate
              + "' QUALIFY row_number() OVER (PARTITION BY user_key, played_at ORDER BY"
              + " fetched_at, run_id, landing_file, item_index) = 1) TO '"
              + out.resolve("fct_listens.parquet")
              + "' (FORMAT PARQUET)");
      s.execute(
          "COPY (SELECT track_id, "
              + String.join(
                  ", ",
                  latest("track_uri", order),
                  latest("track_name", order),
                  latest("duration_ms", order),
                  latest("explicit", order),
                  latest("isrc", order),
                  latest("album_id", order),
                  latest("artists", order))
              + ", NULL::INTEGER AS popularity, NULL::INTEGER AS market_count,"
              + " min(fetched_at) AS first_seen_at, max(fetched_at) AS last_seen_at,"
              + " NULL::TIMESTAMPTZ AS looked_up_at FROM (SELECT track_id, track_uri, track_name,"
              + " track_duration_ms AS duration_ms, track_explicit AS explicit, track_isrc AS"
              + " isrc, track_album_id AS album_id, artists, fetched_at, run_id, landing_file"
              + " FROM plays WHERE track_id IS NOT NULL) GROUP BY track_id) TO '"
              + out.resolve("dim_tracks.parquet")
              + "' (FORMAT PARQUET)");
      s.execute(
          "COPY (SELECT album_id, "
              + String.join(
                  ", ",
                  latest("album_uri", order),
                  latest("album_name", order),
                  latest("album_type", order),
                  latest("release_date", order),
                  latest("release_date_precision", order),
                  latest("release_date_raw", order),
                  latest("total_tracks", order),
                  latest("album_artists", order))
              + ", NULL::VARCHAR AS label, NULL::INTEGER AS popularity, NULL::VARCHAR[] AS"
              + " genres, min(fetched_at) AS first_seen_at, max(fetched_at) AS last_seen_at,"
              + " NULL::TIMESTAMPTZ AS looked_up_at FROM (SELECT track_album_id AS album_id,"
              + " track_album_uri AS album_uri, track_album_name AS album_name, track_album_type"
              + " AS album_type, track_album_release_date AS release_date,"
              + " track_album_release_date_precision AS release_date_precision,"
              + " track_album_release_date_raw AS release_date_raw, track_album_total_tracks AS"
              + " total_tracks, track_album_artists AS album_artists, fetched_at, run_id,"
              + " landing_file FROM plays WHERE track_album_id IS NOT NULL) GROUP BY album_id) TO '"
              + out.resolve("dim_albums.parquet")
              + "' (FORMAT PARQUET)");
      s.execute(
          "COPY (SELECT artist_id, "
              + latest("artist_uri", order)
              + ", "
              + latest("artist_name", order)
              + ", NULL::VARCHAR[] AS genres, NULL::INTEGER AS popularity, NULL::BIGINT AS"
              + " followers, min(fetched_at) AS first_seen_at, max(fetched_at) AS last_seen_at,"
              + " NULL::TIMESTAMPTZ AS looked_up_at FROM (SELECT a.artist_id, a.artist_uri,"
              + " a.artist_name, fetched_at, run_id, landing_file FROM (SELECT UNNEST(list_concat("
              + "artists, track_album_artists)) AS a, fetched_at, run_id, landing_file FROM plays))"
              + " WHERE artist_id IS NOT NULL GROUP BY artist_id) TO '"
              + out.resolve("dim_artists.parquet")
              + "' (FORMAT PARQUET)");
      s.execute(
          "COPY (SELECT track_id, a.artist_id AS artist_id, a.position AS position FROM (SELECT"
              + " track_id, UNNEST(artists) AS a FROM read_parquet('"
              + out.resolve("dim_tracks.parquet")
              + "')) WHERE a.artist_id IS NOT NULL) TO '"
              + out.resolve("bridge_track_artists.parquet")
              + "' (FORMAT PARQUET)");
      try (ResultSet r =
          s.executeQuery(
              "SELECT count(*) FROM read_parquet('" + out.resolve("fct_listens.parquet") + "')")) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
