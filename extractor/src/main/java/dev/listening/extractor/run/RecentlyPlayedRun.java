package dev.listening.extractor.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.AppMode;
import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.landing.Envelope;
import dev.listening.extractor.landing.LandingWriter;
import dev.listening.extractor.state.WatermarkStore;
import dev.listening.extractor.state.WatermarkStore.UserState;
import dev.listening.extractor.users.UserCredential;
import dev.listening.extractor.users.UserSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls recently-played for every user of this shard, once each, with {@code limit=50} and {@code
 * after} = watermark minus a late-arrival lookback, lands every page, and advances each user's
 * watermark only after the part holding their page is durable.
 *
 * <p>Why one call per user is enough: Spotify keeps only about the last 50 plays, so a full page
 * already holds everything readable. A full page whose oldest play is newer than the watermark
 * means plays between the two were pushed out of that horizon before this poll: a gap, reported per
 * user with its window. The lookback re-reads plays that became visible late (their played_at is
 * behind the watermark); the duplicates it lands are removed downstream on (user, played_at).
 */
public final class RecentlyPlayedRun {
  private static final Logger log = LoggerFactory.getLogger(RecentlyPlayedRun.class);
  public static final String ENDPOINT = "recently_played";

  /**
   * @param lateLookback how far behind the watermark each poll reaches for late plays
   * @param startFrom watermark for users with no state yet; null reads whatever is readable
   */
  public record Settings(Duration lateLookback, Instant startFrom) {}

  /** A gap: plays between {@code watermark} and {@code oldestInPage} may be lost. */
  public record Gap(String userKey, Instant watermark, Instant oldestInPage, Instant fetchedAt) {}

  private record Polled(String userKey, Instant watermark) {}

  private final Extraction x;
  private final UserSource users;
  private final WatermarkStore state;
  private final Settings settings;

  public RecentlyPlayedRun(
      Extraction x, UserSource users, WatermarkStore state, Settings settings) {
    this.x = x;
    this.users = users;
    this.state = state;
    this.settings = settings;
  }

