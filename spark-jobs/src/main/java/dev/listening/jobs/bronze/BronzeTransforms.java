package dev.listening.jobs.bronze;

import static org.apache.spark.sql.functions.*;

import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import dev.listening.landing.StreamingHistory;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * Landing lines to bronze records: pure functions of DataFrames, so tests can feed them
 * hand-written JSON. Every line is parsed with the endpoint's declared schema; a line that is not a
 * valid envelope, or a record that breaks the schema's rules, goes to quarantine with the reason
 * and the raw line, never silently away.
 *
 * <p>Input columns: {@code value} (the landing line), {@code landing_file}, {@code date} (the
 * landing date partition, a string). Normalisation: timestamps are UTC instants; a release date
 * becomes a DATE plus its precision and the raw text, so "1981" and "1981-12" are not lost; local
 * files keep their uri with null ids; artists keep their order as a 1-based position.
 */
public final class BronzeTransforms {
  private BronzeTransforms() {}

  /** Good records and quarantined ones. */
  public record Split(Dataset<Row> records, Dataset<Row> quarantine) {}

  private static final String ISO_INSTANT = "yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX";

  /** An ISO-8601 instant with an offset ("2026-11-20T15:43:33.750Z"), or null. */
  public static Column utcTimestamp(Column text) {
    return to_timestamp(text, ISO_INSTANT);
  }

  /**
   * A release date as a DATE: "1981" (year) as 1981-01-01, "1981-12" (month) as 1981-12-01,
   * "1981-12-15" (day) as itself. Null when the text does not match its precision.
   */
  public static Column releaseDate(Column raw, Column precision) {
    Column p =
        coalesce(
            precision,
            when(length(raw).equalTo(4), lit("year"))
                .when(length(raw).equalTo(7), lit("month"))
                .otherwise(lit("day")));
    return when(p.equalTo("year").and(raw.rlike("^\\d{4}$")), to_date(concat(raw, lit("-01-01"))))
        .when(
            p.equalTo("month").and(raw.rlike("^\\d{4}-\\d{2}$")), to_date(concat(raw, lit("-01"))))
        .when(
            p.equalTo("day").and(raw.rlike("^\\d{4}-\\d{2}-\\d{2}$")), to_date(raw, "yyyy-MM-dd"));
  }

  /** Artists in their given order, as (position, artist_id, artist_uri, artist_name). */
  static Column artists(Column array) {
    return transform(
        array,
        (a, i) ->
            struct(
                i.plus(1).cast("int").as("position"),
                a.getField("id").as("artist_id"),
                a.getField("uri").as("artist_uri"),
                a.getField("name").as("artist_name")));
  }

  /** A track object's columns, named {@code prefix + field}. */
  static List<Column> trackColumns(Column t, String prefix) {
    Column album = t.getField("album");
    List<Column> cols = new ArrayList<>();
    cols.add(t.getField("id").as(prefix + "id"));
    cols.add(t.getField("uri").as(prefix + "uri"));
    cols.add(t.getField("name").as(prefix + "name"));
    cols.add(t.getField("duration_ms").as(prefix + "duration_ms"));
    cols.add(t.getField("explicit").as(prefix + "explicit"));
    cols.add(coalesce(t.getField("is_local"), lit(false)).as(prefix + "is_local"));
    cols.add(t.getField("popularity").as(prefix + "popularity"));
    cols.add(t.getField("external_ids").getField("isrc").as(prefix + "isrc"));
    cols.add(t.getField("disc_number").as(prefix + "disc_number"));
    cols.add(t.getField("track_number").as(prefix + "track_number"));
    // Null (not -1) when a development-mode app gets no available_markets.
    cols.add(
        when(t.getField("available_markets").isNotNull(), size(t.getField("available_markets")))
            .as(prefix + "market_count"));
    cols.addAll(albumColumns(album, prefix + "album_"));
    cols.add(artists(t.getField("artists")).as("artists"));
    return cols;
  }

  /**
   * A simplified track's columns (album pages list these), named {@code prefix + field}, and its
   * artists.
   */
  static List<Column> simplifiedTrackColumns(Column t, String prefix) {
    return List.of(
        t.getField("id").as(prefix + "id"),
        t.getField("uri").as(prefix + "uri"),
        t.getField("name").as(prefix + "name"),
        t.getField("duration_ms").as(prefix + "duration_ms"),
        t.getField("explicit").as(prefix + "explicit"),
        coalesce(t.getField("is_local"), lit(false)).as(prefix + "is_local"),
        t.getField("disc_number").as(prefix + "disc_number"),
        t.getField("track_number").as(prefix + "track_number"),
        when(t.getField("available_markets").isNotNull(), size(t.getField("available_markets")))
            .as(prefix + "market_count"),
        artists(t.getField("artists")).as("artists"));
  }

