package dev.listening.extractor.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.listening.extractor.Json;
import dev.listening.extractor.api.Secret;
import dev.listening.extractor.api.Timing;
import dev.listening.extractor.state.Leases;
import dev.listening.extractor.storage.LocalBlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret Manager's versions have no compare-and-set: the last version added wins. Secret Manager
 * cannot run here, so a fake with its semantics stands in (an in-memory list of versions, and a
 * pause between reading the latest and adding the next, which is where two writers interleave).
 */
class LeasedUsersTest {
  @TempDir Path dir;

  /** Versions in memory; {@code latest} is the last one added. */
  private static final class LastWriterWins implements SecretAccess {
    final List<byte[]> versions = new ArrayList<>();

    @Override
    public byte[] read(Ref ref) throws IOException {
      byte[] latest;
      synchronized (this) {
        latest = versions.get(versions.size() - 1);
      }
      try {
        Thread.sleep(15); // a network round trip: another writer may add a version meanwhile
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      return latest;
    }

    @Override
    public synchronized void addVersion(Ref ref, byte[] payload) {
      versions.add(payload);
    }
  }

  private static Map<String, String> tokens(byte[] document) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode u : Json.mapper().readTree(document).path("users")) {
      out.put(u.path("key").asText(), u.path("refresh_token").asText());
    }
    return out;
  }

  @Test
  void twoShardsRotatingDifferentUsersOnSecretManagerBothKeepTheirLastToken() throws Exception {
    LastWriterWins secrets = new LastWriterWins();
    secrets.addVersion(
        null,
        "{\"users\":[{\"key\":\"u1\",\"refresh_token\":\"rt-u1-0\"},{\"key\":\"u2\",\"refresh_token\":\"rt-u2-0\"}]}"
            .getBytes(StandardCharsets.UTF_8));
    SecretAccess.Ref ref = SecretAccess.Ref.parse("sm://projects/p/secrets/users");
    List<UserSource> shards = new ArrayList<>();
    for (int shard = 0; shard < 2; shard++) {
      // Each shard its own process in production: its own source and its own lease holder.
      shards.add(
          LeasedUsers.wrap(
              new SecretManagerUsers(secrets, ref),
              new Leases(new LocalBlobStore(dir), Clock.systemUTC(), Timing.SYSTEM)));
    }

    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int shard = 0; shard < 2; shard++) {
      UserSource users = shards.get(shard);
      String key = "u" + (shard + 1);
      writers.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int n = 1; n <= 10; n++) {
                    users.rotated(
                        new UserCredential(key, Secret.of("rt-" + key + "-" + (n - 1))),
                        Secret.of("rt-" + key + "-" + n));
                  }
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    assertThat(tokens(secrets.read(ref)))
        .as(
            "each user's tenth rotation stored; without the lease one shard's versions drop the other's")
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("u1", "rt-u1-10", "u2", "rt-u2-10")));
    assertThat(secrets.versions).as("one version per rotation").hasSize(21);
  }

  @Test
  void aFileSourceNeedsNoLeaseAndTheSimulatorsStoresNothing() {
    Leases leases = new Leases(new LocalBlobStore(dir), Clock.systemUTC(), Timing.SYSTEM);
    UserSource file = new FileUsers(new LocalBlobStore(dir), "users.json");
    assertThat(LeasedUsers.wrap(file, leases)).as("compare-and-set on the file").isSameAs(file);
    assertThat(
            LeasedUsers.wrap(
                new SecretManagerUsers(
                    new LastWriterWins(), SecretAccess.Ref.parse("sm://projects/p/secrets/u")),
                leases))
        .isInstanceOf(LeasedUsers.class);
  }
}
