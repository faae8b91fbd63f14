package dev.listening.extractor.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
  @Test
  void parsesAndDefaultsFromCloudRunTaskVariables() {
    assertThat(Shard.parse("2/8")).isEqualTo(new Shard(2, 8));
    assertThat(
            Shard.fromEnvironment(Map.of("CLOUD_RUN_TASK_INDEX", "3", "CLOUD_RUN_TASK_COUNT", "5")))
        .isEqualTo(new Shard(3, 5));
    assertThat(Shard.fromEnvironment(Map.of())).isEqualTo(Shard.ONLY);
    assertThatThrownBy(() -> Shard.parse("4/4")).hasMessageContaining("0 <= i < n");
    assertThatThrownBy(() -> Shard.parse("x")).hasMessageContaining("i/n");
  }

  @Test
  void everyKeyBelongsToExactlyOneShardAndTheSplitIsEven() {
    int n = 4;
    int[] counts = new int[n];
    for (int k = 0; k < 4000; k++) {
      String key = "u" + k;
      int owners = (int) IntStream.range(0, n).filter(i -> new Shard(i, n).owns(key)).count();
      assertThat(owners).as("owners of %s", key).isEqualTo(1);
      for (int i = 0; i < n; i++) {
        if (new Shard(i, n).owns(key)) {
          counts[i]++;
        }
      }
    }
    assertThat(java.util.Arrays.stream(counts).boxed().toList())
        .allSatisfy(c -> assertThat(c).isBetween(850, 1150));
  }
}