  /**
   * The tracks a paging object of an album's tracks holds, each with its 1-based position on the
   * album (the page's offset plus its place on the page).
   */
  static Column albumTrackItems(Column page) {
    return transform(
        page.getField("items"),
        (t, i) -> {
          List<Column> fields = new ArrayList<>();
          fields.add(
              coalesce(page.getField("offset"), lit(0)).plus(i).plus(1).cast("int").as("position"));
          fields.addAll(simplifiedTrackColumns(t, "track_"));
          return struct(fields.toArray(Column[]::new));
        });
  }

  /** A (simplified) album object's columns. */
  static List<Column> albumColumns(Column a, String prefix) {
    Column raw = a.getField("release_date");
    Column precision = a.getField("release_date_precision");
    return List.of(
        a.getField("id").as(prefix + "id"),
        a.getField("uri").as(prefix + "uri"),
        a.getField("name").as(prefix + "name"),
        a.getField("album_type").as(prefix + "type"),
        releaseDate(raw, precision).as(prefix + "release_date"),
        precision.as(prefix + "release_date_precision"),
        raw.as(prefix + "release_date_raw"),
        a.getField("total_tracks").as(prefix + "total_tracks"),
        artists(a.getField("artists")).as(prefix + "artists"));
  }

  /**
   * A page's record array (plays, playlist items, releases, a look-up batch): the envelope schema,
   * where the array sits in it, and so its elements' declared type.
   */
  record Records(StructType envelope, List<String> path) {
    Records(StructType envelope, String... path) {
      this(envelope, List.of(path));
    }

    /** The declared type of one record (with its corrupt-record field). */
    StructType element() {
      return (StructType) ((ArrayType) WrongTypes.at(envelope, path)).elementType();
    }

    /** The array in a parsed envelope. */
    Column in(Column e) {
      Column c = e;
      for (String field : path) {
        c = c.getField(field);
      }
      return c;
    }

    /** Why a record breaks its declared type, naming the field; null when it does not. */
    Column broken(Column record) {
      Column corrupt = record.getField(LandingSchemas.CORRUPT);
      return when(
          corrupt.isNotNull(),
          concat(lit("breaks the declared schema: "), WrongTypes.reason(corrupt, element())));
    }

    /** How many records a page (raw line) holds, counting an unreadable page as one. */
    Column count(Column rawLine) {
      return greatest(
              lit(1),
              coalesce(
                  json_array_length(get_json_object(rawLine, "$." + String.join(".", path))),
                  lit(1)))
          .cast("long");
    }
  }

  /**
   * Parses landing lines with the endpoint's schema, one row per line: the envelope {@code e}, what
   * is wrong with it ({@code problem}, null when nothing is), and the raw line, kept only for lines
   * that will be quarantined (wholly or for one of their items) so that caching the parsed lines
   * stays cheap.
   *
   * <p>A line that breaks the schema is parsed again with its records as raw JSON text, each then
   * parsed on its own: when the break is inside records, only those records are quarantined (see
   * {@link Records#broken}) and the page's good ones kept. Only broken lines pay for this.
   *
   * @param lineProblem endpoint-specific envelope checks, given the shared ones' result
   * @param anyItemProblem whether some item of the line breaks the rules (null: items are not
   *     checked)
   */
  static Dataset<Row> parse(
      Dataset<Row> lines,
      Endpoint endpoint,
      Records records,
      java.util.function.UnaryOperator<Column> lineProblem,
      Column anyItemProblem) {
    StructType asText = WrongTypes.withRecordsAsText(records.envelope(), records.path());
    Column whole = WrongTypes.parse(col("value"), records.envelope());
    Column pieces = WrongTypes.parse(col("value"), asText);
    Column salvaged =
        pieces.withField(
            String.join(".", records.path()),
            transform(records.in(pieces), r -> WrongTypes.parse(r, records.element())));
    // The whole line is parsed in a projection of its own: written into the choice below, it
    // would be parsed once for the condition and again for the otherwise.
    Column e =
        when(
                col("e")
                    .getField(LandingSchemas.CORRUPT)
                    .isNotNull()
                    .and(pieces.getField(LandingSchemas.CORRUPT).isNull()),
                salvaged)
            .otherwise(col("e"));
    Column shared =
        envelopeProblem(endpoint, asText)
            .when(envelope(Envelope.HTTP_STATUS).isNull(), lit("no http_status (or not a number)"));
    Dataset<Row> parsed =
        lines
            .select(col("value"), col("landing_file"), col("date"), whole.as("e"))
            .withColumn("e", e)
            .withColumn("problem", shared);
    parsed = parsed.withColumn("problem", lineProblem.apply(col("problem")));
    Column keepRaw =
        anyItemProblem == null
            ? col("problem").isNotNull()
            : col("problem").isNotNull().or(coalesce(anyItemProblem, lit(false)));
    return parsed.select(
        when(keepRaw, col("value")).as("raw_line"),
        col("landing_file"),
        col("date"),
        col("e"),
        col("problem"));
  }

