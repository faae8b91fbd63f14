package dev.listening.jobs.bronze;

import dev.listening.landing.Envelope;
import dev.listening.landing.StreamingHistory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * The landing envelopes as declared schemas, one per endpoint, written from Spotify's OpenAPI
 * description and the 2026 API notes, never inferred from the JSON. Fields Spotify removed for
 * development-mode apps (popularity, available_markets, label, followers) are simply null there.
 */
public final class LandingSchemas {
  private LandingSchemas() {}

  /**
   * The field Spark fills with the raw JSON of a line (or, declared inside a record array's
   * element, of a record) that is not JSON or breaks a declared type.
   */
  public static final String CORRUPT = "_corrupt_record";

  // Declared on the elements of the record arrays (plays, playlist items, releases, look-up
  // batches): one wrong-typed record is then parsed apart and quarantined alone, its page's good
  // records kept. Always null when the whole line parses.
  private static final String RECORD_CORRUPT = ", " + CORRUPT + ": STRING";

  static final String ARTIST = "STRUCT<id: STRING, name: STRING, uri: STRING, href: STRING>";

  static final String ALBUM_FIELDS =
      "id: STRING, name: STRING, album_type: STRING, release_date: STRING,"
          + " release_date_precision: STRING, total_tracks: INT, uri: STRING,"
          + " artists: ARRAY<"
          + ARTIST
          + ">, available_markets: ARRAY<STRING>";

  static final String ALBUM = "STRUCT<" + ALBUM_FIELDS + ">";

  static final String TRACK_FIELDS =
      "id: STRING, name: STRING, uri: STRING, href: STRING, duration_ms: BIGINT,"
          + " explicit: BOOLEAN, is_local: BOOLEAN, popularity: INT, disc_number: INT,"
          + " track_number: INT, preview_url: STRING, external_ids: STRUCT<isrc: STRING>,"
          + " album: "
          + ALBUM
          + ", artists: ARRAY<"
          + ARTIST
          + ">,"
          + " available_markets: ARRAY<STRING>, restrictions: STRUCT<reason: STRING>,"
          + " type: STRING";

  static final String TRACK = "STRUCT<" + TRACK_FIELDS + ">";

  /** A SimplifiedTrackObject: album pages list these (no album, popularity or external ids). */
  static final String SIMPLIFIED_TRACK_FIELDS =
      "id: STRING, name: STRING, uri: STRING, href: STRING, duration_ms: BIGINT,"
          + " explicit: BOOLEAN, is_local: BOOLEAN, disc_number: INT, track_number: INT,"
          + " artists: ARRAY<"
          + ARTIST
          + ">, available_markets: ARRAY<STRING>, restrictions: STRUCT<reason: STRING>,"
          + " type: STRING";

  static final String SIMPLIFIED_TRACK = "STRUCT<" + SIMPLIFIED_TRACK_FIELDS + ">";

  /** The paging object of an album's tracks ({@code /albums/{id}/tracks}, album.tracks). */
  static final String TRACK_PAGE_FIELDS =
      "href: STRING, items: ARRAY<"
          + SIMPLIFIED_TRACK
          + ">, limit: INT, next: STRING, offset: INT, previous: STRING, total: INT";

  static final String CONTEXT = "STRUCT<type: STRING, uri: STRING, href: STRING>";

  static final String ERROR = "error: STRUCT<status: INT, message: STRING>";

  static final String ALBUM_FULL_FIELDS =
      "id: STRING, name: STRING, album_type: STRING, release_date: STRING,"
          + " release_date_precision: STRING, total_tracks: INT, uri: STRING, label: STRING,"
          + " popularity: INT, genres: ARRAY<STRING>, artists: ARRAY<"
          + ARTIST
          + ">,"
          + " external_ids: STRUCT<upc: STRING>, tracks: STRUCT<"
          + TRACK_PAGE_FIELDS
          + ">";

  static final String ARTIST_FULL_FIELDS =
      "id: STRING, name: STRING, uri: STRING, genres: ARRAY<STRING>, popularity: INT,"
          + " followers: STRUCT<total: BIGINT>";

  /** The envelope around an endpoint's page, its field names from the landing contract. */
  private static String envelope(String response) {
    return String.join(
        ", ",
        Envelope.ENDPOINT + " STRING",
        Envelope.REQUEST
            + " STRUCT<"
            + Envelope.REQUEST_METHOD
            + ": STRING, "
            + Envelope.REQUEST_PATH
            + ": STRING, "
            + Envelope.REQUEST_PARAMS
            + ": MAP<STRING, STRING>>",
        Envelope.USER_KEY + " STRING",
        Envelope.FETCHED_AT + " STRING",
        Envelope.RUN_ID + " STRING",
        Envelope.APP_MODE + " STRING",
        Envelope.HTTP_STATUS + " INT",
        Envelope.RESPONSE + " " + response,
        CORRUPT + " STRING");
  }

