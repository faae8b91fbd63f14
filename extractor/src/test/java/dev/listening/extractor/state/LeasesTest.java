package dev.listening.extractor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.extractor.api.Timing;
import dev.listening.extractor.storage.LocalBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeasesTest {
  @TempDir Path dir;

  private Leases leases(Duration term) {
    return new Leases(new LocalBlobStore(dir), Clock.systemUTC(), Timing.SYSTEM, term);
  }

  @Test
  void holdersOfTheSameLeaseNeverOverlapAndGiveItBack() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<CompletableFuture<Void>> holders = new ArrayList<>();
    for (int h = 0; h < 4; h++) {
      Leases mine = leases(Duration.ofSeconds(30)); // one per holder, as separate processes
      holders.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 5; i++) {
                    mine.holding(
                        "_state/token_leases/user-x.json",
                        () -> {
                          most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                          Thread.sleep(5);
                          inside.decrementAndGet();
                          return null;
                        });
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    CompletableFuture.allOf(holders.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    assertThat(most.get()).as("never two holders at once").isEqualTo(1);
    assertThat(dir.resolve("_state/token_leases/user-x.json")).doesNotExist();
  }

  @Test
  void aLeaseItsHolderNeverGaveBackIsTakenOverAfterItsTerm() throws Exception {
    Path lease = Files.createDirectories(dir.resolve("_state/token_leases")).resolve("user-y.json");
    Files.writeString(
        lease,
        "{\"owner\":\"killed\",\"expires_at\":\"" + Instant.now().plusSeconds(1) + "\"}",
        StandardCharsets.UTF_8);
    long started = System.nanoTime();

    String result =
        leases(Duration.ofSeconds(5)).holding("_state/token_leases/user-y.json", () -> "ran");

    assertThat(result).isEqualTo("ran");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("waited for the dead holder's term, no longer")
        .isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
    assertThat(lease).doesNotExist();
  }

  @Test
  void aLeaseHeldPastTwiceTheTermIsAClearError() throws Exception {
    Path lease = Files.createDirectories(dir.resolve("_state/token_leases")).resolve("user-z.json");
    Files.writeString(
        lease,
        "{\"owner\":\"other\",\"expires_at\":\"" + Instant.now().plusSeconds(3600) + "\"}",
        StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                leases(Duration.ofMillis(300))
                    .holding("_state/token_leases/user-z.json", () -> "ran"))
        .hasMessageContaining("user-z.json")
        .hasMessageContaining("another extractor holds it");
    assertThat(lease).as("another holder's lease is left alone").exists();
  }
}
