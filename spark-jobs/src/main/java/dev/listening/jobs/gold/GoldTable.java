package dev.listening.jobs.gold;

import java.util.Optional;

/**
 * The gold tables the gold job writes: the one list of their names. In BigQuery they are created by
 * Terraform ({@code infrastructure/bigquery/}), partitioned on {@link #partitionColumn()} where
 * there is one; a test compares those definitions with what the job writes.
 */
public enum GoldTable {
  /** One row per user and play; the job replaces the date's partition. */
  FCT_LISTENS("fct_listens", "play_date"),
  DIM_TRACKS("dim_tracks", null),
  DIM_ALBUMS("dim_albums", null),
  DIM_ARTISTS("dim_artists", null),
  BRIDGE_TRACK_ARTISTS("bridge_track_artists", null),
  FCT_NEW_RELEASES("fct_new_releases", "snapshot_date"),
  FCT_PLAYLIST_ITEMS("fct_playlist_items", "snapshot_date"),
  /** The tracks of the day's new releases per market; the job replaces the date's partition. */
  FCT_NEW_RELEASE_TRACKS("fct_new_release_tracks", "snapshot_date"),
  /** The extractor's gap reports, by the day their lost window starts. */
  FCT_POLL_GAPS("fct_poll_gaps", "gap_date"),
  /** What bronze quarantined per landing date, endpoint and reason. */
  FCT_QUARANTINED_RECORDS("fct_quarantined_records", "quarantine_date");

  private final String tableName;
  private final String partitionColumn;

  GoldTable(String tableName, String partitionColumn) {
    this.tableName = tableName;
    this.partitionColumn = partitionColumn;
  }

  /** The table's name in the gold folder or dataset. */
  public String tableName() {
    return tableName;
  }

  /**
   * The date column whose partitions the job replaces (dynamic partition overwrite); empty for
   * tables the job rewrites whole.
   */
  public Optional<String> partitionColumn() {
    return Optional.ofNullable(partitionColumn);
  }
}
