package dev.listening.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.listening.local.robust.CrashDrill;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The extractor killed hard more than twenty times over a simulated day (at random moments, and at
 * a written-but-unpublished part, a published-but-unlisted part, a listed part whose watermarks
 * were not yet committed) and resumed each time: nothing lost, nothing twice, no half-written part,
 * every gap still reported, no temp file left. The robustness command runs a bigger day the same
 * way.
 */
class CrashResumeTest {
  @Test
  void aDayKilledTwentyTimesOverLosesNothingAndDuplicatesNothing() throws Exception {
    Jars jars = new Jars();
    new CommandLine(jars)
        .parseArgs(
            "--extractor-jar",
            System.getProperty("extractor.jar", "../extractor/target/extractor.jar"),
            "--simulator-jar",
            System.getProperty("simulator.jar", "../simulator/target/simulator.jar"));
    Path out = Path.of("target", "crash-drill");
    SparkSession spark = LocalPipeline.spark();

    CrashDrill.Result r = new CrashDrill(jars, out, 20, 2400, 2, 2, 3).run(spark);

    assertThat(r.problems())
        .as("figures: %s; logs in %s", r.figures(), out.resolve("logs"))
        .isEmpty();
    assertThat((Integer) r.figures().get("hard_kills")).isGreaterThanOrEqualTo(20);
    assertThat((Long) r.figures().get("fct_listens_duplicates")).isZero();
    assertThat((Integer) r.figures().get("gaps_true")).as("a day with gaps to lose").isPositive();
    System.out.println("crash drill: " + r.figures());
  }
}
