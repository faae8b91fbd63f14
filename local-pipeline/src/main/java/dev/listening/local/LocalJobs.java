package dev.listening.local;

import dev.listening.jobs.JobsMain;
import dev.listening.landing.Endpoint;
import java.time.LocalDate;
import java.util.List;

/**
 * The Spark jobs of a day on a local run's folders, through the production main class, with the
 * arguments the daily DAG gives them (airflow/dags/spotify_listening/steps.py), in its order:
 * bronze of the day and of the next day's polls, the look-up list, (the look-ups,) bronze of the
 * look-ups, gold. The run command and the drills call these instead of spelling the lines out.
 */
public record LocalJobs(
    String landing, String bronze, String lookupList, String gold, LocalDate day) {
  /** How late gold waits for plays: the local day's polls run through 02:00 the next day. */
  static final String LATENESS = "2h";

  /** Bronze of the day: every endpoint landed on it. */
  public void bronzeOfDay() {
    run("bronze", "--landing", landing, "--bronze", bronze, "--landing-date", day.toString());
  }

  /** Bronze of the next day's polls: the day's late plays. */
  public void bronzeOfNextDay() {
    run(
        "bronze",
        "--landing",
        landing,
        "--bronze",
        bronze,
        "--landing-date",
        day.plusDays(1).toString(),
        "--endpoints",
        Endpoint.RECENTLY_PLAYED.landingName());
  }

  /** The day's look-up list. */
  public void enrichmentList() {
    run(
        "enrichment-list",
        "--bronze",
        bronze,
        "--out",
        lookupList,
        "--landing-date",
        day.toString());
  }

  /** Where the look-ups read the day's list (their --ids). */
  public String lookupListOfDay() {
    return lookupList + "/date=" + day;
  }

  /** Bronze of what the day's look-ups landed. */
  public void bronzeOfLookups() {
    run(
        "bronze",
        "--landing",
        landing,
        "--bronze",
        bronze,
        "--landing-date",
        day.toString(),
        "--endpoints",
        Endpoint.LOOKUPS_GROUP);
  }

  /** Gold of the day, with its quality gates. */
  public void goldOfDay() {
    run(
        "gold",
        "--bronze",
        bronze,
        "--gold",
        gold,
        "--play-date",
        day.toString(),
        "--lateness",
        LATENESS);
  }

  /** One job; a non-zero exit stops the caller with the job's command line and exit code. */
  public static void run(String... args) {
    int code = JobsMain.run(args);
    if (code != 0) {
      throw new IllegalStateException(
          "the "
              + args[0]
              + " job "
              + String.join(" ", List.of(args).subList(1, args.length))
              + " exited "
              + code);
    }
  }
}
