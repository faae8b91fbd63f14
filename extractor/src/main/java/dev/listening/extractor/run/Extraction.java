package dev.listening.extractor.run;

import dev.listening.extractor.AppMode;
import dev.listening.extractor.api.AccountsClient;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.landing.LandingPartition;
import dev.listening.extractor.landing.LandingWriter;
import dev.listening.extractor.landing.Shard;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.users.UserCredential;
import dev.listening.extractor.users.UserSource;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a run needs, built once by the command line from validated options.
 *
 * @param appMode the configured surface; null means "find out" (extended until a batch call answers
 *     403)
 * @param clock fallback for {@code fetched_at} when a response has no Date header
 */
public record Extraction(
    SpotifyClient client,
    AccountsClient accounts,
    BlobStore landing,
    String runId,
    LocalDate date,
    Shard shard,
    AppMode appMode,
    int concurrency,
    LandingWriter.Limits partLimits,
    Timing timing,
    Clock clock,
    Progress.Factory progress) {

  private static final Logger log = LoggerFactory.getLogger(Extraction.class);

  /** A user's token source; a refresh token Spotify rotates is stored back in {@code users}. */
  public RefreshingTokens userTokens(UserSource users, UserCredential user) {
    return RefreshingTokens.forUser(
        accounts,
        user.refreshToken(),
        timing,
        fresh -> {
          try {
            users.rotated(user, fresh);
          } catch (IOException e) {
            log.error(
                "user {}: could not store the rotated refresh token: {}",
                user.key(),
                e.getMessage());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  public LandingPartition partition(String endpoint) {
    return new LandingPartition(endpoint, date, runId, shard);
  }

  /** The mode written into envelopes: the configured one, or what the run found out. */
  public String modeName(AppMode detected) {
    AppMode m = appMode != null ? appMode : detected;
    return m == null ? "unknown" : m.wireName();
  }
}
