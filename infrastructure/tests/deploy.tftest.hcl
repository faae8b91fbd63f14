# `tofu test` of the whole configuration against a mocked Google provider: every expression,
# for_each, variable validation and precondition is evaluated as an apply would, with no cloud.
# Needs the provider's schema, so it runs in validate.sh (not in ./test.sh; see that script).

mock_provider "google" {
  mock_data "google_project" {
    defaults = {
      number = "123456789012"
    }
  }
  # Computed attributes the provider validates where they are used (random strings are not
  # members or account names).
  mock_resource "google_service_account" {
    defaults = {
      email  = "mocked-account@my-listening-project.iam.gserviceaccount.com"
      member = "serviceAccount:mocked-account@my-listening-project.iam.gserviceaccount.com"
      name   = "projects/my-listening-project/serviceAccounts/mocked-account@my-listening-project.iam.gserviceaccount.com"
    }
  }
}

variables {
  project_id  = "my-listening-project"
  region      = "europe-west1"
  alert_email = "data-oncall@example.com"
}

run "a_deploy_with_the_example_values" {
  command = apply

  assert {
    condition     = length(google_bigquery_table.gold) == 7
    error_message = "one BigQuery table per gold table"
  }
  assert {
    condition     = google_bigquery_table.gold["fct_listens"].time_partitioning[0].field == "play_date" && google_bigquery_table.gold["fct_listens"].time_partitioning[0].type == "DAY"
    error_message = "fct_listens is partitioned by day on play_date"
  }
  assert {
    condition     = length(google_bigquery_table.gold["dim_tracks"].time_partitioning) == 0
    error_message = "dimensions are not partitioned (the job rewrites them whole)"
  }
  assert {
    condition     = google_bigquery_table.gold["fct_listens"].clustering == tolist(["user_key", "track_id"])
    error_message = "fct_listens is clustered on user_key, track_id"
  }
  assert {
    condition     = google_storage_bucket.landing.name == "my-listening-project-listening-landing"
    error_message = "bucket names are <project>-<prefix>-<role>"
  }
  assert {
    condition     = google_composer_environment.this.config[0].software_config[0].env_variables["AIRFLOW_VAR_SPOTIFY_LANDING_URI"] == "gs://my-listening-project-listening-landing"
    error_message = "the DAGs' landing URI is the landing bucket"
  }
  assert {
    condition     = google_composer_environment.this.config[0].software_config[0].env_variables["AIRFLOW_VAR_SPOTIFY_JOBS_JAR_URI"] == "gs://my-listening-project-listening-artifacts/jars/spark-jobs.jar"
    error_message = "the jobs jar lives in the artifacts bucket under jars/"
  }
  assert {
    condition     = google_composer_environment.this.config[0].software_config[0].env_variables["AIRFLOW_VAR_SPOTIFY_GOLD_DATASET"] == "listening_gold"
    error_message = "the gold dataset's id has no hyphen"
  }
  assert {
    condition     = length(google_composer_environment.this.config[0].software_config[0].env_variables) == length(jsondecode(file("../airflow/dags/spotify_listening/names.json")).airflow_variables)
    error_message = "every Variable of the contract is set, and no other"
  }
  assert {
    condition     = google_composer_environment.this.storage_config[0].bucket == google_storage_bucket.artifacts.name
    error_message = "the DAGs live in the artifacts bucket"
  }
  assert {
    condition     = [for e in google_cloud_run_v2_job.extractor.template[0].template[0].containers[0].env : e.value if e.name == "USERS_URI"][0] == "sm://${google_secret_manager_secret.extractor["users"].id}"
    error_message = "the extractor reads (and rotates) the users secret through Secret Manager"
  }
  assert {
    condition     = google_cloud_run_v2_job.extractor.template[0].template[0].timeout == "3000s"
    error_message = "an hourly poll times out before the next one"
  }
  assert {
    condition     = output.airflow_variables["spotify_extractor_job"] == google_cloud_run_v2_job.extractor.name
    error_message = "the DAGs run the extractor job Terraform made"
  }
  assert {
    condition     = length(google_monitoring_alert_policy.dag_task_failed.notification_channels) == 1
    error_message = "the alert notifies the email channel"
  }
}

run "an_alert_needs_somewhere_to_go" {
  command = plan
  variables {
    alert_email = null
  }
  expect_failures = [google_monitoring_alert_policy.dag_task_failed]
}

run "a_bad_project_id_is_refused" {
  command = plan
  variables {
    project_id = "My_Project"
  }
  expect_failures = [var.project_id]
}

run "a_composer_2_image_is_refused" {
  command = plan
  variables {
    composer_image_version = "composer-2-airflow-2.10.5"
  }
  expect_failures = [var.composer_image_version]
}

run "a_playlist_id_must_be_a_spotify_id" {
  command = plan
  variables {
    playlist_ids = ["not-an-id"]
  }
  expect_failures = [var.playlist_ids]
}
