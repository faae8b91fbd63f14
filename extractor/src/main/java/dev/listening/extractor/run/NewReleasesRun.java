package dev.listening.extractor.run;

import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.landing.ShardKeys;
import dev.listening.landing.AppMode;
import dev.listening.landing.Endpoint;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New releases per market, every page. Only extended-mode apps have this endpoint since 2026: in
 * development mode (configured, or told so by a 403) the run says so, lands nothing and succeeds,
 * so a daily schedule does not fail on an app that simply lacks the endpoint.
 */
public final class NewReleasesRun extends ExtractionRun {
  private static final Logger log = LoggerFactory.getLogger(NewReleasesRun.class);
  static final String UNAVAILABLE =
      "new releases are not available to development-mode apps (removed by Spotify in 2026);"
          + " nothing landed";

  private final List<String> markets;
  private final String mode;
  private PartitionRun landing;
  private PagedResume resume;

  public NewReleasesRun(Extraction x, List<String> markets) {
    super(x, "new-releases");
    this.markets = markets;
    this.mode = x.modeName(AppMode.EXTENDED);
    summary.appMode(mode);
  }

  @Override
  protected boolean open() throws IOException {
    if (x.knownMode() == AppMode.DEVELOPMENT) {
      log.info(UNAVAILABLE);
      summary.finish(RunSummary.Status.NOTHING_TO_DO, UNAVAILABLE);
      return false;
    }
    landing = landing(Endpoint.NEW_RELEASES, mode, (part, tags) -> {});
    if (landing == null) {
      return alreadyComplete("new releases");
    }
    resume =
        PagedResume.read(landing, e -> PagedResume.param(e, SpotifyClient.MARKET_PARAM), "albums");
    if (resume.started() > 0) {
      summary.count("markets_finished_by_earlier_attempt", resume.finished());
      summary.count("markets_continued", resume.started() - resume.finished());
      log.info(
          "new releases: {} market(s) finished and {} started by an earlier attempt of run {};"
              + " continuing after their last landed page",
          resume.finished(),
          resume.started() - resume.finished(),
          x.runId());
    }
    return true;
  }

  @Override
  protected void work() throws IOException {
    List<String> mine = markets.stream().filter(m -> ShardKeys.owns(x.shard(), m)).toList();
    try (Progress progress = x.progress().start("new releases", mine.size())) {
      for (String market : mine) {
        if (resume.finished(market)) {
          progress.step();
          continue;
        }
        for (ApiResponse page =
                resume.notStarted(market)
                    ? x.client().newReleases(market)
                    : x.client()
                        .continueAt(
                            Endpoint.NEW_RELEASES,
                            resume.nextLink(market).orElseThrow(),
                            Map.of(SpotifyClient.MARKET_PARAM, market),
                            null);
            page != null;
            page = x.client().next(page, "albums", null)) {
          if (page.status() == 403 && summary.pages() == 0) {
            log.info("{} (403 from /browse/new-releases)", UNAVAILABLE);
            x.foundMode(AppMode.DEVELOPMENT, "GET /browse/new-releases answered 403 Forbidden");
            summary.appMode(AppMode.DEVELOPMENT.wireName());
            unavailable(UNAVAILABLE);
            return;
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
          quarantineMalformed(page, null, mode);
          landing.land(envelope(page, null, mode, albums), null);
          summary.pages.incrementAndGet();
          summary.items.addAndGet(albums);
        }
        progress.step();
      }
    } catch (ApiException.StopRun | ApiException.InvalidClient e) {
      stop(e);
    }
  }

  @Override
  protected String failedUnit() {
    return "market(s)";
  }
}
