package dev.listening.local.bench;

import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.LandingPartition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The reference: the bronze transformation of recently-played in DuckDB over the same landing
 * files. Same declared schema, same normalisation (UTC instants, release dates with their
 * precision, artists in order with positions), same split into records and quarantine from one
 * parse, Parquet partitioned by landing date.
 */
final class DuckDbBronze {
  private DuckDbBronze() {}

  private static final String ARTIST = "STRUCT(id VARCHAR, name VARCHAR, uri VARCHAR)";
  private static final String ALBUM =
      "STRUCT(id VARCHAR, name VARCHAR, album_type VARCHAR, release_date VARCHAR, release_date_precision VARCHAR,"
          + " total_tracks INTEGER, uri VARCHAR, artists "
          + ARTIST
          + "[], available_markets VARCHAR[])";
  private static final String TRACK =
      "STRUCT(id VARCHAR, name VARCHAR, uri VARCHAR, duration_ms BIGINT, explicit BOOLEAN, is_local BOOLEAN,"
          + " popularity INTEGER, disc_number INTEGER, track_number INTEGER, external_ids STRUCT(isrc VARCHAR),"
          + " album "
          + ALBUM
          + ", artists "
          + ARTIST
          + "[], available_markets VARCHAR[])";

  private static String releaseDate(String raw, String precision) {
    return "CASE WHEN "
        + precision
        + " = 'year' AND regexp_full_match("
        + raw
        + ", '\\d{4}') THEN make_date("
        + raw
        + "::INTEGER, 1, 1)"
        + " WHEN "
        + precision
        + " = 'month' AND regexp_full_match("
        + raw
        + ", '\\d{4}-\\d{2}') THEN try_strptime("
        + raw
        + " || '-01', '%Y-%m-%d')::DATE"
        + " WHEN "
        + precision
        + " = 'day' AND regexp_full_match("
        + raw
        + ", '\\d{4}-\\d{2}-\\d{2}') THEN try_strptime("
        + raw
        + ", '%Y-%m-%d')::DATE END";
  }

  private static String artists(String list) {
    return "list_transform("
        + list
        + ", (a, i) -> {'position': i, 'artist_id': a.id, 'artist_uri': a.uri, 'artist_name': a.name})";
  }

  /** Runs the transformation; returns {records, quarantined}. */
  static long[] run(Path landing, Path out, Path temp) throws Exception {
    String files =
        landing.resolve(LandingPartition.allPartsGlob(Endpoint.RECENTLY_PLAYED)).toString();
    String playedAt =
        "try_strptime(item.played_at, ['%Y-%m-%dT%H:%M:%S.%gZ', '%Y-%m-%dT%H:%M:%SZ'])";
    String t = "item.track";
    String al = t + ".album";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
      s.execute("SET memory_limit = '4GB'");
      s.execute("SET temp_directory = '" + temp + "'");
      s.execute("SET preserve_insertion_order = false");
      s.execute(
          "CREATE TEMP TABLE items AS SELECT p."
              + Envelope.USER_KEY
              + " AS user_key, p."
              + Envelope.FETCHED_AT
              + " AS fetched_at, p."
              + Envelope.RUN_ID
              + " AS run_id, p."
              + Envelope.APP_MODE
              + " AS app_mode, p.filename AS landing_file, p."
              + LandingPartition.DATE
              + " AS date, UNNEST(p."
              + Envelope.RESPONSE
              + ".items) AS item, generate_subscripts(p."
              + Envelope.RESPONSE
              + ".items, 1) - 1 AS item_index"
              + " FROM read_json('"
              + files
              + "', format = 'newline_delimited', compression = 'gzip', filename = true,"
              + " hive_partitioning = true, columns = {"
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
              + ", played_at VARCHAR, context STRUCT(type VARCHAR, uri VARCHAR))[])'}) p"
              + " WHERE p."
              + Envelope.ENDPOINT
              + " = '"
              + Endpoint.RECENTLY_PLAYED.landingName()
              + "' AND p."
              + Envelope.HTTP_STATUS
              + " = 200");
      String problem =
          "CASE WHEN item.played_at IS NULL THEN 'play without played_at' WHEN "
              + playedAt
              + " IS NULL THEN 'bad played_at'"
              + " WHEN "
              + t
              + " IS NULL THEN 'play without a track' WHEN "
              + t
              + ".uri IS NULL THEN 'track without uri'"
              + " WHEN "
              + t
              + ".id IS NULL AND NOT coalesce("
              + t
              + ".is_local, false) THEN 'catalog track without id' END";
      s.execute(
          "COPY (SELECT user_key, "
              + playedAt
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
              + ".explicit AS track_explicit,"
              + " coalesce("
              + t
              + ".is_local, false) AS track_is_local, "
              + t
              + ".popularity AS track_popularity, "
              + t
              + ".external_ids.isrc AS track_isrc, "
              + t
              + ".disc_number AS track_disc_number, "
              + t
              + ".track_number AS track_track_number,"
              + " len("
              + t
              + ".available_markets) AS track_market_count, "
              + al
              + ".id AS track_album_id, "
              + al
              + ".uri AS track_album_uri,"
              + " "
              + al
              + ".name AS track_album_name, "
              + al
              + ".album_type AS track_album_type, "
              + releaseDate(al + ".release_date", al + ".release_date_precision")
              + " AS track_album_release_date, "
              + al
              + ".release_date_precision AS track_album_release_date_precision, "
              + al
              + ".release_date AS track_album_release_date_raw,"
              + " "
              + al
              + ".total_tracks AS track_album_total_tracks, "
              + artists(al + ".artists")
              + " AS track_album_artists, "
              + artists(t + ".artists")
              + " AS artists, item.context.type AS context_type, item.context.uri AS context_uri,"
              + " item_index, try_strptime(fetched_at, ['%Y-%m-%dT%H:%M:%S.%gZ', '%Y-%m-%dT%H:%M:%SZ']) AS fetched_at, run_id, app_mode,"
              + " landing_file, date FROM items WHERE ("
              + problem
              + ") IS NULL)"
              + " TO '"
              + out.resolve("plays")
              + "' (FORMAT PARQUET, PARTITION_BY (date), OVERWRITE_OR_IGNORE)");
      s.execute(
          "COPY (SELECT '"
              + Endpoint.RECENTLY_PLAYED.landingName()
              + "' AS endpoint, "
              + problem
              + " AS reason, item_index, landing_file, run_id, date FROM items"
              + " WHERE ("
              + problem
              + ") IS NOT NULL) TO '"
              + out.resolve("quarantine.parquet")
              + "' (FORMAT PARQUET)");
      long records;
      long quarantined;
      try (ResultSet r =
          s.executeQuery(
              "SELECT count(*) FILTER (WHERE ("
                  + problem
                  + ") IS NULL), count(*) FILTER (WHERE ("
                  + problem
                  + ") IS NOT NULL) FROM items")) {
        r.next();
        records = r.getLong(1);
        quarantined = r.getLong(2);
      }
      return new long[] {records, quarantined};
    }
  }
}
