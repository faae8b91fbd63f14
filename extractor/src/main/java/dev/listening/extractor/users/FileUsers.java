package dev.listening.extractor.users;

import dev.listening.extractor.api.Secret;
import dev.listening.extractor.storage.BlobStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Users from a JSON file, local or on GCS. A rotated refresh token is written back with a
 * compare-and-set, so two shards rotating different users at once both keep their token.
 */
public final class FileUsers implements UserSource {
  private final BlobStore store;
  private final String path;

  public FileUsers(BlobStore store, String path) {
    this.store = store;
    this.path = path;
  }

  @Override
  public List<UserCredential> load() throws IOException {
    return UsersDocument.parse(read().bytes(), describe());
  }

  @Override
  public synchronized void rotated(UserCredential user, Secret newRefreshToken) throws IOException {
    update(
        doc -> UsersDocument.withToken(doc, user, newRefreshToken, describe()),
        "the rotated refresh token of user '"
            + user.key()
            + "' (that user may need to authorize again)");
  }

  @Override
  public synchronized void keyed(UserCredential user, String key) throws IOException {
    update(
        doc -> UsersDocument.withKey(doc, user.refreshToken(), key, describe()), "user key " + key);
  }

  @Override
  public synchronized void upsert(String key, Secret refreshToken) throws IOException {
    update(doc -> UsersDocument.withUser(doc, key, refreshToken, describe()), "user " + key);
  }

  private interface Edit {
    byte[] apply(byte[] document) throws IOException;
  }

  /** Read, edit, write with a compare-and-set, retried while other shards write too. */
  private void update(Edit edit, String what) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      BlobStore.Blob current =
          store.get(path).orElse(new BlobStore.Blob(UsersDocument.EMPTY, 0)); // 0: create
      byte[] updated = edit.apply(current.bytes());
      if (store.putIfGeneration(path, updated, current.generation()).isPresent()) {
        return;
      }
    }
    throw new IOException(
        "could not store " + what + " in " + describe() + ": the file kept changing");
  }

  private BlobStore.Blob read() throws IOException {
    Optional<BlobStore.Blob> blob = store.get(path);
    if (blob.isEmpty()) {
      throw new BadUsersInput(
          "users file "
              + describe()
              + " does not exist: pass --users with a JSON file of"
              + " {\"users\":[{\"key\":...,\"refresh_token\":...}]}, sm://... or 'sim'");
    }
    return blob.get();
  }

  @Override
  public boolean comparesAndSets() {
    return true;
  }

  @Override
  public String describe() {
    return store.uri(path);
  }
}
