# The extractor's secrets. Terraform creates the secrets, never their values: versions are added
# out of band (see the README), so no secret value is ever in Terraform state. Only the
# extractor's service account can read them (iam.tf).
locals {
  secrets = {
    client_id = {
      secret_id   = "${var.name_prefix}-spotify-client-id"
      description = "Spotify app client id (SPOTIFY_CLIENT_ID)."
    }
    client_secret = {
      secret_id   = "${var.name_prefix}-spotify-client-secret"
      description = "Spotify app client secret (SPOTIFY_CLIENT_SECRET)."
    }
    # {"users":[{"key":...,"refresh_token":...}]}. The extractor adds a version when Spotify
    # rotates a user's refresh token, so it may add versions to this secret (and only this one).
    users = {
      secret_id   = "${var.name_prefix}-spotify-users"
      description = "Users and their Spotify refresh tokens, JSON (USERS_URI=sm://...)."
    }
  }
}

resource "google_secret_manager_secret" "extractor" {
  for_each = local.secrets

  project   = var.project_id
  secret_id = each.value.secret_id
  labels    = local.labels
  annotations = {
    description = each.value.description
  }

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.enabled]
}
