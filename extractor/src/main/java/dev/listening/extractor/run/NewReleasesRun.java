package dev.listening.extractor.run;

import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.landing.ShardKeys;
import dev.listening.landing.AppMode;
import dev.listening.landing.Endpoint;
import java.io.IOException;
import java.util.List;
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
    return landing != null || alreadyComplete("new releases");
  }

  @Override
  protected void work() throws IOException {
    List<String> mine = markets.stream().filter(m -> ShardKeys.owns(x.shard(), m)).toList();
    try (Progress progress = x.progress().start("new releases", mine.size())) {
      for (String market : mine) {
        for (ApiResponse page = x.client().newReleases(market);
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