  /**
   * The first problem of a parsed envelope ({@code e}) that every endpoint shares: not an envelope,
   * a break of the declared {@code schema}, another endpoint's envelope, no readable fetched_at, no
   * run_id; null when none. Callers append their endpoint's own checks.
   */
  private static Column envelopeProblem(Endpoint endpoint, StructType schema) {
    Column corrupt = col("e").getField(LandingSchemas.CORRUPT).isNotNull();
    return when(corrupt.and(WrongTypes.notAnObject(col("value"))), lit(NOT_AN_ENVELOPE))
        .when(
            corrupt,
            concat(lit("breaks the declared schema: "), WrongTypes.reason(col("value"), schema)))
        .when(
            envelope(Envelope.ENDPOINT)
                .notEqual(lit(endpoint.landingName()))
                .or(envelope(Envelope.ENDPOINT).isNull()),
            concat(
                lit("envelope of endpoint '"),
                coalesce(envelope(Envelope.ENDPOINT), lit("null")),
                lit("' in a file under " + endpoint + "/")))
        .when(
            utcTimestamp(envelope(Envelope.FETCHED_AT)).isNull(),
            concat(
                lit("fetched_at '"),
                coalesce(excerpt(envelope(Envelope.FETCHED_AT)), lit("null")),
                lit("' is not an ISO-8601 timestamp")))
        .when(envelope(Envelope.RUN_ID).isNull(), lit("no run_id"));
  }

  /** The reason of a line that is not a JSON object at all. */
  public static final String NOT_AN_ENVELOPE =
      "not a landing envelope (not a JSON object: unparseable, truncated, or nested too deep)";

  /** A value quoted in a reason: its first 40 characters (a reason stays a line, not 10 MB). */
  private static Column excerpt(Column text) {
    return when(length(text).gt(40), concat(substring(text, 1, 40), lit("…"))).otherwise(text);
  }

  /** A field of the parsed envelope (see {@link Envelope} for the names). */
  private static Column envelope(String field) {
    return col("e").getField(field);
  }

  /** The API page inside the envelope. */
  private static Column response() {
    return envelope(Envelope.RESPONSE);
  }

  /** A request parameter the extractor recorded in the envelope. */
  private static Column param(String name) {
    return envelope(Envelope.REQUEST).getField(Envelope.REQUEST_PARAMS).getItem(name);
  }

  /**
   * Quarantine rows: one per broken page or record, with the number of records it stands for (a
   * whole page counts its items) so that shares are shares of records.
   */
  private static Dataset<Row> quarantine(
      Dataset<Row> rows, Endpoint endpoint, Column reason, Column itemIndex, Column records) {
    return rows.select(
        lit(endpoint.landingName()).as("endpoint"),
        reason.as("reason"),
        itemIndex.cast("int").as("item_index"),
        records.cast("long").as("records"),
        col("raw_line"),
        col("landing_file"),
        envelope(Envelope.RUN_ID).as("run_id"),
        col("date").cast("date").as("date"));
  }

  /** Envelope checks of a paged endpoint: 200 pages with an items array only. */
  private static Column pageProblem(Column problem, Column items) {
    return when(problem.isNotNull(), problem)
        .when(
            envelope(Envelope.HTTP_STATUS).notEqual(200),
            concat(
                lit("an HTTP "),
                envelope(Envelope.HTTP_STATUS).cast("string"),
                lit(" page: only 200 pages hold records")))
        .when(response().isNull(), lit("no response"))
        .when(items.isNull(), lit("response has no items array"));
  }

  private static List<Column> lineage() {
    return List.of(
        utcTimestamp(envelope(Envelope.FETCHED_AT)).as("fetched_at"),
        envelope(Envelope.RUN_ID).as("run_id"),
        envelope(Envelope.APP_MODE).as("app_mode"),
        col("landing_file"),
        col("date").cast("date").as("date"));
  }

  // ---- recently played -------------------------------------------------------------------

  static final Records PLAYS =
      new Records(LandingSchemas.RECENTLY_PLAYED, Envelope.RESPONSE, "items");

