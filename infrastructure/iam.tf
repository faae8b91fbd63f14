# One service account per workload, each with only the roles it needs, granted on the narrowest
# resource that takes the grant (bucket, dataset, secret, job, service account). Project-level
# grants are left only where Google Cloud offers nothing narrower; each says why. No primitive
# role, no allUsers / allAuthenticatedUsers (infrastructure/tests checks both).

locals {
  service_accounts = {
    extractor = "Cloud Run job: the Spotify extractor"
    spark     = "Dataproc Serverless batches: the Spark jobs"
    composer  = "Composer environment: the DAGs"
    dbt       = "Cloud Run job: dbt build and the GX checkpoint"
  }
}

resource "google_service_account" "extractor" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-extractor"
  display_name = local.service_accounts.extractor
}

resource "google_service_account" "spark" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-spark"
  display_name = local.service_accounts.spark
}

resource "google_service_account" "composer" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-composer"
  display_name = local.service_accounts.composer
}

resource "google_service_account" "dbt" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-dbt"
  display_name = local.service_accounts.dbt
}

# --- Extractor -------------------------------------------------------------------------------

# Lands parts and manifests, and reads and compare-and-sets its watermark state under _state/.
resource "google_storage_bucket_iam_member" "extractor_landing" {
  bucket = google_storage_bucket.landing.name
  role   = "roles/storage.objectUser"
  member = google_service_account.extractor.member
}

# The lookups command reads the day's look-up list; nothing else in the lake.
resource "google_storage_bucket_iam_member" "extractor_lookup_lists" {
  bucket = google_storage_bucket.lake.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.extractor.member

  condition {
    title       = "lookup-lists-only"
    description = "Objects under ${local.lake_prefix.lookup_list}/ only."
    expression  = "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.lake.name}/objects/${local.lake_prefix.lookup_list}/\")"
  }
}

resource "google_secret_manager_secret_iam_member" "extractor_reads" {
  for_each = google_secret_manager_secret.extractor

  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.extractor.member
}

# A rotated refresh token is stored as a new version of the users secret.
resource "google_secret_manager_secret_iam_member" "extractor_rotates_users" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.extractor["users"].secret_id
  role      = "roles/secretmanager.secretVersionAdder"
  member    = google_service_account.extractor.member
}

# --- Spark (Dataproc Serverless batches) ------------------------------------------------------

# Required of a batch's service account; granted on projects only.
resource "google_project_iam_member" "spark_dataproc_worker" {
  project = var.project_id
  role    = "roles/dataproc.worker"
  member  = google_service_account.spark.member
}

# The connector's load jobs: BigQuery grants job creation on projects only.
resource "google_project_iam_member" "spark_bigquery_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.spark.member
}

resource "google_storage_bucket_iam_member" "spark_reads_landing" {
  bucket = google_storage_bucket.landing.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.spark.member
}

resource "google_storage_bucket_iam_member" "spark_lake" {
  bucket = google_storage_bucket.lake.name
  role   = "roles/storage.objectUser"
  member = google_service_account.spark.member
}

resource "google_storage_bucket_iam_member" "spark_reads_jars" {
  bucket = google_storage_bucket.artifacts.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.spark.member
}

resource "google_storage_bucket_iam_member" "spark_temporary" {
  bucket = google_storage_bucket.temporary.name
  role   = "roles/storage.objectUser"
  member = google_service_account.spark.member
}

# Writes the gold tables (and the connector's temporary tables next to them).
resource "google_bigquery_dataset_iam_member" "spark_gold" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.gold.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.spark.member
}

# --- dbt + checkpoint -------------------------------------------------------------------------

resource "google_project_iam_member" "dbt_bigquery_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.dbt.member
}

resource "google_bigquery_dataset_iam_member" "dbt_reads_gold" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.gold.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.dbt.member
}

resource "google_bigquery_dataset_iam_member" "dbt_marts" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.marts.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.dbt.member
}

resource "google_bigquery_dataset_iam_member" "dbt_staging" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.staging.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.dbt.member
}

# --- Composer ---------------------------------------------------------------------------------

# Required of a Composer environment's service account, on the project. It includes object
# access to the project's buckets, which the environment's own bucket (artifacts) needs.
resource "google_project_iam_member" "composer_worker" {
  project = var.project_id
  role    = "roles/composer.worker"
  member  = google_service_account.composer.member

  # checkov:skip=CKV_GCP_49:Composer requires roles/composer.worker on the project for its environment's service account, and the role carries iam.serviceAccounts.actAs; no narrower grant makes an environment work. The account is used by the environment alone.
}

# Composer's service agent must be able to act for a custom environment service account.
resource "google_service_account_iam_member" "composer_agent_uses_composer_sa" {
  service_account_id = google_service_account.composer.name
  role               = "roles/composer.ServiceAgentV2Ext"
  member             = "serviceAccount:service-${data.google_project.this.number}@cloudcomposer-accounts.iam.gserviceaccount.com"
}

# Creating Dataproc batches: batches take no IAM policy of their own, so this is on the project.
resource "google_project_iam_member" "composer_dataproc_batches" {
  project = var.project_id
  role    = "roles/dataproc.editor"
  member  = google_service_account.composer.member
}

# A batch runs as the Spark account: the DAGs may hand that account to Dataproc, and no other.
resource "google_service_account_iam_member" "composer_uses_spark_sa" {
  service_account_id = google_service_account.spark.name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.composer.member
}

# Running the two Cloud Run jobs with per-run arguments (container overrides), on the jobs only.
resource "google_cloud_run_v2_job_iam_member" "composer_runs_extractor" {
  project  = var.project_id
  location = google_cloud_run_v2_job.extractor.location
  name     = google_cloud_run_v2_job.extractor.name
  role     = "roles/run.jobsExecutorWithOverrides"
  member   = google_service_account.composer.member
}

resource "google_cloud_run_v2_job_iam_member" "composer_runs_dbt" {
  project  = var.project_id
  location = google_cloud_run_v2_job.dbt.location
  name     = google_cloud_run_v2_job.dbt.name
  role     = "roles/run.jobsExecutorWithOverrides"
  member   = google_service_account.composer.member
}

# The operator waits on the long-running operation a job execution returns: Cloud Run's
# operations are project resources, readable with the viewer role only.
resource "google_project_iam_member" "composer_reads_run_operations" {
  project = var.project_id
  role    = "roles/run.viewer"
  member  = google_service_account.composer.member
}
