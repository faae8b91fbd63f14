package dev.listening.extractor.users;

import dev.listening.extractor.api.Secret;
import java.io.IOException;
import java.util.List;

/**
 * Users from a Secret Manager secret holding the users JSON. A rotated token is stored as a new
 * secret version, made from the latest one read just before. Secret Manager has no compare-and-set
 * on versions: the extractor serialises its writers with a lease (see {@link LeasedUsers}).
 */
public final class SecretManagerUsers implements UserSource {
  private final SecretAccess secrets;
  private final SecretAccess.Ref ref;

  public SecretManagerUsers(SecretAccess secrets, SecretAccess.Ref ref) {
    this.secrets = secrets;
    this.ref = ref;
  }

  @Override
  public List<UserCredential> load() throws IOException {
    return UsersDocument.parse(secrets.read(ref), describe());
  }

  @Override
  public synchronized void rotated(UserCredential user, Secret newRefreshToken) throws IOException {
    byte[] current = secrets.read(ref.latest());
    secrets.addVersion(ref, UsersDocument.withToken(current, user, newRefreshToken, describe()));
  }

  @Override
  public synchronized void keyed(UserCredential user, String key) throws IOException {
    byte[] current = secrets.read(ref.latest());
    secrets.addVersion(ref, UsersDocument.withKey(current, user.refreshToken(), key, describe()));
  }

  @Override
  public synchronized void upsert(String key, Secret refreshToken) throws IOException {
    byte[] current;
    try {
      current = secrets.read(ref.latest());
    } catch (IOException e) {
      current = UsersDocument.EMPTY; // a secret with no version yet: the first user
    }
    secrets.addVersion(ref, UsersDocument.withUser(current, key, refreshToken, describe()));
  }

  @Override
  public String describe() {
    return ref.toString();
  }
}
