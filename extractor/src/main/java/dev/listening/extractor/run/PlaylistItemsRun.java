package dev.listening.extractor.run;

import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.landing.ShardKeys;
import dev.listening.extractor.users.UserCredential;
import dev.listening.landing.AppMode;
import dev.listening.landing.Endpoint;
import dev.listening.landing.Envelope;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every page of the given playlists, read with the token of the user who owns (or collaborates on)
 * each one: since 2026 Spotify serves playlist contents only to them. A playlist the user may not
 * read (403) or that no longer exists (404) is reported and skipped.
 */
public final class PlaylistItemsRun extends ExtractionRun {
  private static final Logger log = LoggerFactory.getLogger(PlaylistItemsRun.class);

  /** A playlist and the user whose token reads it. */
  public record Target(String userKey, String playlistId) {
    public static Target parse(String value) {
      String[] p = value.split(":", 2);
      if (p.length != 2 || p[0].isBlank() || !p[1].matches("[A-Za-z0-9]{1,64}")) {
        throw new IllegalArgumentException(
            "--playlist '" + value + "' must look like USER_KEY:PLAYLIST_ID");
      }
      return new Target(p[0].trim(), p[1].trim());
    }

    /** How a resumed run knows this target: the same playlist read by another user differs. */
    String unit() {
      return userKey + ":" + playlistId;
    }
  }

  private final List<Target> targets;
  private final String mode;
  private PartitionRun landing;
  private PagedResume resume;

  public PlaylistItemsRun(Extraction x, List<Target> targets) {
    super(x, "playlist-items");
    this.targets = targets;
    this.mode = x.modeName(AppMode.EXTENDED);
    summary.appMode(mode);
  }

  @Override
  protected boolean open() throws IOException {
    landing = landing(Endpoint.PLAYLIST_ITEMS, mode, (part, tags) -> {});
    if (landing == null) {
      return alreadyComplete("playlist items");
    }
    resume =
        PagedResume.read(
            landing,
            e ->
                new Target(
                        e.path(Envelope.USER_KEY).asText(""),
                        PagedResume.param(e, Envelope.PARAM_PLAYLIST_ID))
                    .unit(),
            null);
    if (resume.started() > 0) {
      summary.count("playlists_finished_by_earlier_attempt", resume.finished());
      summary.count("playlists_continued", resume.started() - resume.finished());
      log.info(
          "playlist items: {} playlist(s) finished and {} started by an earlier attempt of run {};"
              + " continuing after their last landed page",
          resume.finished(),
          resume.started() - resume.finished(),
          x.runId());
    }
    return true;
  }

  @Override
  protected void work() throws IOException, InterruptedException {
    Map<String, UserCredential> byKey =
        x.keyedUsers(summary.failed).stream()
            .collect(Collectors.toMap(UserCredential::key, Function.identity()));
    List<Target> mine =
        targets.stream().filter(t -> ShardKeys.owns(x.shard(), t.playlistId())).distinct().toList();
    try (Progress progress = x.progress().start("playlists", mine.size())) {
      for (Target t : mine) {
        if (stopped()) {
          break;
        }
        readOne(t, byKey.get(t.userKey()));
        progress.step();
      }
    }
  }

  @Override
  protected String failedUnit() {
    return "playlist(s)";
  }

  private void readOne(Target t, UserCredential user) throws IOException {
    String key = t.unit();
    if (resume.finished(key)) {
      return;
    }
    if (user == null) {
      summary.failed.put(key, "user '" + t.userKey() + "' is not in " + x.users().describe());
      return;
    }
    try {
      RefreshingTokens tokens = x.userTokens(user);
      for (ApiResponse page =
              resume.notStarted(key)
                  ? x.client().playlistItems(tokens, t.playlistId())
                  : x.client()
                      .continueAt(
                          Endpoint.PLAYLIST_ITEMS,
                          resume.nextLink(key).orElseThrow(),
                          Map.of(Envelope.PARAM_PLAYLIST_ID, t.playlistId()),
                          tokens);
          page != null;
          page = x.client().next(page, null, tokens)) {
        if (page.status() == 403 || page.status() == 404) {
          String why =
              page.status() == 403
                  ? "the user neither owns nor collaborates on it (403)"
                  : "it does not exist (404)";
          summary.skipped.put(key, why);
          log.warn("playlist {} skipped: {}", key, why);
          return;
        }
        if (page.status() != 200) {
          summary.failed.put(key, "playlist items answered " + page.status());
          return;
        }
        int items = page.body().path("items").size();
        quarantineMalformed(page, t.userKey(), mode);
        landing.land(envelope(page, t.userKey(), mode, items), null);
        summary.pages.incrementAndGet();
        summary.items.addAndGet(items);
      }
    } catch (ApiException.InvalidGrant e) {
      summary.skipped.put(key, x.consentExpired());
    } catch (ApiException.StopRun | ApiException.InvalidClient e) {
      stop(e);
    } catch (ApiException e) {
      summary.failed.put(key, e.getMessage());
    }
  }
}
