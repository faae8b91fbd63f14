package dev.listening.extractor.users;

import dev.listening.extractor.api.Secret;
import dev.listening.extractor.state.Leases;
import dev.listening.landing.StateLayout;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A users source whose writes hold one lease, for a store where the last writer wins (Secret
 * Manager versions): two shards rotating different users' tokens at once would otherwise each add a
 * version holding only their own change, and one rotated token would be lost.
 */
public final class LeasedUsers implements UserSource {
  private final UserSource users;
  private final Leases leases;

  private LeasedUsers(UserSource users, Leases leases) {
    this.users = users;
    this.leases = leases;
  }

  /** {@code users} itself when its writes are safe without a lease. */
  public static UserSource wrap(UserSource users, Leases leases) {
    return users.comparesAndSets() || !users.storesRotations()
        ? users
        : new LeasedUsers(users, leases);
  }

  @Override
  public List<UserCredential> load() throws IOException, InterruptedException {
    return users.load();
  }

  @Override
  public Optional<Secret> storedToken(String key) throws IOException, InterruptedException {
    return users.storedToken(key);
  }

  @Override
  public void rotated(UserCredential user, Secret newRefreshToken)
      throws IOException, InterruptedException {
    leases.holding(
        StateLayout.usersDocumentLease(),
        () -> {
          users.rotated(user, newRefreshToken);
          return null;
        });
  }

  @Override
  public void keyed(UserCredential user, String key) throws IOException, InterruptedException {
    leases.holding(
        StateLayout.usersDocumentLease(),
        () -> {
          users.keyed(user, key);
          return null;
        });
  }

  @Override
  public void upsert(String key, Secret refreshToken) throws IOException, InterruptedException {
    leases.holding(
        StateLayout.usersDocumentLease(),
        () -> {
          users.upsert(key, refreshToken);
          return null;
        });
  }

  @Override
  public boolean comparesAndSets() {
    return true;
  }

  @Override
  public String describe() {
    return users.describe();
  }
}