  private static Column playProblem(Column item) {
    Column track = item.getField("track");
    return when(PLAYS.broken(item).isNotNull(), PLAYS.broken(item))
        .when(item.getField("played_at").isNull(), lit("play without played_at"))
        .when(
            utcTimestamp(item.getField("played_at")).isNull(),
            concat(
                lit("played_at '"),
                excerpt(item.getField("played_at")),
                lit("' is not an ISO-8601 UTC timestamp")))
        .when(track.isNull(), lit("play without a track"))
        .when(track.getField("uri").isNull(), lit("track without uri"))
        .when(
            track
                .getField("id")
                .isNull()
                .and(not(coalesce(track.getField("is_local"), lit(false)))),
            lit("catalog track (is_local false) without id"));
  }

  public static Dataset<Row> parsePlays(Dataset<Row> lines) {
    Column items = PLAYS.in(col("e"));
    return parse(
        lines,
        Endpoint.RECENTLY_PLAYED,
        PLAYS,
        p ->
            when(p.isNull().and(envelope(Envelope.USER_KEY).isNull()), lit("no user_key"))
                .otherwise(pageProblem(p, items)),
        exists(items, i -> playProblem(i).isNotNull()));
  }

  /** recently_played lines (parsed) to one row per play. */
  public static Split plays(Dataset<Row> parsed) {
    Dataset<Row> badPages =
        quarantine(
            parsed.filter(col("problem").isNotNull()),
            Endpoint.RECENTLY_PLAYED,
            col("problem"),
            lit(null),
            PLAYS.count(col("raw_line")));
    // Only the items are exploded: the rest of the parsed page is cut down to the envelope fields
    // the rows keep before the explode, which would otherwise copy it into every play's row. The
    // pages with a problem are not filtered out before the explode: Spark would push that filter
    // below the parse and parse every line twice. Their items carry the page's problem instead,
    // and fall out with the broken items. (Choosing the array to explode by the problem trips
    // Spark 3.5's nested-field pruning through the explode.)
    Column envelopeKept =
        struct(
            envelope(Envelope.USER_KEY).as(Envelope.USER_KEY),
            envelope(Envelope.FETCHED_AT).as(Envelope.FETCHED_AT),
            envelope(Envelope.RUN_ID).as(Envelope.RUN_ID),
            envelope(Envelope.APP_MODE).as(Envelope.APP_MODE));
    Dataset<Row> items =
        parsed
            .select(
                col("raw_line"),
                col("landing_file"),
                col("date"),
                envelopeKept.as("e"),
                col("problem"),
                posexplode(PLAYS.in(col("e"))).as(new String[] {"item_index", "item"}))
            .withColumn("item_problem", coalesce(col("problem"), playProblem(col("item"))));
    Dataset<Row> badItems =
        quarantine(
            items.filter(col("problem").isNull().and(col("item_problem").isNotNull())),
            Endpoint.RECENTLY_PLAYED,
            col("item_problem"),
            col("item_index"),
            lit(1));
    List<Column> out = new ArrayList<>();
    out.add(envelope(Envelope.USER_KEY).as("user_key"));
    out.add(utcTimestamp(col("item.played_at")).as("played_at"));
    out.addAll(trackColumns(col("item.track"), "track_"));
    out.add(col("item.context.type").as("context_type"));
    out.add(col("item.context.uri").as("context_uri"));
    out.add(col("item_index").cast("int").as("item_index"));
    out.addAll(lineage());
    Dataset<Row> records =
        items.filter(col("item_problem").isNull()).select(out.toArray(Column[]::new));
    return new Split(records, badPages.unionByName(badItems));
  }

  // ---- look-ups ------------------------------------------------------------------------

  static final Records TRACK_BATCH =
      new Records(LandingSchemas.TRACKS, Envelope.RESPONSE, "tracks");
  static final Records ALBUM_BATCH =
      new Records(LandingSchemas.ALBUMS, Envelope.RESPONSE, "albums");
  static final Records ARTIST_BATCH =
      new Records(LandingSchemas.ARTISTS, Envelope.RESPONSE, "artists");

  private static Dataset<Row> parseLookups(Dataset<Row> lines, Endpoint endpoint, Records batch) {
    Column status = envelope(Envelope.HTTP_STATUS);
    return parse(
        lines,
        endpoint,
        batch,
        p ->
            when(p.isNotNull(), p)
                .when(
                    not(status.isin(200, 400, 404)),
                    concat(
                        lit("an HTTP "),
                        status.cast("string"),
                        lit(" answer: only 200, 400 (malformed id) and 404 are look-up results")))
                .when(
                    status.equalTo(200).and(response().isNull()),
                    lit("a 200 answer without a body"))
                .when(
                    param(Envelope.PARAM_IDS).isNull().and(param(Envelope.PARAM_ID).isNull()),
                    lit("request names no id (params.id or params.ids)")),
        exists(batch.in(col("e")), o -> batch.broken(o).isNotNull()));
  }

