package dev.listening.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation: every problem at once, in words that say what to change. */
class SubmitOptionsTest {
  static final List<String> VALID =
      List.of(
          "--project=listening-dev",
          "--region=europe-west1",
          "--jobs-jar=gs://artifacts/spark-jobs.jar");

  static List<String> problems(String... args) {
    var e =
        catchThrowableOfType(
            SubmitOptions.InvalidOptionsException.class, () -> SubmitBatch.parse(Map.of(), args));
    assertThat(e).as("expected the command line to be rejected").isNotNull();
    return e.problems();
  }

  /** A valid command line except for what a test adds (a --batch-id unless it brings one). */
  static String[] validWith(String... more) {
    List<String> args = new ArrayList<>(VALID);
    if (List.of(more).stream().noneMatch(a -> a.startsWith("--batch-id"))) {
      args.add("--batch-id=bronze-20261120-try1");
    }
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void severalBadOptionsAreAllReported() {
    List<String> problems =
        problems(
            "--region=Europe West",
            "--batch-id=9lives",
            "--service-account=not-an-email",
            "--property=no-equals-sign",
            "--label=Env=dev",
            "--ttl=5m",
            "--timeout=soon",
            "--poll=200ms",
            "--",
            "bronze");

    assertThat(problems)
        .as("one line per problem, none hidden behind the first")
        .hasSize(10)
        .anySatisfy(p -> assertThat(p).startsWith("--project is required"))
        .anySatisfy(p -> assertThat(p).startsWith("--region 'Europe West'"))
        .anySatisfy(p -> assertThat(p).startsWith("--jobs-jar is required"))
        .anySatisfy(p -> assertThat(p).startsWith("--batch-id '9lives'"))
        .anySatisfy(p -> assertThat(p).startsWith("--service-account 'not-an-email'"))
        .anySatisfy(p -> assertThat(p).startsWith("--property 'no-equals-sign'"))
        .anySatisfy(p -> assertThat(p).startsWith("--label key 'Env'"))
        .anySatisfy(p -> assertThat(p).contains("--ttl 5m").contains("10m to 14d"))
        .anySatisfy(p -> assertThat(p).startsWith("--timeout 'soon'"))
        .anySatisfy(p -> assertThat(p).startsWith("--poll 200ms"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc", // 3 characters
        "bronze-20261120-try1-", // ends with a hyphen
        "1bronze", // starts with a digit
        "-bronze",
        "Bronze-1", // uppercase
        "bronze_1", // underscore
        "bronze.1",
        "a123456789012345678901234567890123456789012345678901234567890123" // 64 characters
      })
  void batchIdsThatBreakDataprocsRuleAreRejectedWithTheRule(String id) {
    assertThat(problems(validWith("--batch-id=" + id, "--", "bronze")))
        .singleElement()
        .asString()
        .contains("'" + id + "'")
        .contains("4-63 characters, lowercase letters, digits and hyphens")
        .contains("starting with a letter and not ending with a hyphen");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abcd",
        "bronze-20261120-try1",
        "a12345678901234567890123456789012345678901234567890123456789012" // 63 characters
      })
  void batchIdsWithinTheRuleAreAccepted(String id) {
    assertThat(SubmitBatch.parse(Map.of(), validWith("--batch-id=" + id, "--", "b")).batchId())
        .isEqualTo(id);
  }

  @Test
  void missingBatchIdIsReported() {
    assertThat(
            problems(
                "--project=listening-dev",
                "--region=europe-west1",
                "--jobs-jar=gs://artifacts/spark-jobs.jar",
                "--",
                "bronze"))
        .singleElement()
        .asString()
        .startsWith("--batch-id is required");
  }

  @Test
  void missingJobsJarSaysWhatItIs() {
    assertThat(
            problems(
                "--project=listening-dev",
                "--region=europe-west1",
                "--batch-id=bronze-1",
                "--",
                "bronze"))
        .containsExactly(
            "--jobs-jar is required (or set JOBS_JAR_URI): the gs:// URI of spark-jobs.jar");
  }

  @Test
  void jobArgumentsMustComeAfterDoubleDash() {
    assertThat(problems(validWith("bronze")))
        .containsExactly("put the Spark job and its arguments after --, e.g. -- bronze");
    assertThat(problems(validWith("--")))
        .singleElement()
        .asString()
        .startsWith("no Spark job given");
  }

  @Test
  void subnetOfAnotherRegionIsRejected() {
    assertThat(
            problems(
                validWith(
                    "--subnet=projects/p/regions/us-central1/subnetworks/default", "--", "bronze")))
        .containsExactly(
            "--subnet is in region us-central1 but the batch runs in europe-west1:"
                + " Dataproc needs a subnet of the batch's region");
  }

  @Test
  void labelsTheToolOwnsAndRepeatedPropertiesAreRejected() {
    assertThat(
            problems(
                validWith(
                    "--label=job=other",
                    "--property=spark.a=1",
                    "--property=spark.a=2",
                    "--",
                    "bronze")))
        .containsExactlyInAnyOrder(
            "--label job is set by this tool and cannot be given",
            "--property spark.a is given twice");
  }
}
