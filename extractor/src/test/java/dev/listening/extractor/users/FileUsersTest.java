package dev.listening.extractor.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.extractor.api.Secret;
import dev.listening.extractor.storage.BlobStore;
import dev.listening.extractor.storage.LocalBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUsersTest {
  @TempDir Path root;

  private FileUsers users(String json) throws Exception {
    BlobStore store = new LocalBlobStore(root);
    store.put("users.json", json.getBytes(StandardCharsets.UTF_8));
    return new FileUsers(store, "users.json");
  }

  @Test
  void loadsUsersAndStoresARotatedToken() throws Exception {
    FileUsers source =
        users(
            "{\"users\":[{\"key\":\"u1\",\"refresh_token\":\"rt-1\"},{\"key\":\"u2\",\"refresh_token\":\"rt-2\"}]}");
    List<UserCredential> loaded = source.load();
    assertThat(loaded).extracting(UserCredential::key).containsExactly("u1", "u2");

    source.rotated(loaded.get(1), Secret.of("rt-2-new"));

    assertThat(source.load())
        .extracting(u -> u.refreshToken().reveal())
        .containsExactly("rt-1", "rt-2-new");
  }

  @Test
  void everyProblemIsListedAtOnceAndNoTokenIsQuoted() throws Exception {
    FileUsers source =
        users(
            "{\"users\":[{\"key\":\"u1\",\"refresh_token\":\"secret-a\"},{\"key\":\"u1\",\"refresh_token\":\"secret-b\"},"
                + "{\"refresh_token\":\"secret-c\"},{\"key\":\"u4\"}]}");
    assertThatThrownBy(source::load)
        .hasMessageContaining("'u1' appears twice")
        .hasMessageContaining("('u4') has no \"refresh_token\"")
        .message()
        .doesNotContain("secret-");
  }

  @Test
  void anEntryWithoutAKeyLoadsAndGetsItsKeyWrittenBackWithoutTouchingTheOthers() throws Exception {
    FileUsers source =
        users(
            "{\"users\":[{\"key\":\"u1\",\"refresh_token\":\"rt-1\"},{\"refresh_token\":\"rt-2\"}]}");
    List<UserCredential> loaded = source.load();
    assertThat(loaded).extracting(UserCredential::key).containsExactly("u1", null);

    source.keyed(loaded.get(1), "acct-2");

    assertThat(source.load())
        .extracting(UserCredential::key, u -> u.refreshToken().reveal())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("u1", "rt-1"),
            org.assertj.core.groups.Tuple.tuple("acct-2", "rt-2"));
  }

  @Test
  void aMissingFileSaysWhatToPass() {
    FileUsers source = new FileUsers(new LocalBlobStore(root), "nope.json");
    assertThatThrownBy(source::load)
        .hasMessageContaining("does not exist")
        .hasMessageContaining("--users");
  }

  @Test
  void secretManagerReferencesParseOrExplainTheirForm() {
    assertThat(SecretAccess.Ref.parse("sm://projects/p1/secrets/users").toString())
        .isEqualTo("sm://projects/p1/secrets/users/versions/latest");
    assertThatThrownBy(() -> SecretAccess.Ref.parse("projects/p1/secrets/users"))
        .hasMessageContaining("sm://projects/PROJECT/secrets/NAME");
  }
}