  public static Dataset<Row> parseTrackLookups(Dataset<Row> lines) {
    return parseLookups(lines, Endpoint.TRACKS, TRACK_BATCH);
  }

  public static Dataset<Row> parseAlbumLookups(Dataset<Row> lines) {
    return parseLookups(lines, Endpoint.ALBUMS, ALBUM_BATCH);
  }

  public static Dataset<Row> parseArtistLookups(Dataset<Row> lines) {
    return parseLookups(lines, Endpoint.ARTISTS, ARTIST_BATCH);
  }

  /**
   * Look-up answers (a batch {"tracks": [...]} answering the ids asked for in order, a single
   * object, or a 404) to one row per id asked for, with {@code found}: an id that was looked up and
   * is unknown is a fact too, so that it is not asked for again.
   */
  private static Split lookups(
      Dataset<Row> parsed,
      Endpoint endpoint,
      Records records,
      java.util.function.Function<Column, List<Column>> columns) {
    Column status = envelope(Envelope.HTTP_STATUS);
    Dataset<Row> bad =
        quarantine(
            parsed.filter(col("problem").isNotNull()),
            endpoint,
            col("problem"),
            lit(null),
            records.count(col("raw_line")));
    Dataset<Row> ok = parsed.filter(col("problem").isNull());
    Column array = records.in(col("e"));
    Dataset<Row> batch =
        ok.filter(array.isNotNull())
            .select(col("*"), posexplode(array).as(new String[] {"item_index", "obj"}))
            .withColumn(
                "requested_id",
                element_at(split(param(Envelope.PARAM_IDS), ","), col("item_index").plus(1)))
            .withColumn("item_problem", records.broken(col("obj")));
    Dataset<Row> badItems =
        quarantine(
            batch.filter(col("item_problem").isNotNull()),
            endpoint,
            col("item_problem"),
            col("item_index"),
            lit(1));
    batch = batch.filter(col("item_problem").isNull()).drop("item_problem");
    Dataset<Row> single =
        ok.filter(array.isNull())
            .select(
                col("*"), lit(0).as("item_index"), when(status.equalTo(200), response()).as("obj"))
            .withColumn("requested_id", param(Envelope.PARAM_ID));
    List<Column> out = new ArrayList<>();
    out.add(col("requested_id"));
    out.add(col("obj").isNotNull().and(col("obj.id").isNotNull()).as("found"));
    out.addAll(columns.apply(col("obj")));
    out.add(status.as("http_status"));
    out.addAll(lineage());
    Column[] select = out.toArray(Column[]::new);
    return new Split(
        batch.select(select).unionByName(single.select(select)), bad.unionByName(badItems));
  }

  public static Split trackLookups(Dataset<Row> parsed) {
    return lookups(parsed, Endpoint.TRACKS, TRACK_BATCH, t -> trackColumns(t, "track_"));
  }

  public static Split albumLookups(Dataset<Row> parsed) {
    return lookups(
        parsed,
        Endpoint.ALBUMS,
        ALBUM_BATCH,
        a -> {
          List<Column> cols = new ArrayList<>(albumColumns(a, "album_"));
          cols.add(a.getField("label").as("album_label"));
          cols.add(a.getField("popularity").as("album_popularity"));
          cols.add(a.getField("genres").as("album_genres"));
          cols.add(a.getField("external_ids").getField("upc").as("album_upc"));
          // Every album object carries the first page of its tracks (up to 50).
          cols.add(a.getField("tracks").getField("total").as("album_tracks_total"));
          cols.add(albumTrackItems(a.getField("tracks")).as("album_track_items"));
          return cols;
        });
  }

  public static Split artistLookups(Dataset<Row> parsed) {
    return lookups(
        parsed,
        Endpoint.ARTISTS,
        ARTIST_BATCH,
        a ->
            List.of(
                a.getField("id").as("artist_id"),
                a.getField("uri").as("artist_uri"),
                a.getField("name").as("artist_name"),
                a.getField("genres").as("artist_genres"),
                a.getField("popularity").as("artist_popularity"),
                a.getField("followers").getField("total").as("artist_followers")));
  }

  // ---- album track lists ---------------------------------------------------------------

  static final Records ALBUM_TRACK_PAGE =
      new Records(LandingSchemas.ALBUM_TRACKS, Envelope.RESPONSE, "items");

