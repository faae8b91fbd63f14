package dev.listening.simulator;

import static dev.listening.landing.StreamingHistory.*;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes each user's "Extended streaming history" export from the ground truth, in Spotify's format
 * (see {@link dev.listening.landing.StreamingHistory}): every play of the day, retrievable by
 * polling or not, as a music stream whose {@code ts} is the play's end truncated to the second plus
 * 0-2 s; besides them, streams that are not plays: skips under 30 s ({@code skipped=true}) and
 * podcast episodes (null music fields). Audio files are split by year and by size, and every export
 * has an empty video file, as real ones do.
 *
 * <p>What a play's stream says is a function of the play alone (hashes of seed, user and index), so
 * tests and the reconciliation can recompute it: {@link #msPlayed}, {@link #ts}.
 */
public final class HistoryExport {
  /** Spotify's exports split audio files at about this size. */
  public static final long DEFAULT_SPLIT_BYTES = 12L * 1024 * 1024;

  private static final String[] PLATFORMS = {"android", "ios", "windows", "osx", "web_player"};
  private static final String[] STARTS = {"trackdone", "clickrow", "fwdbtn", "playbtn"};
  private static final String[] SHOWS = {"The Daily Loop", "Signal & Noise", "Deep Cuts Radio"};

  private final GroundTruth truth;
  private final long seed;
  private final long splitBytes;

  public HistoryExport(GroundTruth truth, long seed, long splitBytes) {
    this.truth = truth;
    this.seed = seed;
    this.splitBytes = splitBytes;
  }

  /** One stream to write. Null fields are written as JSON null. */
  record Stream(
      long tsMs,
      long msPlayed,
      String trackName,
      String artistName,
      String albumName,
      String trackUri,
      String episodeName,
      String showName,
      String episodeUri,
      String reasonStart,
      String reasonEnd,
      boolean shuffle,
      boolean skipped,
      String platform,
      String audiobookTitle,
      String audiobookUri,
      String chapterUri,
      String chapterTitle) {}

  /** Writes every user's export to {@code dir/<user key>/}; returns the folders written. */
  public List<Path> writeAll(Path dir) {
    List<Path> out = new ArrayList<>();
    for (int u = 0; u < truth.userKeys.length; u++) {
      out.add(write(u, dir.resolve(truth.userKeys[u])));
    }
    return out;
  }

  /** Writes one user's export into {@code folder}. */
  Path write(int user, Path folder) {
    List<Stream> streams = streams(user);
    try {
      Files.createDirectories(folder);
      writeFiles(streams, folder, splitBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the history export to " + folder, e);
    }
    return folder;
  }

  /** The play's ms_played: its listening time (the time since the previous play), at least 30 s. */
  long msPlayed(int user, int i) {
    long duration = truth.catalog.durationMs(truth.item[i]);
    long sincePrevious =
        i > truth.userStart[user] ? truth.playedAtMs[i] - truth.playedAtMs[i - 1] : duration;
    return Math.max(MIN_PLAY_MS, Math.min(duration, sincePrevious));
  }

  /**
   * The play's ts: its end, truncated to the second, plus 0 to 2 s (never past the play's day, so
   * an unpolled play stays a play of the truth's day).
   */
  long ts(int user, int i) {
    long h = Mix.hash(seed, Mix.hash("history-ts"), user, i);
    long second = truth.playedAtMs[i] / 1000 * 1000;
    long ts = second + Long.remainderUnsigned(h, 3) * 1000;
    return Math.floorDiv(ts, 86_400_000L) == Math.floorDiv(second, 86_400_000L) ? ts : second;
  }

  /** Every stream of the user's export, ordered by ts. */
  List<Stream> streams(int user) {
    List<Stream> streams = new ArrayList<>();
    for (int i = truth.userStart[user]; i < truth.userStart[user + 1]; i++) {
      long h = Mix.hash(seed, Mix.hash("history"), user, i);
      int item = truth.item[i];
      long ms = msPlayed(user, i);
      boolean done = ms >= truth.catalog.durationMs(item);
      streams.add(music(ts(user, i), ms, item, h, done ? "trackdone" : "fwdbtn", false));
      // One play in eight is followed by a skip under 30 s: not a play, never in recently-played.
      if ((h & 7) == 0) {
        int skippedItem = Math.floorMod((int) (h >>> 8), truth.catalog.playableTrackCount);
        long skipMs = 2_000 + Long.remainderUnsigned(h >>> 20, 25_000);
        streams.add(
            music(
                truth.playedAtMs[i] / 1000 * 1000 + skipMs / 1000 * 1000 + 1000,
                skipMs,
                skippedItem,
                h,
                "fwdbtn",
                true));
      }
    }
    // A few podcast episodes and an audiobook chapter a day, in the first minutes of the day (the
    // simulated plays leave them free): kept in bronze, never plays.
    long dayStart = truth.catalog.day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long ab = Mix.hash(seed, Mix.hash("audiobook"), user);
    streams.add(
        new Stream(
            dayStart + 30_000,
            1_200_000,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "clickrow",
            "endplay",
            false,
            false,
            PLATFORMS[(int) Long.remainderUnsigned(ab, PLATFORMS.length)],
            "The Long Book",
            "spotify:audiobook:" + Mix.base62Id(ab, Mix.mix(ab)),
            "spotify:chapter:" + Mix.base62Id(Mix.mix(ab), ab),
            "Chapter " + (1 + Long.remainderUnsigned(ab >>> 8, 40))));
    for (int e = 0; e < 2; e++) {
      long h = Mix.hash(seed, Mix.hash("episode"), user, e);
      String show = SHOWS[(int) Long.remainderUnsigned(h, SHOWS.length)];
      streams.add(
          new Stream(
              dayStart + 60_000 + e * 1_000,
              600_000 + Long.remainderUnsigned(h >>> 8, 1_800_000),
              null,
              null,
              null,
              null,
              show + " #" + (1 + Long.remainderUnsigned(h >>> 16, 300)),
              show,
              "spotify:episode:" + Mix.base62Id(h, Mix.mix(h)),
              "clickrow",
              "endplay",
              false,
              false,
              PLATFORMS[(int) Long.remainderUnsigned(h >>> 24, PLATFORMS.length)],
              null,
              null,
              null,
              null));
    }
    streams.sort((a, b) -> Long.compare(a.tsMs(), b.tsMs()));
    return streams;
  }

  /**
   * A long history for benchmarks: {@code years} of one heavy listener's streams ending on {@code
   * lastDay}, about {@code streamsPerDay} a day (tracks of the seed's catalog, 30 s to the track's
   * length, a skip in eight), written in Spotify's format. Returns how many streams were written.
   */
  public static long writeLongHistory(
      long seed, java.time.LocalDate lastDay, int years, int streamsPerDay, Path folder)
      throws IOException {
    SimWorld world =
        SimWorld.generate(
            SimulatorConfig.defaults().withSeed(seed).withPlaysPerDay(1).withUsers(1));
    Catalog c = world.catalog;
    java.util.SplittableRandom r = new java.util.SplittableRandom(Mix.hash(seed, Mix.hash("long")));
    HistoryExport shapes = new HistoryExport(world.truth, seed, DEFAULT_SPLIT_BYTES);
    List<Stream> streams = new ArrayList<>();
    java.time.LocalDate first = lastDay.minusYears(years).plusDays(1);
    for (java.time.LocalDate d = first; !d.isAfter(lastDay); d = d.plusDays(1)) {
      long clock = d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + 7 * 3_600_000L;
      int n = streamsPerDay / 2 + r.nextInt(streamsPerDay + 1);
      for (int k = 0; k < n; k++) {
        int item = c.popularTrack(r);
        long h = r.nextLong();
        boolean skip = (h & 7) == 0;
        long ms =
            skip
                ? 2_000 + r.nextInt(25_000)
                : Math.max(30_000, c.durationMs(item) - r.nextInt(20_000));
        clock += ms + r.nextInt(5_000);
        streams.add(
            shapes.music(clock / 1000 * 1000, ms, item, h, skip ? "fwdbtn" : "trackdone", skip));
      }
    }
    Files.createDirectories(folder);
    writeFiles(streams, folder, DEFAULT_SPLIT_BYTES);
    return streams.size();
  }

  private Stream music(long tsMs, long ms, int item, long h, String reasonEnd, boolean skipped) {
    Catalog c = truth.catalog;
    String track;
    String artist;
    String album;
    if (item >= 0) {
      track = c.trackNames[item];
      artist = c.artistNames[c.trackArtists[c.trackArtistStart[item]]];
      album = c.albumNames[c.trackAlbum[item]];
    } else {
      Catalog.LocalFile f = c.localFiles[-1 - item];
      track = f.title();
      artist = f.artist();
      album = f.album();
    }
    return new Stream(
        tsMs,
        ms,
        track,
        artist,
        album,
        c.trackUri(item),
        null,
        null,
        null,
        STARTS[(int) Long.remainderUnsigned(h >>> 30, STARTS.length)],
        reasonEnd,
        ((h >>> 40) & 3) == 0,
        skipped,
        PLATFORMS[(int) Long.remainderUnsigned(h >>> 24, PLATFORMS.length)],
        null,
        null,
        null,
        null);
  }

  /**
   * Writes {@code streams} (ordered by ts) as audio files split by year and by {@code splitBytes},
   * plus an empty video file, as Spotify names them.
   */
  static void writeFiles(List<Stream> streams, Path folder, long splitBytes) throws IOException {
    JsonFactory json = new JsonFactory();
    List<byte[]> current = new ArrayList<>();
    long currentBytes = 0;
    int currentYear = -1;
    int firstYear = -1;
    int lastYear = -1;
    int fileNumber = 0;
    for (Stream s : streams) {
      int year = Instant.ofEpochMilli(s.tsMs()).atZone(ZoneOffset.UTC).getYear();
      byte[] bytes = render(json, s);
      if (!current.isEmpty()
          && (year != currentYear || currentBytes + bytes.length + 2 > splitBytes)) {
        flush(folder, current, currentYear, fileNumber++);
        current.clear();
        currentBytes = 0;
      }
      current.add(bytes);
      currentBytes += bytes.length + 2;
      currentYear = year;
      firstYear = firstYear < 0 ? year : firstYear;
      lastYear = year;
    }
    if (!current.isEmpty()) {
      flush(folder, current, currentYear, fileNumber);
    }
    String years = firstYear < 0 ? "2024" : firstYear + "-" + lastYear;
    Files.writeString(folder.resolve(VIDEO_PREFIX + years + ".json"), "[]");
  }

  private static void flush(Path folder, List<byte[]> streams, int year, int number)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('[');
    for (int i = 0; i < streams.size(); i++) {
      out.write(i == 0 ? "\n".getBytes() : ",\n".getBytes());
      out.write(streams.get(i));
    }
    out.write("\n]".getBytes());
    Files.write(folder.resolve(AUDIO_PREFIX + year + "_" + number + ".json"), out.toByteArray());
  }

  private static byte[] render(JsonFactory json, Stream s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(640);
    try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField(TS, formatTs(Instant.ofEpochMilli(s.tsMs())));
      g.writeStringField(PLATFORM, s.platform());
      g.writeNumberField(MS_PLAYED, s.msPlayed());
      g.writeStringField(CONN_COUNTRY, "DE");
      g.writeStringField(IP_ADDR, "203.0.113." + (1 + (s.tsMs() / 1000) % 250));
      g.writeStringField(TRACK_NAME, s.trackName());
      g.writeStringField(ARTIST_NAME, s.artistName());
      g.writeStringField(ALBUM_NAME, s.albumName());
      g.writeStringField(TRACK_URI, s.trackUri());
      g.writeStringField(EPISODE_NAME, s.episodeName());
      g.writeStringField(EPISODE_SHOW_NAME, s.showName());
      g.writeStringField(EPISODE_URI, s.episodeUri());
      g.writeStringField(AUDIOBOOK_TITLE, s.audiobookTitle());
      g.writeStringField(AUDIOBOOK_URI, s.audiobookUri());
      g.writeStringField(AUDIOBOOK_CHAPTER_URI, s.chapterUri());
      g.writeStringField(AUDIOBOOK_CHAPTER_TITLE, s.chapterTitle());
      g.writeStringField(REASON_START, s.reasonStart());
      g.writeStringField(REASON_END, s.reasonEnd());
      g.writeBooleanField(SHUFFLE, s.shuffle());
      g.writeBooleanField(SKIPPED, s.skipped());
      g.writeBooleanField(OFFLINE, false);
      g.writeNumberField(OFFLINE_TIMESTAMP, s.tsMs() / 1000 - s.msPlayed() / 1000);
      g.writeBooleanField(INCOGNITO_MODE, false);
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}
