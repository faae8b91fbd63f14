package dev.listening.extractor.run;

import dev.listening.extractor.AppMode;
import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.landing.Envelope;
import dev.listening.extractor.users.UserCredential;
import dev.listening.extractor.users.UserSource;
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
public final class PlaylistItemsRun {
  private static final Logger log = LoggerFactory.getLogger(PlaylistItemsRun.class);
  public static final String ENDPOINT = "playlist_items";

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
  }

  private final Extraction x;
  private final UserSource users;
  private final List<Target> targets;

  public PlaylistItemsRun(Extraction x, UserSource users, List<Target> targets) {
    this.x = x;
    this.users = users;
    this.targets = targets;
  }

  public RunSummary run() throws IOException, InterruptedException {
    RunSummary summary =
        new RunSummary(
            "playlist-items",
            x.runId(),
            x.date().toString(),
            x.shard().toString(),
            x.clock().instant());
    String mode = x.modeName(AppMode.EXTENDED);
    summary.appMode(mode);
    PartitionRun landing = new PartitionRun(x, ENDPOINT, mode, (part, tags) -> {});
    if (landing.alreadyComplete()) {
      summary.finish(
          RunSummary.Status.ALREADY_COMPLETE, "playlist items of this run shard already landed");
      return summary;
    }
    Map<String, UserCredential> byKey =
        users.load().stream().collect(Collectors.toMap(UserCredential::key, Function.identity()));
    List<Target> mine =
        targets.stream().filter(t -> x.shard().owns(t.playlistId())).distinct().toList();
    RunSummary.Status status = RunSummary.Status.COMPLETE;
    String message = "complete";
    try (Progress progress = x.progress().start("playlists", mine.size())) {
      for (Target t : mine) {
        String key = t.userKey() + ":" + t.playlistId();
        UserCredential user = byKey.get(t.userKey());
        if (user == null) {
          summary.failed.put(key, "user '" + t.userKey() + "' is not in " + users.describe());
          continue;
        }
        try {
          RefreshingTokens tokens = x.userTokens(users, user);
          for (ApiResponse page = x.client().playlistItems(tokens, t.playlistId());
              page != null;
              page = x.client().next(page, null, tokens)) {
            if (page.status() == 403 || page.status() == 404) {
              String why =
                  page.status() == 403
                      ? "the user neither owns nor collaborates on it (403)"
                      : "it does not exist (404)";
              summary.skipped.put(key, why);
              log.warn("playlist {} skipped: {}", key, why);
              break;
            }
            if (page.status() != 200) {
              summary.failed.put(key, "playlist items answered " + page.status());
              break;
            }
            int items = page.body().path("items").size();
            landing
                .writer()
                .append(
                    PartitionRun.line(
                        Envelope.of(
                            page,
                            t.userKey(),
                            page.serverTime() != null ? page.serverTime() : x.clock().instant(),
                            x.runId(),
                            mode,
                            items)),
                    items,
                    null);
            summary.pages.incrementAndGet();
            summary.items.addAndGet(items);
          }
        } catch (ApiException.InvalidGrant e) {
          summary.skipped.put(key, "invalid_grant: the user must authorize the app again");
        } catch (ApiException.StopRun e) {
          status = RunSummary.Status.PARTIAL;
          message = "partial, resume next run: " + e.getMessage();
          break;
        } catch (ApiException e) {
          summary.failed.put(key, e.getMessage());
        }
        progress.step();
      }
    }
    if (!summary.failed.isEmpty() && status == RunSummary.Status.COMPLETE) {
      status = RunSummary.Status.PARTIAL;
      message = "partial: " + summary.failed.size() + " playlist(s) failed";
    }
    summary.parts(landing.finish(status, message));
    summary.finish(status, message);
    return summary;
  }
}
