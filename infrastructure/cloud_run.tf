# The Cloud Run jobs the DAGs execute. Each runs as its own service account; the DAGs pass the
# command and the day as container args (overrides), everything else is set here.

resource "google_cloud_run_v2_job" "extractor" {
  name                = "${var.name_prefix}-extractor"
  project             = var.project_id
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = local.labels

  template {
    labels = local.labels
    # Users are sharded over the tasks (CLOUD_RUN_TASK_INDEX/COUNT); the DAG may override it.
    task_count = var.extractor_task_count

    template {
      service_account = google_service_account.extractor.email
      timeout         = "${var.extractor_timeout_seconds}s"
      max_retries     = var.extractor_max_retries

      containers {
        image = var.extractor_image

        resources {
          limits = {
            cpu    = var.extractor_resources.cpu
            memory = var.extractor_resources.memory
          }
        }

        # The extractor's defaults point at a local simulator: production names the real API.
        env {
          name  = "SPOTIFY_API_BASE_URL"
          value = "https://api.spotify.com/v1"
        }
        env {
          name  = "SPOTIFY_ACCOUNTS_BASE_URL"
          value = "https://accounts.spotify.com"
        }
        env {
          name  = "SPOTIFY_APP_MODE"
          value = var.spotify_app_mode
        }
        env {
          name  = "LANDING_URI"
          value = local.landing_uri
        }
        env {
          name  = "LOG_FORMAT"
          value = "json"
        }
        # The users document is read, and rotated tokens written back, through the Secret
        # Manager API: a mounted copy could not take the new versions.
        env {
          name  = "USERS_URI"
          value = "sm://${google_secret_manager_secret.extractor["users"].id}"
        }
        env {
          name = "SPOTIFY_CLIENT_ID"
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.extractor["client_id"].secret_id
              version = "latest"
            }
          }
        }
        env {
          name = "SPOTIFY_CLIENT_SECRET"
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.extractor["client_secret"].secret_id
              version = "latest"
            }
          }
        }
      }
    }
  }

  # Cloud Run resolves the secrets when an execution starts: the account must be able to read
  # them first.
  depends_on = [
    google_project_service.enabled,
    google_secret_manager_secret_iam_member.extractor_reads,
  ]
}

resource "google_cloud_run_v2_job" "dbt" {
  name                = "${var.name_prefix}-dbt"
  project             = var.project_id
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = local.labels

  template {
    labels     = local.labels
    task_count = 1

    template {
      service_account = google_service_account.dbt.email
      timeout         = "${var.dbt_timeout_seconds}s"
      # dbt build is idempotent for a day; Airflow owns retries so they show in the DAG.
      max_retries = 0

      containers {
        image = var.dbt_runner_image

        resources {
          limits = {
            cpu    = "1"
            memory = "2Gi"
          }
        }

        dynamic "env" {
          for_each = local.dbt_runner_env
          content {
            name  = env.key
            value = env.value
          }
        }
      }
    }
  }

  depends_on = [google_project_service.enabled]

  lifecycle {
    precondition {
      condition     = toset(keys(local.dbt_runner_env)) == toset(keys(local.dag_contract.dbt_runner_env))
      error_message = "local.dbt_runner_env (main.tf) must set exactly the dbt_runner_env names of airflow/dags/spotify_listening/names.json."
    }
  }
}
