# Container images of the Cloud Run jobs (extractor, dbt + checkpoint runner). Cloud Run's
# service agent pulls from a repository of the same project without further grants.
resource "google_artifact_registry_repository" "images" {
  repository_id = var.name_prefix
  project       = var.project_id
  location      = var.region
  format        = "DOCKER"
  description   = "Images of the Spotify listening pipeline's Cloud Run jobs."
  labels        = local.labels

  docker_config {
    immutable_tags = true
  }

  # Keep the last 10 versions of each image; untagged layers go after a week.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 10
    }
  }
  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "604800s"
    }
  }

  depends_on = [google_project_service.enabled]

  # checkov:skip=CKV_GCP_84:Google-managed encryption; the images hold code only (no secrets are baked in), and a customer-managed key would add a KMS key ring to run.
}
