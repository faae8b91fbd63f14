package dev.listening.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.local.robust.FaultMatrix;
import dev.listening.simulator.FaultProfile;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The pipeline under every fault profile of the simulator, each alone and all together, on a small
 * day (10 users, polled at 01:00 and 02:00, then the look-ups): every run finishes (a run stopped
 * by the quota is resumed once the announced wait is over), gold equals the retrievable truth, no
 * request goes out before a Retry-After has passed, the users whose consent expired are reported
 * and only they, and each profile's fault really happened. The robustness command runs the same
 * drill on a bigger day ({@code ./run.sh robustness --drills faults}).
 */
class FaultMatrixTest {
  @Test
  void everyFaultProfileEndsWithGoldEqualToTheTruthAndNoRequestBeforeRetryAfter() throws Exception {
    Jars jars = new Jars();
    new CommandLine(jars)
        .parseArgs(
            "--extractor-jar",
            System.getProperty("extractor.jar", "../extractor/target/extractor.jar"),
            "--simulator-jar",
            System.getProperty("simulator.jar", "../simulator/target/simulator.jar"));
    Path out = Path.of("target", "fault-matrix");
    SparkSession spark = LocalPipeline.spark();
    List<FaultProfile> profiles = FaultProfile.matrix();
    int users = 10;

    // Seed 4: a day on which the 1% of cut-off bodies does meet one of its few requests.
    FaultMatrix.Result r =
        new FaultMatrix(jars, out, users, users * 120L, 2, profiles, 4, 5).run(spark);

    System.out.println(FaultMatrix.heading());
    r.outcomes().forEach(o -> System.out.println(FaultMatrix.line(o)));
    System.out.println("seconds per stage: " + r.stageSeconds());
    assertThat(r.problems()).as("figures: %s; logs in %s", r.outcomes(), out).isEmpty();
    assertThat(r.outcomes())
        .extracting(FaultMatrix.Outcome::profile)
        .containsExactlyElementsOf(profiles.stream().map(FaultProfile::wireName).toList());
    for (FaultMatrix.Outcome o : r.outcomes()) {
      Map<String, Object> f = o.figures();
      assertThat(f.get("gold_equals_truth")).as(o.profile()).isEqualTo(true);
      assertThat((Long) f.get("truth_rows")).as(o.profile()).isPositive();
      assertThat(f.get("gold_rows")).as(o.profile()).isEqualTo(f.get("truth_rows"));
      assertThat((Long) f.get("requests_before_retry_after_passed")).as(o.profile()).isZero();
      boolean expiredConsents = o.profile().equals("invalid-grant") || o.profile().equals("all");
      assertThat((Collection<?>) f.get("users_skipped"))
          .as(o.profile() + ": users reported with invalid_grant")
          .hasSize(expiredConsents ? FaultProfile.invalidGrantUsers(users) : 0);
    }
    Map<String, Object> quota = figures(r, "quota");
    assertThat((Integer) quota.get("runs_stopped"))
        .as("stopped by the quota, resumed")
        .isPositive();
    assertThat((Long) figures(r, "malformed").get("malformed_bodies_quarantined")).isPositive();
    assertThat((Long) figures(r, "slow").get("retries")).isPositive();
  }

  private static Map<String, Object> figures(FaultMatrix.Result r, String profile) {
    return r.outcomes().stream()
        .filter(o -> o.profile().equals(profile))
        .findFirst()
        .orElseThrow()
        .figures();
  }
}
