package dev.listening.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.listening.jobs.bronze.BronzeJob;
import dev.listening.jobs.gold.GoldJob;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobArgsTest {
  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                BronzeJob.create(
                    JobArgs.parse(
                        "bronze",
                        List.of(
                            "--landing",
                            "s3://x",
                            "--date",
                            "20-11-2026",
                            "--endpoints",
                            "recently_played,podcasts",
                            "--max-quarantine-share",
                            "2",
                            "--colour",
                            "blue"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--landing 's3://x' must be a local path, file:// or gs:// URI")
        .hasMessageContaining("--bronze is required")
        .hasMessageContaining("--date '20-11-2026' is not a date")
        .hasMessageContaining("'podcasts' is not a landing endpoint")
        .hasMessageContaining("--max-quarantine-share must be between 0 and 1")
        .hasMessageContaining("--colour is not an option of the bronze job");
  }

  @Test
  void theBigQuerySinkNeedsItsOwnOptions() {
    assertThatThrownBy(
            () ->
                GoldJob.create(
                    JobArgs.parse(
                        "gold",
                        List.of("--bronze", "b", "--date", "2026-11-20", "--sink", "bigquery"))))
        .hasMessageContaining("--bq-project is required")
        .hasMessageContaining("--bq-dataset is required")
        .hasMessageContaining("--bq-temp-bucket is required");
    assertThat(
            GoldJob.create(
                JobArgs.parse(
                    "gold",
                    List.of(
                        "--bronze",
                        "gs://b/bronze",
                        "--gold",
                        "gs://b/gold",
                        "--date",
                        "2026-11-20",
                        "--lateness",
                        "90m"))))
        .isNotNull();
  }

  @Test
  void theMainClassNamesItsJobsAndRejectsUnknownOnes() {
    assertThat(JobsMain.jobNames()).containsExactly("bronze", "enrichment-list", "gold");
    assertThat(JobsMain.run("silver")).isEqualTo(2);
    assertThat(JobsMain.run("bronze", "--date", "nope")).isEqualTo(2);
  }
}
