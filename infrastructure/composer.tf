# The Composer 3 environment that runs the DAGs. Everything the DAGs read comes from here as
# Airflow Variables (environment variables AIRFLOW_VAR_<NAME>), under the names of the contract
# in airflow/dags/spotify_listening/names.json.

resource "google_composer_environment" "this" {
  name    = "${var.name_prefix}-airflow"
  project = var.project_id
  region  = var.region
  labels  = local.labels

  deletion_policy = var.deletion_protection ? "PREVENT" : "DELETE"

  # The environment's bucket: DAGs go to gs://<artifacts>/dags/, next to the jars.
  storage_config {
    bucket = google_storage_bucket.artifacts.name
  }

  config {
    environment_size = var.composer_environment_size

    node_config {
      service_account = google_service_account.composer.email
    }

    software_config {
      image_version = var.composer_image_version

      airflow_config_overrides = {
        # A deploy never starts a run by itself: the DAGs are unpaused by hand (README).
        "core-dags_are_paused_at_creation" = "True"
      }

      env_variables = {
        for name, value in local.dag_variables : "AIRFLOW_VAR_${upper(name)}" => value
      }
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_project_iam_member.composer_worker,
    google_service_account_iam_member.composer_agent_uses_composer_sa,
  ]

  lifecycle {
    precondition {
      condition     = toset(keys(local.dag_variables)) == toset(keys(local.dag_contract.airflow_variables))
      error_message = "local.dag_variables (main.tf) must set exactly the airflow_variables of airflow/dags/spotify_listening/names.json: the DAGs read those names."
    }
    precondition {
      condition     = length(setintersection(toset(keys(local.dag_variables)), toset(keys(local.dag_contract.set_by_hand)))) == 0
      error_message = "A Variable the contract says is set by hand (a credential) must not be set by Terraform."
    }
  }
}
