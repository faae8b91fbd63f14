package dev.listening.extractor.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.extractor.Configs;
import dev.listening.landing.AppMode;
import dev.listening.landing.Shard;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractorConfigTest {
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);

  private static List<String> problems(Map<String, String> env, String... args) {
    List<String> problems = new ArrayList<>();
    ExtractorConfig c =
        ExtractorConfig.from(Configs.options(args), "sim", true, null, env, NOON, problems);
    assertThat(c == null).as("no config when there are problems").isEqualTo(!problems.isEmpty());
    return problems;
  }

  @Test
  void everyProblemIsListedAtOnce() {
    List<String> p =
        problems(
            Map.of(),
            "--api-base-url",
            "not a url",
            "--date",
            "20/11/2026",
            "--shard",
            "3/2",
            "--app-mode",
            "turbo",
            "--max-rps",
            "0",
            "--run-id",
            "a/b",
            "--log-format",
            "xml");
    assertThat(p).hasSize(7);
    assertThat(String.join("\n", p))
        .contains("--api-base-url 'not a url'")
        .contains("--landing-date '20/11/2026' is not a date: use YYYY-MM-DD")
        .contains("0 <= i < n")
        .contains("--app-mode 'turbo'")
        .contains("--max-rps")
        .contains("--run-id")
        .contains("--log-format 'xml'");
  }

  @Test
  void aSecretPastedWhereItsReferenceBelongsIsRefusedWithoutEchoingIt() {
    String secret = "3f1b9c0d8e7a6b5c4d3e2f1a0b9c8d7e";
    assertThat(problems(Map.of(), "--client-secret-ref", secret))
        .singleElement()
        .asString()
        .contains("--client-secret-ref must be")
        .doesNotContain(secret);
    assertThat(problems(Map.of(), "--client-secret-ref", "sm://" + secret))
        .singleElement()
        .asString()
        .doesNotContain(secret);
  }

  @Test
  void aValidConfigResolvesDefaultsAndDescribesItselfWithoutSecretValues() {
    String secret = "s3cr3t-value-that-must-not-print";
    ExtractorConfig c =
        Configs.parse(
            Map.of("MY_SECRET", secret, "CLOUD_RUN_TASK_INDEX", "1", "CLOUD_RUN_TASK_COUNT", "3"),
            "users.json",
            true,
            null,
            "--client-id",
            "abc",
            "--client-secret-ref",
            "env:MY_SECRET",
            "--landing",
            "gs://bucket/landing/",
            "--run-id",
            "poll-1",
            "--date",
            "2026-11-20",
            "--app-mode",
            "development");
    assertThat(c.shard()).isEqualTo(new Shard(1, 3));
    assertThat(c.state()).isEqualTo("gs://bucket/landing/_state");
    assertThat(c.appMode()).isEqualTo(AppMode.DEVELOPMENT);
    assertThat(c.date()).isEqualTo(LocalDate.parse("2026-11-20"));
    assertThat(((ClientSecretRef.Env) c.connection().clientSecret()).value().reveal())
        .isEqualTo(secret);
    assertThat(c.describe().toString())
        .contains("env:MY_SECRET", "poll-1", "1/3")
        .doesNotContain(secret);
    assertThat(c.toString()).doesNotContain(secret);
  }
}