  public static Dataset<Row> parseAlbumTracks(Dataset<Row> lines) {
    Column status = envelope(Envelope.HTTP_STATUS);
    return parse(
        lines,
        Endpoint.ALBUM_TRACKS,
        ALBUM_TRACK_PAGE,
        p ->
            when(p.isNotNull(), p)
                .when(
                    not(status.isin(200, 400, 404)),
                    concat(
                        lit("an HTTP "),
                        status.cast("string"),
                        lit(" answer: only 200, 400 (malformed id) and 404 are album track lists")))
                .when(
                    status.equalTo(200).and(response().getField("items").isNull()),
                    lit("a 200 answer without an items array"))
                .when(param(Envelope.PARAM_ID).isNull(), lit("request names no album (params.id)")),
        exists(ALBUM_TRACK_PAGE.in(col("e")), t -> ALBUM_TRACK_PAGE.broken(t).isNotNull()));
  }

  /**
   * Album-tracks pages to one row per track, with its 1-based position on the album and the album's
   * number of tracks ({@code total}); an album that is unknown (404) or malformed (400) is one row
   * with {@code found} false, so it is not asked for again.
   */
  public static Split albumTracks(Dataset<Row> parsed) {
    Column status = envelope(Envelope.HTTP_STATUS);
    Dataset<Row> bad =
        quarantine(
            parsed.filter(col("problem").isNotNull()),
            Endpoint.ALBUM_TRACKS,
            col("problem"),
            lit(null),
            ALBUM_TRACK_PAGE.count(col("raw_line")));
    Dataset<Row> ok = parsed.filter(col("problem").isNull());
    // Positions come from the page (offset + index), so a quarantined track moves no other one.
    Dataset<Row> exploded =
        ok.filter(status.equalTo(200))
            .select(
                col("*"),
                posexplode(albumTrackItems(response())).as(new String[] {"item_index", "t"}),
                lit(true).as("found"))
            .withColumn(
                "item_problem",
                ALBUM_TRACK_PAGE.broken(
                    element_at(ALBUM_TRACK_PAGE.in(col("e")), col("item_index").plus(1))));
    Dataset<Row> badItems =
        quarantine(
            exploded.filter(col("item_problem").isNotNull()),
            Endpoint.ALBUM_TRACKS,
            col("item_problem"),
            col("item_index"),
            lit(1));
    Dataset<Row> tracks =
        exploded.filter(col("item_problem").isNull()).drop("item_index", "item_problem");
    Dataset<Row> unknown =
        ok.filter(status.notEqual(200))
            // An error page has no items: one row with no track.
            .select(
                col("*"),
                explode_outer(albumTrackItems(response())).as("t"),
                lit(false).as("found"));
    List<Column> out = new ArrayList<>();
    out.add(param(Envelope.PARAM_ID).as("album_id"));
    out.add(col("found"));
    out.add(when(col("found"), response().getField("total")).as("album_tracks_total"));
    out.add(col("t.position").as("position"));
    for (String f :
        List.of(
            "track_id",
            "track_uri",
            "track_name",
            "track_duration_ms",
            "track_explicit",
            "track_is_local",
            "track_disc_number",
            "track_track_number",
            "track_market_count",
            "artists")) {
      out.add(col("t." + f).as(f));
    }
    out.add(status.as("http_status"));
    out.addAll(lineage());
    Column[] select = out.toArray(Column[]::new);
    return new Split(
        tracks.select(select).unionByName(unknown.select(select)), bad.unionByName(badItems));
  }

  // ---- new releases and playlist items -------------------------------------------------

  static final Records RELEASES =
      new Records(LandingSchemas.NEW_RELEASES, Envelope.RESPONSE, "albums", "items");

  public static Dataset<Row> parseNewReleases(Dataset<Row> lines) {
    Column items = RELEASES.in(col("e"));
    return parse(
        lines,
        Endpoint.NEW_RELEASES,
        RELEASES,
        p ->
            when(
                    p.isNull().and(param("country").isNull()),
                    lit("request names no market (params.country)"))
                .otherwise(pageProblem(p, items)),
        exists(items, a -> RELEASES.broken(a).isNotNull()));
  }

  /** New-release pages to one row per album and market, with its 1-based position. */
  public static Split newReleases(Dataset<Row> parsed) {
    Dataset<Row> bad =
        quarantine(
            parsed.filter(col("problem").isNotNull()),
            Endpoint.NEW_RELEASES,
            col("problem"),
            lit(null),
            RELEASES.count(col("raw_line")));
    Dataset<Row> exploded =
        parsed
            .filter(col("problem").isNull())
            .select(
                col("*"),
                posexplode(RELEASES.in(col("e"))).as(new String[] {"item_index", "album"}))
            .withColumn("item_problem", RELEASES.broken(col("album")));
    Dataset<Row> badItems =
        quarantine(
            exploded.filter(col("item_problem").isNotNull()),
            Endpoint.NEW_RELEASES,
            col("item_problem"),
            col("item_index"),
            lit(1));
    List<Column> out = new ArrayList<>();
    out.add(param("country").as("market"));
    out.add(
        coalesce(response().getField("albums").getField("offset"), lit(0))
            .plus(col("item_index"))
            .plus(1)
            .cast("int")
            .as("position"));
    out.addAll(albumColumns(col("album"), "album_"));
    out.addAll(lineage());
    return new Split(
        exploded.filter(col("item_problem").isNull()).select(out.toArray(Column[]::new)),
        bad.unionByName(badItems));
  }