  public RunSummary run() throws IOException, InterruptedException {
    RunSummary summary =
        new RunSummary(
            "recently-played",
            x.runId(),
            x.date().toString(),
            x.shard().toString(),
            x.clock().instant());
    String mode = x.modeName(AppMode.EXTENDED);
    summary.appMode(mode);
    PartitionRun landing = new PartitionRun(x, ENDPOINT, mode, this::commitWatermarks);
    if (landing.alreadyComplete()) {
      summary.finish(
          RunSummary.Status.ALREADY_COMPLETE,
          "run "
              + x.runId()
              + " shard "
              + x.shard()
              + " already landed recently-played completely;"
              + " nothing to do (a re-run never adds files)");
      return summary;
    }

    List<UserCredential> mine = users.load().stream().filter(u -> x.shard().owns(u.key())).toList();
    Map<String, UserState> states = state.load();
    // Users committed by an earlier attempt of this same run are done: resuming skips them.
    List<UserCredential> todo =
        mine.stream().filter(u -> !x.runId().equals(lastRun(states.get(u.key())))).toList();
    summary.count("users_in_shard", mine.size());
    summary.count("users_done_by_earlier_attempt", mine.size() - todo.size());
    log.info(
        "recently-played: run {} shard {}: {} users ({} already done by an earlier attempt)",
        x.runId(),
        x.shard(),
        mine.size(),
        mine.size() - todo.size());

    List<Gap> gaps = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicReference<ApiException> stop = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(x.concurrency());
    try (Progress progress = x.progress().start("recently-played", todo.size())) {
      List<Future<?>> futures = new ArrayList<>();
      for (UserCredential user : todo) {
        futures.add(
            pool.submit(
                () -> {
                  if (stop.get() == null) {
                    pollOne(user, states.get(user.key()), landing, summary, gaps, stop);
                  }
                  progress.step();
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IOException("landing failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }

    landing.detail("gaps", gaps.stream().map(RecentlyPlayedRun::gapDetail).toList());
    if (!gaps.isEmpty()) {
      log.warn(
          "{} user(s) lost plays to Spotify's 50-play horizon since their last poll (poll more"
              + " often to keep heavy listeners complete): {}",
          summary.gapsByUser.size(),
          summary.gapsByUser().keySet().stream().limit(10).toList());
    }
    landing.detail("users_skipped", summary.skipped());
    landing.detail("users_failed", summary.failed());
    ApiException stopped = stop.get();
    RunSummary.Status status;
    String message;
    if (stopped instanceof ApiException.InvalidClient) {
      landing.finish(RunSummary.Status.FAILED, stopped.getMessage());
      throw stopped;
    } else if (stopped != null) {
      status = RunSummary.Status.PARTIAL;
      message = "partial, resume next run: " + stopped.getMessage();
    } else if (!summary.failed.isEmpty()) {
      status = RunSummary.Status.PARTIAL;
      message =
          "partial, resume next run: "
              + summary.failed.size()
              + " user(s) failed; re-running this run id retries only them";
    } else {
      status = RunSummary.Status.COMPLETE;
      message = "complete";
    }
    summary.parts(landing.finish(status, message));
    summary.finish(status, message);
    return summary;
  }

  private void pollOne(
      UserCredential user,
      UserState st,
      PartitionRun landing,
      RunSummary summary,
      List<Gap> gaps,
      AtomicReference<ApiException> stop)
      throws IOException, InterruptedException {
    Instant watermark =
        st != null && st.watermark() != null ? st.watermark() : settings.startFrom();
    try {
      RefreshingTokens tokens = x.userTokens(users, user);
      Long after =
          watermark == null ? null : watermark.minus(settings.lateLookback()).toEpochMilli();
      ApiResponse page = x.client().recentlyPlayed(tokens, after);
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
      if (watermark != null
          && items == SpotifyClient.RECENTLY_PLAYED_LIMIT
          && oldest.isAfter(watermark)) {
        gaps.add(new Gap(user.key(), watermark, oldest, fetchedAt));
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
      landing
          .writer()
          .append(
              PartitionRun.line(
                  Envelope.of(
                      page, user.key(), fetchedAt, x.runId(), x.modeName(AppMode.EXTENDED), items)),
              items,
              new Polled(user.key(), advanced));
      summary.pages.incrementAndGet();
      summary.items.addAndGet(items);
    } catch (ApiException.InvalidGrant e) {
      summary.skipped.put(user.key(), "invalid_grant: the user must authorize the app again");
      log.warn("user {} skipped: {}", user.key(), e.getMessage());
    } catch (ApiException.StopRun | ApiException.InvalidClient e) {
      if (stop.compareAndSet(null, e)) {
        log.warn("stopping the run: {}", e.getMessage());
      }
    } catch (ApiException e) {
      summary.failed.put(user.key(), e.getMessage());
      log.warn("user {} failed: {}", user.key(), e.getMessage());
    }
  }

  /** After a part is durable: its users' watermarks move forward, and the run marks them done. */
  private void commitWatermarks(LandingWriter.Part part, List<Object> tags) throws IOException {
    Map<String, UserState> updates = new HashMap<>();
    Instant now = x.clock().instant();
    for (Object tag : tags) {
      Polled p = (Polled) tag;
      updates.put(p.userKey(), new UserState(p.watermark(), x.runId(), now));
    }
    try {
      state.commit(updates);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while committing watermarks for " + part.path(), e);
    }
  }

  private static String lastRun(UserState s) {
    return s == null ? null : s.lastRun();
  }

  private static Map<String, String> gapDetail(Gap g) {
    return Map.of(
        "user_key", g.userKey(),
        "watermark", g.watermark().toString(),
        "oldest_in_page", g.oldestInPage().toString(),
        "fetched_at", g.fetchedAt().toString());
  }

  static String errorMessage(ApiResponse r) {
    JsonNode m = r.body() == null ? null : r.body().path("error").path("message");
    return m == null || m.isMissingNode() ? "(no message)" : m.asText();
  }
}
