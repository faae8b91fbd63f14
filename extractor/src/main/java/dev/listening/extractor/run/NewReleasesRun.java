package dev.listening.extractor.run;

import dev.listening.extractor.AppMode;
import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.landing.Envelope;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New releases per market, every page. Only extended-mode apps have this endpoint since 2026: in
 * development mode (configured, or told so by a 403) the run says so, lands nothing and succeeds,
 * so a daily schedule does not fail on an app that simply lacks the endpoint.
 */
public final class NewReleasesRun {
  private static final Logger log = LoggerFactory.getLogger(NewReleasesRun.class);
  public static final String ENDPOINT = "new_releases";
  static final String UNAVAILABLE =
      "new releases are not available to development-mode apps (removed by Spotify in 2026);"
          + " nothing landed";

  private final Extraction x;
  private final List<String> markets;

  public NewReleasesRun(Extraction x, List<String> markets) {
    this.x = x;
    this.markets = markets;
  }

  public RunSummary run() throws IOException {
    RunSummary summary =
        new RunSummary(
            "new-releases",
            x.runId(),
            x.date().toString(),
            x.shard().toString(),
            x.clock().instant());
    summary.appMode(x.modeName(AppMode.EXTENDED));
    if (x.appMode() == AppMode.DEVELOPMENT) {
      log.info(UNAVAILABLE);
      summary.finish(RunSummary.Status.NOTHING_TO_DO, UNAVAILABLE);
      return summary;
    }
    PartitionRun landing =
        new PartitionRun(x, ENDPOINT, x.modeName(AppMode.EXTENDED), (part, tags) -> {});
    if (landing.alreadyComplete()) {
      summary.finish(
          RunSummary.Status.ALREADY_COMPLETE, "new releases of this run shard already landed");
      return summary;
    }
    List<String> mine = markets.stream().filter(m -> x.shard().owns(m)).toList();
    String message = "complete";
    RunSummary.Status status = RunSummary.Status.COMPLETE;
    try (Progress progress = x.progress().start("new releases", mine.size())) {
      for (String market : mine) {
        for (ApiResponse page = x.client().newReleases(market);
            page != null;
            page = x.client().next(page, "albums", null)) {
          if (page.status() == 403 && summary.pages() == 0) {
            landing.abandon();
            log.info("{} (403 from /browse/new-releases)", UNAVAILABLE);
            summary.appMode(AppMode.DEVELOPMENT.wireName());
            summary.finish(RunSummary.Status.NOTHING_TO_DO, UNAVAILABLE);
            return summary;
          }
          if (page.status() != 200) {
            summary.failed.put(
                market,
                "new-releases answered "
                    + page.status()
                    + ": "
                    + RecentlyPlayedRun.errorMessage(page));
            break;
          }
          int albums = page.body().path("albums").path("items").size();
          landing
              .writer()
              .append(
                  PartitionRun.line(
                      Envelope.of(
                          page,
                          null,
                          page.serverTime() != null ? page.serverTime() : x.clock().instant(),
                          x.runId(),
                          x.modeName(AppMode.EXTENDED),
                          albums)),
                  albums,
                  null);
          summary.pages.incrementAndGet();
          summary.items.addAndGet(albums);
        }
        progress.step();
      }
    } catch (ApiException.StopRun e) {
      status = RunSummary.Status.PARTIAL;
      message = "partial, resume next run: " + e.getMessage();
    }
    if (!summary.failed.isEmpty() && status == RunSummary.Status.COMPLETE) {
      status = RunSummary.Status.PARTIAL;
      message = "partial: " + summary.failed.size() + " market(s) failed";
    }
    summary.parts(landing.finish(status, message));
    summary.finish(status, message);
    return summary;
  }
}
