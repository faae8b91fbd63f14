package dev.listening.extractor.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.landing.ShardKeys;
import dev.listening.extractor.state.WatermarkStore.UserState;
import dev.listening.extractor.users.UserCredential;
import dev.listening.landing.AppMode;
import dev.listening.landing.Endpoint;
import dev.listening.landing.RunManifest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls recently-played for every user of this shard, once each, with {@code limit=50} and {@code
 * after} = the older of the watermark and the last poll's time minus a late-arrival lookback (see
 * {@link #after}), lands every page, and advances each user's watermark only after the part holding
 * their page is durable.
 *
 * <p>Why one call per user is enough: Spotify keeps only about the last 50 plays, so a full page
 * already holds everything readable. A full page whose oldest play is newer than the watermark
 * means plays between the two were pushed out of that horizon before this poll: a gap, reported per
 * user with its window. The lookback re-reads plays that became visible late (their played_at is
 * behind the watermark); the duplicates it lands are removed downstream on (user, played_at).
 */
public final class RecentlyPlayedRun extends ExtractionRun {
  private static final Logger log = LoggerFactory.getLogger(RecentlyPlayedRun.class);

  /**
   * @param lateLookback how far behind the watermark each poll reaches for late plays
   * @param startFrom watermark for users with no state yet; null reads whatever is readable
   */
  public record Settings(Duration lateLookback, Instant startFrom) {}

  /** A gap: plays between {@code watermark} and {@code oldestInPage} may be lost. */
  public record Gap(String userKey, Instant watermark, Instant oldestInPage, Instant fetchedAt) {}

  /**
   * What a landed page moves once durable: its user's watermark with the API's time of the poll,
   * and the gap it showed, if any.
   */
  private record Polled(String userKey, Instant watermark, Instant polledAt, Gap gap) {}

  private final Settings settings;
  private final String mode;
  private final List<Gap> gaps = Collections.synchronizedList(new ArrayList<>());
  // Gaps of pages in listed parts, this attempt's and earlier ones': they survive a crash.
  private final List<Map<String, Object>> listedGaps =
      Collections.synchronizedList(new ArrayList<>());
  private PartitionRun landing;
  private Map<String, UserState> states;
  private List<UserCredential> todo;

  public RecentlyPlayedRun(Extraction x, Settings settings) {
    super(x, "recently-played");
    this.settings = settings;
    this.mode = x.modeName(AppMode.EXTENDED);
    summary.appMode(mode);
  }

  @Override
  protected boolean open() throws IOException, InterruptedException {
    landing =
        landing(
            Endpoint.RECENTLY_PLAYED,
            mode,
            new PartitionRun.Committer() {
              @Override
              public void listing(List<Object> tags) {
                listGaps(tags);
              }

              @Override
              public void committed(RunManifest.Part part, List<Object> tags) throws IOException {
                commitWatermarks(part, tags);
              }
            });
    if (landing == null) {
      return alreadyComplete("recently-played");
    }
    Object earlier = landing.earlierDetails().get(RunManifest.DETAIL_GAPS);
    if (earlier instanceof List<?> list) {
      for (Object g : list) {
        if (g instanceof Map<?, ?> m) {
          @SuppressWarnings("unchecked")
          Map<String, Object> gap = (Map<String, Object>) m;
          listedGaps.add(gap);
        }
      }
    }
    List<UserCredential> mine =
        x.keyedUsers(summary.failed).stream()
            .filter(u -> ShardKeys.owns(x.shard(), u.key()))
            .toList();
    states = x.watermarks().load();
    // Users committed by an earlier attempt of this same run are done: resuming skips them.
    todo = mine.stream().filter(u -> !x.runId().equals(lastRun(states.get(u.key())))).toList();
    summary.count("users_in_shard", mine.size());
    summary.count("users_done_by_earlier_attempt", mine.size() - todo.size());
    log.info(
        "recently-played: run {} shard {}: {} users ({} already done by an earlier attempt)",
        x.runId(),
        x.shard(),
        mine.size(),
        mine.size() - todo.size());
    return true;
  }

  @Override
  protected void work() throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(x.concurrency());
    try (Progress progress = x.progress().start("recently-played", todo.size())) {
      List<Future<?>> futures = new ArrayList<>();
      for (UserCredential user : todo) {
        futures.add(
            pool.submit(
                () -> {
                  if (!stopped()) {
                    pollOne(user);
                  }
                  progress.step();
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IOException("landing failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while polling", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The gaps of a part about to be listed join the manifest with it. */
  private void listGaps(List<Object> tags) {
    for (Object tag : tags) {
      Gap g = ((Polled) tag).gap();
      if (g != null) {
        listedGaps.add(
            RunManifest.Gap.of(g.userKey(), g.watermark(), g.oldestInPage(), g.fetchedAt()));
      }
    }
    synchronized (listedGaps) {
      landing.detail(RunManifest.DETAIL_GAPS, List.copyOf(listedGaps));
    }
  }

  @Override
  protected void beforeFinish() {
    synchronized (listedGaps) {
      landing.detail(RunManifest.DETAIL_GAPS, List.copyOf(listedGaps));
    }
    if (!gaps.isEmpty()) {
      log.warn(
          "{} user(s) lost plays to Spotify's 50-play horizon since their last poll (poll more"
              + " often to keep heavy listeners complete): {}",
          summary.gapsByUser.size(),
          summary.gapsByUser().keySet().stream().limit(10).toList());
    }
    landing.detail("users_skipped", summary.skipped());
    landing.detail("users_failed", summary.failed());
  }

  @Override
  protected String failedUnit() {
    return "user(s)";
  }

  private void pollOne(UserCredential user) throws IOException {
    UserState st = states.get(user.key());
    Instant watermark =
        st != null && st.watermark() != null ? st.watermark() : settings.startFrom();
    try {
      Instant from = after(st, watermark, settings.lateLookback());
      Long after = from == null ? null : from.toEpochMilli();
      ApiResponse page = x.client().recentlyPlayed(x.userTokens(user), after);
      if (page.status() != 200) {
        summary.failed.put(
            user.key(), "recently-played answered " + page.status() + ": " + errorMessage(page));
        return;
      }
      int items = page.body().path("items").size();
      List<Instant> playedAt = new ArrayList<>();
      for (JsonNode item : page.body().path("items")) {
        try {
          playedAt.add(Instant.parse(item.path("played_at").asText()));
        } catch (java.time.format.DateTimeParseException e) {
          // Landed as sent all the same: bronze quarantines the play with its raw line.
          log.warn("user {}: a play with an unreadable played_at was landed as is", user.key());
        }
      }
      Instant fetchedAt = page.serverTime() != null ? page.serverTime() : x.clock().instant();
      Instant newest = playedAt.stream().max(Instant::compareTo).orElse(null);
      Instant oldest = playedAt.stream().min(Instant::compareTo).orElse(null);
      Gap gap = null;
      if (watermark != null
          && items == SpotifyClient.RECENTLY_PLAYED_LIMIT
          && oldest != null
          && oldest.isAfter(watermark)) {
        gap = new Gap(user.key(), watermark, oldest, fetchedAt);
        gaps.add(gap);
        summary.gaps.incrementAndGet();
        summary.gapsByUser.merge(user.key(), 1L, Long::sum);
        log.debug(
            "user {}: full page whose oldest play {} is newer than the watermark {}",
            user.key(),
            oldest,
            watermark);
      }
      Instant advanced =
          newest == null || (watermark != null && watermark.isAfter(newest)) ? watermark : newest;
      quarantineMalformed(page, user.key(), mode);
      // Only the API's own clock bounds when a late play appears (see after): without a Date
      // header the next poll falls back to the lookback behind the watermark.
      landing.land(
          envelope(page, user.key(), mode, items),
          new Polled(user.key(), advanced, page.serverTime(), gap));
      summary.pages.incrementAndGet();
      summary.items.addAndGet(items);
    } catch (ApiException.InvalidGrant e) {
      summary.skipped.put(user.key(), x.consentExpired());
      log.warn("user {} skipped: {}", user.key(), e.getMessage());
    } catch (ApiException.StopRun | ApiException.InvalidClient e) {
      stop(e);
    } catch (ApiException e) {
      summary.failed.put(user.key(), e.getMessage());
      log.warn("user {} failed: {}", user.key(), e.getMessage());
    }
  }

  /**
   * Where a poll starts reading ({@code after}, exclusive). A play the user has not landed yet is
   * newer than the watermark, or it was not visible at the poll that saw the watermark; a late play
   * becomes visible at most {@code lookback} after its {@code played_at}, so that one is newer than
   * the poll's time minus the lookback. Reading from the older of the two bounds re-reads only the
   * plays that could have turned up late since the last poll. The lookback behind the watermark
   * alone (the fallback, for state without a poll time) re-reads a user's last plays on every poll:
   * an idle listener's, hour after hour, which was most of what the extractor landed.
   *
   * @param state the user's stored state, or null
   * @param watermark the state's watermark, or the run's start for a user without one
   */
  static Instant after(UserState state, Instant watermark, Duration lookback) {
    if (watermark == null) {
      return null;
    }
    if (state == null || state.watermark() == null || state.polledAt() == null) {
      return watermark.minus(lookback);
    }
    Instant lateSince = state.polledAt().minus(lookback);
    return lateSince.isBefore(state.watermark()) ? lateSince : state.watermark();
  }

  /** After a part is durable: its users' watermarks move forward, and the run marks them done. */
  private void commitWatermarks(RunManifest.Part part, List<Object> tags) throws IOException {
    Map<String, UserState> updates = new HashMap<>();
    Instant now = x.clock().instant();
    for (Object tag : tags) {
      Polled p = (Polled) tag;
      updates.put(p.userKey(), new UserState(p.watermark(), p.polledAt(), x.runId(), now));
    }
    try {
      x.watermarks().commit(updates);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while committing watermarks for " + part.path(), e);
    }
  }

  private static String lastRun(UserState s) {
    return s == null ? null : s.lastRun();
  }

  static String errorMessage(ApiResponse r) {
    JsonNode m = r.body() == null ? null : r.body().path("error").path("message");
    return m == null || m.isMissingNode() ? "(no message)" : m.asText();
  }
}
