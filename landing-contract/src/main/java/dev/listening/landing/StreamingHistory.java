package dev.listening.landing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A user's Spotify "Extended streaming history" export and how it lands: one source of truth for
 * the simulator (which writes exports), the extractor (which imports them) and the Spark jobs
 * (which read what landed and merge it with the polled plays).
 *
 * <p><b>The export.</b> A zip (or its folder) of JSON files named {@code
 * Streaming_History_Audio_<years>[_<n>].json} and {@code Streaming_History_Video_<years>.json},
 * each one JSON array of stream objects with the fields below; {@code ts} is when the stream ended
 * (UTC, second precision, {@code 2024-01-01T12:34:56Z}). Music streams carry the {@code
 * master_metadata_*} fields and {@code spotify_track_uri}; episodes and audiobooks carry theirs and
 * null music fields.
 *
 * <p><b>The landing.</b> One envelope line per stream ({@link Endpoint#STREAMING_HISTORY}, the
 * stream object as {@code response}, the export's file in the request's {@link #PARAM_FILE}), in
 * one partition per user and stream day (UTC day of {@code ts}):
 *
 * <pre>
 * &lt;landing&gt;/streaming_history/date=&lt;stream day&gt;/run=history-&lt;user key&gt;/shard=0-of-1/part-00000.ndjson.gz
 * </pre>
 *
 * An import replaces each day's partition by the union of what was landed and the export's streams
 * of that day, deduplicated on {@link #dedupeKey}: a re-import or an overlapping newer export adds
 * nothing, and a day that does not change is not written. {@link #DROPPED_FIELDS} never land.
 * Streams without {@code ts} land under {@link #quarantineDirectory}.
 */
public final class StreamingHistory {
  private StreamingHistory() {}

  // Fields of a stream object, as Spotify names them.
  public static final String TS = "ts";
  public static final String PLATFORM = "platform";
  public static final String MS_PLAYED = "ms_played";
  public static final String CONN_COUNTRY = "conn_country";
  public static final String IP_ADDR = "ip_addr";
  public static final String TRACK_NAME = "master_metadata_track_name";
  public static final String ARTIST_NAME = "master_metadata_album_artist_name";
  public static final String ALBUM_NAME = "master_metadata_album_album_name";
  public static final String TRACK_URI = "spotify_track_uri";
  public static final String EPISODE_NAME = "episode_name";
  public static final String EPISODE_SHOW_NAME = "episode_show_name";
  public static final String EPISODE_URI = "spotify_episode_uri";
  public static final String AUDIOBOOK_TITLE = "audiobook_title";
  public static final String AUDIOBOOK_URI = "audiobook_uri";
  public static final String AUDIOBOOK_CHAPTER_URI = "audiobook_chapter_uri";
  public static final String AUDIOBOOK_CHAPTER_TITLE = "audiobook_chapter_title";
  public static final String REASON_START = "reason_start";
  public static final String REASON_END = "reason_end";
  public static final String SHUFFLE = "shuffle";
  public static final String SKIPPED = "skipped";
  public static final String OFFLINE = "offline";
  public static final String OFFLINE_TIMESTAMP = "offline_timestamp";
  public static final String INCOGNITO_MODE = "incognito_mode";

  // Fields of older exports that identify a person or a device beyond what the product needs.
  public static final String IP_ADDR_DECRYPTED = "ip_addr_decrypted";
  public static final String USER_AGENT_DECRYPTED = "user_agent_decrypted";
  public static final String USERNAME = "username";

  /** Every field the importer knows, in the order Spotify writes them (dropped ones included). */
  public static final List<String> KNOWN_FIELDS =
      List.of(
          TS,
          USERNAME,
          PLATFORM,
          MS_PLAYED,
          CONN_COUNTRY,
          IP_ADDR,
          IP_ADDR_DECRYPTED,
          USER_AGENT_DECRYPTED,
          TRACK_NAME,
          ARTIST_NAME,
          ALBUM_NAME,
          TRACK_URI,
          EPISODE_NAME,
          EPISODE_SHOW_NAME,
          EPISODE_URI,
          AUDIOBOOK_TITLE,
          AUDIOBOOK_URI,
          AUDIOBOOK_CHAPTER_URI,
          AUDIOBOOK_CHAPTER_TITLE,
          REASON_START,
          REASON_END,
          SHUFFLE,
          SKIPPED,
          OFFLINE,
          OFFLINE_TIMESTAMP,
          INCOGNITO_MODE);

  /**
   * Dropped by the importer before anything lands (not hashed): IP addresses, the decrypted user
   * agent, and the Spotify username (the user key already says whose export it is).
   */
  public static final Set<String> DROPPED_FIELDS =
      Set.of(IP_ADDR, IP_ADDR_DECRYPTED, USER_AGENT_DECRYPTED, USERNAME);

  /** The export's JSON files: audio (music, episodes, audiobooks) and video. */
  public static final Pattern FILE_NAME =
      Pattern.compile("Streaming_History_(Audio|Video)_[^/]*\\.json");

  public static final String AUDIO_PREFIX = "Streaming_History_Audio_";
  public static final String VIDEO_PREFIX = "Streaming_History_Video_";

  /**
   * The largest export file the importer reads. Spotify splits exports into files of about 12 MB;
   * anything far bigger is not an export file as downloaded (and would be held in memory whole).
   */
  public static final long MAX_FILE_BYTES = 32L * 1024 * 1024;

  /**
   * The API's {@code played_at} and the export's {@code ts} of the same play differ by a few
   * seconds: a polled play and an imported stream of the same user and track match when they are at
   * most this far apart.
   */
  public static final Duration MATCH_TOLERANCE = Duration.ofSeconds(10);

  /** A stream counts as a play (as recently-played counts it) from this many ms played. */
  public static final long MIN_PLAY_MS = 30_000L;

  /** The request parameter naming the export file a landed stream came from. */
  public static final String PARAM_FILE = "file";

  /** The envelopes' app_mode: the streams came from an export, not from an API surface. */
  public static final String APP_MODE = "export";

  /** The envelopes' request path. */
  public static final String REQUEST_PATH = "export";

  // What a bronze stream is, from the URI it carries.
  public static final String KIND_TRACK = "track";
  public static final String KIND_EPISODE = "episode";
  public static final String KIND_AUDIOBOOK = "audiobook";
  public static final String KIND_UNKNOWN = "unknown";

  // Where a gold play came from.
  public static final String SOURCE_POLLED = "polled";
  public static final String SOURCE_IMPORTED = "imported";
  public static final String SOURCE_BOTH = "polled_and_imported";

  private static final DateTimeFormatter TS_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** {@code ts} as the export writes it: UTC, whole seconds. */
  public static String formatTs(Instant ts) {
    return TS_FORMAT.format(ts.truncatedTo(ChronoUnit.SECONDS));
  }

  /** The run id of a user's imported history: one per user, so each user owns their partitions. */
  public static String runId(String userKey) {
    return LandingPartition.checkRunId("history-" + userKey);
  }

  /** Where a user's streams of one day land. */
  public static LandingPartition partition(String userKey, LocalDate streamDay) {
    return new LandingPartition(Endpoint.STREAMING_HISTORY, streamDay, runId(userKey), Shard.ONLY);
  }

  /** Where a user's streams without {@code ts} land, relative to the landing root. */
  public static String quarantineDirectory(String userKey) {
    return LandingPartition.QUARANTINE_FOLDER
        + "/"
        + Endpoint.STREAMING_HISTORY.landingName()
        + "/"
        + LandingPartition.RUN
        + "="
        + runId(userKey);
  }

  /** Two landed streams are the same stream when these agree. */
  public static String dedupeKey(String ts, String uri, long msPlayed) {
    return ts + "|" + uri + "|" + msPlayed;
  }
}