  private static Column playlistTrack(Column it) {
    return coalesce(it.getField("item"), it.getField("track"));
  }

  static final Records PLAYLIST_PAGE =
      new Records(LandingSchemas.PLAYLIST_ITEMS, Envelope.RESPONSE, "items");

  private static Column playlistItemProblem(Column it) {
    return when(PLAYLIST_PAGE.broken(it).isNotNull(), PLAYLIST_PAGE.broken(it))
        .when(playlistTrack(it).isNull(), lit("playlist item without item or track"));
  }

  public static Dataset<Row> parsePlaylistItems(Dataset<Row> lines) {
    Column items = PLAYLIST_PAGE.in(col("e"));
    return parse(
        lines,
        Endpoint.PLAYLIST_ITEMS,
        PLAYLIST_PAGE,
        p ->
            when(
                    p.isNull().and(param(Envelope.PARAM_PLAYLIST_ID).isNull()),
                    lit("request names no playlist (params.playlist_id)"))
                .otherwise(pageProblem(p, items)),
        exists(items, it -> playlistItemProblem(it).isNotNull()));
  }

  /** Playlist pages to one row per item; "item" (2026 shape) or the legacy "track". */
  public static Split playlistItems(Dataset<Row> parsed) {
    Dataset<Row> bad =
        quarantine(
            parsed.filter(col("problem").isNotNull()),
            Endpoint.PLAYLIST_ITEMS,
            col("problem"),
            lit(null),
            PLAYLIST_PAGE.count(col("raw_line")));
    Dataset<Row> items =
        parsed
            .filter(col("problem").isNull())
            .select(
                col("*"),
                posexplode(PLAYLIST_PAGE.in(col("e"))).as(new String[] {"item_index", "it"}))
            .withColumn("item_problem", playlistItemProblem(col("it")));
    Dataset<Row> badItems =
        quarantine(
            items.filter(col("item_problem").isNotNull()),
            Endpoint.PLAYLIST_ITEMS,
            col("item_problem"),
            col("item_index"),
            lit(1));
    Column track = playlistTrack(col("it"));
    List<Column> out = new ArrayList<>();
    out.add(param(Envelope.PARAM_PLAYLIST_ID).as("playlist_id"));
    out.add(envelope(Envelope.USER_KEY).as("user_key"));
    out.add(
        coalesce(response().getField("offset"), lit(0))
            .plus(col("item_index"))
            .plus(1)
            .cast("int")
            .as("position"));
    out.add(utcTimestamp(col("it.added_at")).as("added_at"));
    out.add(col("it.added_by.id").as("added_by"));
    out.add(track.getField("type").as("item_type"));
    out.addAll(trackColumns(track, "track_"));
    out.addAll(lineage());
    return new Split(
        items.filter(col("item_problem").isNull()).select(out.toArray(Column[]::new)),
        bad.unionByName(badItems));
  }

  // ---- streaming history (imported exports) ---------------------------------------------

  /**
   * streaming_history lines: one envelope per stream, parsed with the declared {@link
   * LandingSchemas#STREAMING_HISTORY}; a line that is not an envelope of the endpoint, breaks the
   * schema or has no readable ts, user or ms_played is quarantined.
   */
  public static Dataset<Row> parseStreams(Dataset<Row> lines) {
    StructType schema = LandingSchemas.STREAMING_HISTORY;
    Column ts = envelope(Envelope.RESPONSE).getField(StreamingHistory.TS);
    Column problem =
        envelopeProblem(Endpoint.STREAMING_HISTORY, schema)
            .when(envelope(Envelope.USER_KEY).isNull(), lit("no user_key"))
            .when(envelope(Envelope.RESPONSE).isNull(), lit("no response"))
            .when(ts.isNull(), lit("stream without ts"))
            .when(
                utcTimestamp(ts).isNull(),
                concat(lit("ts '"), excerpt(ts), lit("' is not an ISO-8601 UTC timestamp")))
            .when(
                envelope(Envelope.RESPONSE).getField(StreamingHistory.MS_PLAYED).isNull(),
                lit("stream without ms_played"));
    Dataset<Row> parsed =
        lines
            .select(
                col("value"),
                col("landing_file"),
                col("date"),
                WrongTypes.parse(col("value"), schema).as("e"))
            .withColumn("problem", problem);
    return parsed.select(
        when(col("problem").isNotNull(), col("value")).as("raw_line"),
        col("landing_file"),
        col("date"),
        col("e"),
        col("problem"));
  }

