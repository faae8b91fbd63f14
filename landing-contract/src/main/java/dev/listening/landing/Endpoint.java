package dev.listening.landing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The API endpoints the extractor lands, by the name each has in the landing: the first path
 * segment under the landing root and the {@code endpoint} field of every envelope.
 */
public enum Endpoint {
  /** {@code GET /me/player/recently-played}: one cursor page of a user's play history. */
  RECENTLY_PLAYED,
  /** {@code GET /tracks/{id}} or {@code /tracks?ids=}. */
  TRACKS,
  /** {@code GET /albums/{id}} or {@code /albums?ids=}. */
  ALBUMS,
  /** {@code GET /artists/{id}} or {@code /artists?ids=}. */
  ARTISTS,
  /** {@code GET /browse/new-releases?country=}: the page is nested under {@code albums}. */
  NEW_RELEASES,
  /** {@code GET /playlists/{id}/items}. */
  PLAYLIST_ITEMS,
  /**
   * {@code GET /albums/{id}/tracks}: one page of an album's track list (simplified tracks); the
   * album's id is in the request's {@link Envelope#PARAM_ID}, the page's place in {@code offset}.
   */
  ALBUM_TRACKS,
  /**
   * Not an API endpoint: one stream of a user's "Extended streaming history" export, imported by
   * the extractor's {@code import-history}. See {@link StreamingHistory} for its layout.
   */
  STREAMING_HISTORY;

  /**
   * What the extractor's look-ups command lands: object look-ups and album track lists. Jobs that
   * take endpoint lists accept {@link #LOOKUPS_GROUP} for it, so no caller spells it out.
   */
  public static final List<Endpoint> LOOKUPS = List.of(TRACKS, ALBUMS, ARTISTS, ALBUM_TRACKS);

  /** The name of {@link #LOOKUPS} in an endpoint list (e.g. the bronze job's --endpoints). */
  public static final String LOOKUPS_GROUP = "lookups";

  /** The landing name, e.g. "recently_played". */
  public String landingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The endpoint of a landing name, e.g. "recently_played"; names every valid one when wrong. */
  public static Endpoint fromLandingName(String name) {
    for (Endpoint e : values()) {
      if (e.landingName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "'" + name + "' is not a landing endpoint (one of: " + allNames() + ")");
  }

  /** "recently_played, tracks, ...": for messages. */
  public static String allNames() {
    return Arrays.stream(values()).map(Endpoint::landingName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return landingName();
  }
}
