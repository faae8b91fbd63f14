# Buckets: uniform bucket-level access, public access prevention enforced, lifecycle rules, and
# versioning where state lives. Nothing is ever public; access is granted per workload in iam.tf.

# Raw API pages as landed by the extractor, and the extractor's watermark state under _state/
# (its default STATE_URI, <landing>/_state): versioned, so a bad state write can be rolled back.
resource "google_storage_bucket" "landing" {
  name                        = "${var.project_id}-${var.name_prefix}-landing"
  project                     = var.project_id
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection
  labels                      = local.labels

  versioning {
    enabled = true
  }

  # Landing is read by bronze during the lateness window only: after that it is the archive
  # that lets gold be rebuilt, so it moves to a colder class.
  lifecycle_rule {
    condition {
      age                   = var.landing_cold_after_days
      matches_storage_class = ["STANDARD"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = var.landing_cold_storage_class
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]

  # checkov:skip=CKV_GCP_62:Access logs would go to yet another bucket; Cloud Audit Logs (data access) is the record here.
}

# Bronze Parquet (bronze/) and the enrichment look-up lists (lookup-list/). Rebuilt from landing
# by re-running bronze, so no versioning: every re-run would keep a full noncurrent copy.
resource "google_storage_bucket" "lake" {
  name                        = "${var.project_id}-${var.name_prefix}-lake"
  project                     = var.project_id
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection
  labels                      = local.labels

  # Uploads a batch that died mid-write left unfinished.
  lifecycle_rule {
    condition {
      age = 2
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  # Look-up lists are inputs of one day's look-ups.
  lifecycle_rule {
    condition {
      age            = 30
      matches_prefix = ["${local.lake_prefix.lookup_list}/"]
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]

  # checkov:skip=CKV_GCP_62:Access logs would go to yet another bucket; Cloud Audit Logs (data access) is the record here.
  # checkov:skip=CKV_GCP_78:Derived data, rebuilt from the versioned landing bucket; versioning would keep a copy of every re-run.
}

# The Spark jobs jar (jars/) and, as the Composer environment's bucket, the DAGs (dags/) and
# Airflow's logs. Versioned, so a bad jar or DAG upload can be rolled back. Composer needs this
# bucket in the environment's region, STANDARD class, no retention policy.
resource "google_storage_bucket" "artifacts" {
  name                        = "${var.project_id}-${var.name_prefix}-artifacts"
  project                     = var.project_id
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection
  labels                      = local.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]

  # checkov:skip=CKV_GCP_62:Access logs would go to yet another bucket; Cloud Audit Logs (data access) is the record here.
}

# Scratch: the BigQuery connector's indirect writes and Dataproc's staging files. Everything
# expires; nothing here is state.
resource "google_storage_bucket" "temporary" {
  name                        = "${var.project_id}-${var.name_prefix}-tmp"
  project                     = var.project_id
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = local.labels

  # Scratch needs no undelete window.
  soft_delete_policy {
    retention_duration_seconds = 0
  }

  lifecycle_rule {
    condition {
      age = var.temporary_object_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]

  # checkov:skip=CKV_GCP_62:Scratch data that expires within days; access logs would outlive it.
  # checkov:skip=CKV_GCP_78:Scratch data that expires within days: nothing to roll back.
}