  /** What a stream is, from the URI it carries. */
  static Column streamKind(Column s) {
    return when(
            s.getField(StreamingHistory.TRACK_URI).isNotNull(), lit(StreamingHistory.KIND_TRACK))
        .when(
            s.getField(StreamingHistory.EPISODE_URI).isNotNull(),
            lit(StreamingHistory.KIND_EPISODE))
        .when(
            s.getField(StreamingHistory.AUDIOBOOK_CHAPTER_URI)
                .isNotNull()
                .or(s.getField(StreamingHistory.AUDIOBOOK_URI).isNotNull()),
            lit(StreamingHistory.KIND_AUDIOBOOK))
        .otherwise(lit(StreamingHistory.KIND_UNKNOWN));
  }

  /**
   * streaming_history lines (parsed) to one row per stream, every kind kept ({@code kind}: track,
   * episode, audiobook, unknown; gold takes music only). A stream landed twice (a crashed import
   * leaves the old and new part of a day) counts once: key user, ts, uri, ms_played.
   */
  public static Split streams(Dataset<Row> parsed) {
    Dataset<Row> bad =
        quarantine(
            parsed.filter(col("problem").isNotNull()),
            Endpoint.STREAMING_HISTORY,
            col("problem"),
            lit(null),
            lit(1));
    Column s = envelope(Envelope.RESPONSE);
    Column trackUri = s.getField(StreamingHistory.TRACK_URI);
    List<Column> out = new ArrayList<>();
    out.add(envelope(Envelope.USER_KEY).as("user_key"));
    out.add(utcTimestamp(s.getField(StreamingHistory.TS)).as("ts"));
    out.add(s.getField(StreamingHistory.MS_PLAYED).as("ms_played"));
    out.add(streamKind(s).as("kind"));
    out.add(
        coalesce(
                trackUri,
                s.getField(StreamingHistory.EPISODE_URI),
                s.getField(StreamingHistory.AUDIOBOOK_CHAPTER_URI),
                s.getField(StreamingHistory.AUDIOBOOK_URI))
            .as("uri"));
    out.add(trackUri.as("track_uri"));
    out.add(
        when(trackUri.startsWith("spotify:track:"), substring_index(trackUri, ":", -1))
            .as("track_id"));
    out.add(coalesce(trackUri.startsWith("spotify:local:"), lit(false)).as("is_local"));
    out.add(s.getField(StreamingHistory.TRACK_NAME).as("track_name"));
    out.add(s.getField(StreamingHistory.ARTIST_NAME).as("artist_name"));
    out.add(s.getField(StreamingHistory.ALBUM_NAME).as("album_name"));
    out.add(s.getField(StreamingHistory.EPISODE_NAME).as("episode_name"));
    out.add(s.getField(StreamingHistory.EPISODE_SHOW_NAME).as("episode_show_name"));
    out.add(s.getField(StreamingHistory.AUDIOBOOK_TITLE).as("audiobook_title"));
    out.add(s.getField(StreamingHistory.AUDIOBOOK_CHAPTER_TITLE).as("audiobook_chapter_title"));
    for (String f :
        List.of(
            StreamingHistory.REASON_START,
            StreamingHistory.REASON_END,
            StreamingHistory.SHUFFLE,
            StreamingHistory.SKIPPED,
            StreamingHistory.OFFLINE,
            StreamingHistory.OFFLINE_TIMESTAMP,
            StreamingHistory.INCOGNITO_MODE,
            StreamingHistory.PLATFORM,
            StreamingHistory.CONN_COUNTRY)) {
      out.add(s.getField(f).as(f));
    }
    out.add(param(StreamingHistory.PARAM_FILE).as("export_file"));
    out.add(lit(0).as("item_index"));
    out.addAll(lineage());
    Dataset<Row> records =
        parsed
            .filter(col("problem").isNull())
            .select(out.toArray(Column[]::new))
            .withColumn(
                "copy",
                row_number()
                    .over(
                        org.apache.spark.sql.expressions.Window.partitionBy(
                                col("user_key"), col("ts"), col("uri"), col("ms_played"))
                            .orderBy(col("fetched_at"), col("landing_file"))))
            .filter(col("copy").equalTo(1))
            .drop("copy");
    return new Split(records, bad);
  }
}
