package dev.listening.extractor.run;

import dev.listening.extractor.api.AccountsClient;
import dev.listening.extractor.api.ApiException;
import dev.listening.extractor.api.ApiResponse;
import dev.listening.extractor.api.RefreshingTokens;
import dev.listening.extractor.api.Secret;
import dev.listening.extractor.api.SpotifyClient;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.api.TokenGrant;
import dev.listening.extractor.auth.Authorizer;
import dev.listening.extractor.config.ExtractorConfig;
import dev.listening.extractor.landing.LandingWriter;
import dev.listening.extractor.state.Leases;
import dev.listening.extractor.state.WatermarkStore;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.users.LeasedUsers;
import dev.listening.extractor.users.UserCredential;
import dev.listening.extractor.users.UserSource;
import dev.listening.landing.AppMode;
import dev.listening.landing.Endpoint;
import dev.listening.landing.LandingPartition;
import dev.listening.landing.Shard;
import dev.listening.landing.StateLayout;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a run needs, opened once from a validated {@link ExtractorConfig} by {@link
 * ExtractionFactory}, and closed together.
 */
public final class Extraction implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Extraction.class);

  private final ExtractorConfig config;
  private final SpotifyClient client;
  private final AccountsClient accounts;
  private final BlobStore landing;
  private final UserSource users;
  private final WatermarkStore watermarks;
  private final Timing timing;
  private final Clock clock;
  private final Progress.Factory progress;
  private final List<AutoCloseable> resources;
  private final AppModes modes;
  private final Leases leases;
  private final Map<Secret, RefreshingTokens> userTokens = new ConcurrentHashMap<>();
  private final Map<Secret, String> keys = new ConcurrentHashMap<>();

  Extraction(
      ExtractorConfig config,
      SpotifyClient client,
      AccountsClient accounts,
      BlobStore landing,
      UserSource users,
      WatermarkStore watermarks,
      Timing timing,
      Clock clock,
      Progress.Factory progress,
      List<AutoCloseable> resources,
      AppModes modes) {
    this.config = config;
    this.client = client;
    this.accounts = accounts;
    this.landing = landing;
    this.leases = new Leases(landing, clock, timing);
    this.users = users == null ? null : LeasedUsers.wrap(users, leases);
    this.watermarks = watermarks;
    this.timing = timing;
    this.clock = clock;
    this.progress = progress;
    this.resources = resources;
    this.modes = modes;
  }

  public ExtractorConfig config() {
    return config;
  }

  public SpotifyClient client() {
    return client;
  }

  public AccountsClient accounts() {
    return accounts;
  }

  public BlobStore landing() {
    return landing;
  }

  /** The users source the config names; fails when the command was configured without one. */
  public UserSource users() {
    if (users == null) {
      throw new IllegalStateException("this command was opened without a users source");
    }
    return users;
  }

  /**
   * The users, each with its stable key: an entry that has none gets Spotify's {@code account_id}
   * from {@code GET /me} with its own token, and the key is stored back in the users source, so
   * that only a user's first run asks. A user whose key cannot be found is left out and reported.
   *
   * @param problems user (by position) to why they were left out
   */
  public List<UserCredential> keyedUsers(Map<String, String> problems)
      throws IOException, InterruptedException {
    List<UserCredential> all = users().load();
    List<UserCredential> keyed = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      UserCredential u = all.get(i);
      if (u.key() != null) {
        keyed.add(u);
        continue;
      }
      try {
        RefreshingTokens tokens = userTokens(u);
        ApiResponse me = client.me(tokens);
        String accountId = me.body() == null ? "" : me.body().path("account_id").asText("");
        if (me.status() != 200 || accountId.isBlank()) {
          problems.put(
              "users entry " + i,
              "GET /me answered " + me.status() + " without an account_id; add its key by hand");
          continue;
        }
        // The entry holds the rotated token by now, if Spotify rotated it during that call.
        users.keyed(new UserCredential(null, tokens.refreshToken()), accountId);
        keys.put(u.refreshToken(), accountId);
        log.info(
            "users entry {}: key is account_id {}, stored in {}", i, accountId, users.describe());
        UserCredential withKey = new UserCredential(accountId, u.refreshToken());
        keyed.add(withKey);
      } catch (ApiException e) {
        problems.put("users entry " + i, "could not read its account_id: " + e.getMessage());
      }
    }
    return keyed;
  }

  /** The recently-played watermarks; fails when the command keeps no state. */
  public WatermarkStore watermarks() {
    if (watermarks == null) {
      throw new IllegalStateException("this command was opened without a state root");
    }
    return watermarks;
  }

  public String runId() {
    return config.runId();
  }

  public LocalDate date() {
    return config.date();
  }

  public Shard shard() {
    return config.shard();
  }

  /** The configured surface; null means "find out" (extended until a batch call answers 403). */
  public AppMode appMode() {
    return config.appMode();
  }

  /** The app's mode as far as it is known: configured, or found out (by this or an earlier run). */
  public AppMode knownMode() {
    return config.appMode() != null ? config.appMode() : modes.found();
  }

  /**
   * A call showed the app's mode: remembered in the landing's state, so later runs (of every
   * command) land under the right mode from their first page. No effect when the mode was
   * configured.
   */
  public void foundMode(AppMode mode, String how) {
    if (config.appMode() == null) {
      modes.remember(mode, how + " (run " + config.runId() + ")", clock.instant());
    }
  }

  /** How the mode written into this run's pages was decided, for manifests and the summary. */
  public String modeSource() {
    if (config.appMode() != null) {
      return "configured (--app-mode " + config.appMode().wireName() + ")";
    }
    return modes.found() != null
        ? "found: " + modes.how()
        : "auto: nothing has shown the mode yet; pages say extended until a batch call answers 403";
  }

  public int concurrency() {
    return config.concurrency();
  }

  public LandingWriter.Limits partLimits() {
    return config.partLimits();
  }

  public Timing timing() {
    return timing;
  }

  /** Fallback for {@code fetched_at} when a response has no Date header. */
  public Clock clock() {
    return clock;
  }

  public Progress.Factory progress() {
    return progress;
  }

  /**
   * Why a user was skipped when their consent expired, with the exact command that asks them again:
   * a refresh token stops working six months after consent.
   */
  public String consentExpired() {
    if (!users().storesRotations()) {
      // The simulator's own users (--users sim): their consent expires by its design, and the
      // authorize command cannot write into them.
      return "invalid_grant: this simulated user's consent expired (the simulator's expired"
          + " users); to test a renewal, authorize them into a users file (--users users.json)";
    }
    return "invalid_grant: the user's consent expired or was revoked; re-authorize them with: "
        + Authorizer.command(users().describe(), config.connection().target().wireName());
  }

  /**
   * A user's token source, one per user for the whole run: a refresh token Spotify rotates (always,
   * for PKCE consents) is stored back in the users source, and later calls of the run use the new
   * one instead of the spent one.
   */
  public RefreshingTokens userTokens(UserCredential user) {
    return userTokens.computeIfAbsent(user.refreshToken(), t -> newUserTokens(user));
  }

  private RefreshingTokens newUserTokens(UserCredential user) {
    return RefreshingTokens.forUser(
        held -> {
          String key = user.key() != null ? user.key() : keys.get(user.refreshToken());
          if (key == null || !users.storesRotations()) {
            // A keyless entry's first refresh (GET /me finds its key), or rotations not stored.
            return refreshAndStore(user.key(), held);
          }
          try {
            return leases.holding(StateLayout.tokenLease(key), () -> refreshUnderLease(key, held));
          } catch (IOException e) {
            throw new ApiException(
                "could not refresh the token of user '" + key + "': " + e.getMessage(), 0, e);
          }
        },
        user.refreshToken(),
        timing);
  }

  /**
   * Refreshes with the token stored now, not necessarily the one held: a shard that ran the same
   * user's refresh before may have spent the held one (single-use rotated tokens), and stored its
   * successor. The lease keeps any other shard from spending it meanwhile.
   */
  private TokenGrant refreshUnderLease(String key, Secret held)
      throws IOException, InterruptedException {
    Secret current = users.storedToken(key).orElse(held);
    try {
      return adopt(current, refreshAndStore(key, current));
    } catch (ApiException.InvalidGrant e) {
      // Spent by a writer that took no lease (an older extractor) or replaced by a new consent.
      Secret again = users.storedToken(key).orElse(current);
      if (again.equals(current)) {
        throw e;
      }
      return adopt(again, refreshAndStore(key, again));
    }
  }

  /** The grant, telling the token source to hold {@code current} when nothing was rotated. */
  private static TokenGrant adopt(Secret current, TokenGrant grant) {
    return grant.newRefreshToken() != null
        ? grant
        : new TokenGrant(grant.accessToken(), grant.expiresIn(), current);
  }

  /** One refresh; a rotated token is stored before the grant is used. */
  private TokenGrant refreshAndStore(String key, Secret token) throws InterruptedException {
    TokenGrant grant = accounts.refresh(token);
    Secret fresh = grant.newRefreshToken();
    if (fresh != null && !fresh.equals(token)) {
      try {
        users.rotated(new UserCredential(key, token), fresh);
      } catch (IOException e) {
        log.error("user {}: could not store the rotated refresh token: {}", key, e.getMessage());
      }
    }
    return grant;
  }

  public LandingPartition partition(Endpoint endpoint) {
    return new LandingPartition(endpoint, config.date(), config.runId(), config.shard());
  }

  /** The mode written into envelopes: configured, found out, or else {@code assumed}. */
  public String modeName(AppMode assumed) {
    AppMode m = knownMode() != null ? knownMode() : assumed;
    return m == null ? "unknown" : m.wireName();
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
