# What the DAGs, the deploy steps of the README and an operator need.

output "airflow_variables" {
  description = "The Airflow Variables set on the Composer environment (names from airflow/dags/spotify_listening/names.json), e.g. for a local Airflow: export AIRFLOW_VAR_<NAME>=<value>."
  value       = local.dag_variables
}

output "landing_bucket" {
  description = "Bucket of the landed API pages and the extractor's _state/."
  value       = google_storage_bucket.landing.name
}

output "lake_bucket" {
  description = "Bucket of bronze (bronze/) and the look-up lists (lookup-list/)."
  value       = google_storage_bucket.lake.name
}

output "artifacts_bucket" {
  description = "Bucket of the Spark jobs jar (jars/) and, as Composer's bucket, the DAGs (dags/)."
  value       = google_storage_bucket.artifacts.name
}

output "temporary_bucket" {
  description = "Scratch bucket: the BigQuery connector's indirect writes and Dataproc staging."
  value       = google_storage_bucket.temporary.name
}

output "jobs_jar_uri" {
  description = "Where to upload spark-jobs/target/spark-jobs.jar."
  value       = local.dag_variables.spotify_jobs_jar_uri
}

output "dags_uri" {
  description = "Where to upload the DAG folder's contents."
  value       = "${google_composer_environment.this.config[0].dag_gcs_prefix}/"
}

output "gold_dataset" {
  description = "BigQuery dataset of the gold tables."
  value       = google_bigquery_dataset.gold.dataset_id
}

output "gold_tables" {
  description = "Gold tables, fully qualified."
  value       = { for name, t in google_bigquery_table.gold : name => "${t.project}.${t.dataset_id}.${t.table_id}" }
}

output "marts_dataset" {
  description = "BigQuery dataset dbt builds the marts in."
  value       = google_bigquery_dataset.marts.dataset_id
}

output "service_accounts" {
  description = "Service account email per workload."
  value = {
    extractor = google_service_account.extractor.email
    spark     = google_service_account.spark.email
    composer  = google_service_account.composer.email
    dbt       = google_service_account.dbt.email
  }
}

output "secrets" {
  description = "Secret Manager secrets to add values to, out of band (README)."
  value       = { for k, s in google_secret_manager_secret.extractor : k => s.id }
}

output "image_repository" {
  description = "Artifact Registry repository to push the extractor and dbt runner images to."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "extractor_job" {
  description = "Cloud Run job of the extractor."
  value       = google_cloud_run_v2_job.extractor.name
}

output "dbt_job" {
  description = "Cloud Run job of dbt build + the GX checkpoint."
  value       = google_cloud_run_v2_job.dbt.name
}

output "dataproc_subnetwork" {
  description = "Subnetwork of the Dataproc batches."
  value       = google_compute_subnetwork.dataproc.id
}

output "composer_environment" {
  description = "Composer environment name and its Airflow web UI."
  value = {
    name       = google_composer_environment.this.name
    airflow_ui = google_composer_environment.this.config[0].airflow_uri
  }
}