  /** GET /me/player/recently-played: a cursor page of play history. */
  public static final StructType RECENTLY_PLAYED =
      ddl(
          envelope(
              "STRUCT<href: STRING, limit: INT, next: STRING,"
                  + " cursors: STRUCT<after: STRING, before: STRING>,"
                  + " items: ARRAY<STRUCT<track: "
                  + TRACK
                  + ", played_at: STRING,"
                  + " context: "
                  + CONTEXT
                  + RECORD_CORRUPT
                  + ">>>"));

  /** GET /tracks/{id} (the object itself) or /tracks?ids= ({"tracks": [...]}), or a 404. */
  public static final StructType TRACKS =
      ddl(
          envelope(
              "STRUCT<"
                  + TRACK_FIELDS
                  + ", tracks: ARRAY<STRUCT<"
                  + TRACK_FIELDS
                  + RECORD_CORRUPT
                  + ">>, "
                  + ERROR
                  + ">"));

  public static final StructType ALBUMS =
      ddl(
          envelope(
              "STRUCT<"
                  + ALBUM_FULL_FIELDS
                  + ", albums: ARRAY<STRUCT<"
                  + ALBUM_FULL_FIELDS
                  + RECORD_CORRUPT
                  + ">>, "
                  + ERROR
                  + ">"));

  public static final StructType ARTISTS =
      ddl(
          envelope(
              "STRUCT<"
                  + ARTIST_FULL_FIELDS
                  + ", artists: ARRAY<STRUCT<"
                  + ARTIST_FULL_FIELDS
                  + RECORD_CORRUPT
                  + ">>, "
                  + ERROR
                  + ">"));

  /** GET /browse/new-releases: the page is nested under "albums". */
  public static final StructType NEW_RELEASES =
      ddl(
          envelope(
              "STRUCT<albums: STRUCT<href: STRING, items: ARRAY<STRUCT<"
                  + ALBUM_FIELDS
                  + RECORD_CORRUPT
                  + ">>, limit: INT,"
                  + " next: STRING, offset: INT, previous: STRING, total: INT>>"));

  /** GET /albums/{id}/tracks: a page of simplified tracks, or a 404/400 error. */
  public static final StructType ALBUM_TRACKS =
      ddl(
          envelope(
              "STRUCT<href: STRING, items: ARRAY<STRUCT<"
                  + SIMPLIFIED_TRACK_FIELDS
                  + RECORD_CORRUPT
                  + ">>, limit: INT, next: STRING, offset: INT, previous: STRING, total: INT, "
                  + ERROR
                  + ">"));

  /** GET /playlists/{id}/items: items carry "item" (the legacy "track" is read as a fallback). */
  public static final StructType PLAYLIST_ITEMS =
      ddl(
          envelope(
              "STRUCT<href: STRING, items: ARRAY<STRUCT<added_at: STRING,"
                  + " added_by: STRUCT<id: STRING>, is_local: BOOLEAN, item: "
                  + TRACK
                  + ","
                  + " track: "
                  + TRACK
                  + RECORD_CORRUPT
                  + ">>, limit: INT, next: STRING, offset: INT,"
                  + " total: INT>"));

  /**
   * One stream of a streaming-history export (see {@link dev.listening.landing.StreamingHistory}):
   * the envelope's response is the stream object.
   */
  public static final StructType STREAMING_HISTORY =
      ddl(
          envelope(
              "STRUCT<"
                  + String.join(
                      ", ",
                      StreamingHistory.TS + ": STRING",
                      StreamingHistory.PLATFORM + ": STRING",
                      StreamingHistory.MS_PLAYED + ": BIGINT",
                      StreamingHistory.CONN_COUNTRY + ": STRING",
                      StreamingHistory.TRACK_NAME + ": STRING",
                      StreamingHistory.ARTIST_NAME + ": STRING",
                      StreamingHistory.ALBUM_NAME + ": STRING",
                      StreamingHistory.TRACK_URI + ": STRING",
                      StreamingHistory.EPISODE_NAME + ": STRING",
                      StreamingHistory.EPISODE_SHOW_NAME + ": STRING",
                      StreamingHistory.EPISODE_URI + ": STRING",
                      StreamingHistory.AUDIOBOOK_TITLE + ": STRING",
                      StreamingHistory.AUDIOBOOK_URI + ": STRING",
                      StreamingHistory.AUDIOBOOK_CHAPTER_URI + ": STRING",
                      StreamingHistory.AUDIOBOOK_CHAPTER_TITLE + ": STRING",
                      StreamingHistory.REASON_START + ": STRING",
                      StreamingHistory.REASON_END + ": STRING",
                      StreamingHistory.SHUFFLE + ": BOOLEAN",
                      StreamingHistory.SKIPPED + ": BOOLEAN",
                      StreamingHistory.OFFLINE + ": BOOLEAN",
                      StreamingHistory.OFFLINE_TIMESTAMP + ": BIGINT",
                      StreamingHistory.INCOGNITO_MODE + ": BOOLEAN")
                  + ">"));

  private static StructType ddl(String ddl) {
    return (StructType) DataType.fromDDL(ddl);
  }
}
