# Names and shared values, each defined once. The other files are split by service.

locals {
  labels = merge(var.labels, {
    app        = "spotify-listening"
    managed_by = "terraform"
  })

  bigquery_location = coalesce(var.bigquery_location, var.region)

  # The contract with the DAGs: the Airflow Variables they read (names), the failure log line the
  # alert matches, and the environment of the dbt runner. See airflow/dags/spotify_listening/.
  dag_contract = jsondecode(file("${path.module}/../airflow/dags/spotify_listening/names.json"))

  # Where the extractor lands pages; its watermark state goes under <landing_uri>/_state/.
  landing_uri = "gs://${google_storage_bucket.landing.name}"

  # Object prefixes inside the lake bucket. The extractor may read the look-up lists only.
  lake_prefix = {
    bronze      = "bronze"
    lookup_list = "lookup-list"
  }
  jobs_jar_object = "jars/spark-jobs.jar"

  # Gold tables: partitioning and clustering per table (the Spark gold job writes them, see
  # spark-jobs GoldTable), schemas in bigquery/schemas/gold/<table>.json. A test in spark-jobs
  # compares both with what the job writes.
  gold_tables = jsondecode(file("${path.module}/bigquery/gold_tables.json"))

  # Every Airflow Variable the DAGs read (names.json, airflow_variables), with its value.
  # composer.tf fails the plan when a name is missing here or set here but not in the contract.
  dag_variables = {
    spotify_target                   = "gcp"
    spotify_project                  = var.project_id
    spotify_region                   = var.region
    spotify_landing_bucket           = google_storage_bucket.landing.name
    spotify_landing_uri              = local.landing_uri
    spotify_bronze_uri               = "gs://${google_storage_bucket.lake.name}/${local.lake_prefix.bronze}"
    spotify_lookup_list_uri          = "gs://${google_storage_bucket.lake.name}/${local.lake_prefix.lookup_list}"
    spotify_jobs_jar_uri             = "gs://${google_storage_bucket.artifacts.name}/${local.jobs_jar_object}"
    spotify_dataproc_runtime_version = var.dataproc_runtime_version
    spotify_dataproc_service_account = google_service_account.spark.email
    spotify_dataproc_subnetwork_uri  = google_compute_subnetwork.dataproc.id
    spotify_dataproc_staging_bucket  = google_storage_bucket.temporary.name
    spotify_bq_temp_bucket           = google_storage_bucket.temporary.name
    spotify_gold_dataset             = google_bigquery_dataset.gold.dataset_id
    spotify_marts_dataset            = google_bigquery_dataset.marts.dataset_id
    spotify_extractor_job            = google_cloud_run_v2_job.extractor.name
    spotify_extractor_task_count     = tostring(var.extractor_task_count)
    spotify_dbt_job                  = google_cloud_run_v2_job.dbt.name
    spotify_playlist_ids             = join(",", var.playlist_ids)
    spotify_new_releases_markets     = join(",", var.new_releases_markets)
    spotify_lateness_hours           = tostring(var.lateness_hours)
  }

  # dbt's target dataset: dbt puts staging views in <it>_staging and marts in <it>_marts (its
  # custom schemas, dbt_project.yml), which are the datasets bigquery.tf declares.
  warehouse_dataset = replace(var.name_prefix, "-", "_")

  # The dbt runner's environment (names.json, dbt_runner_env): the names dbt's prod profile and
  # the GX checkpoint read, with their values.
  dbt_runner_env = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    BQ_LOCATION          = local.bigquery_location
    BQ_GOLD_DATASET      = google_bigquery_dataset.gold.dataset_id
    BQ_WAREHOUSE_DATASET = local.warehouse_dataset
  }
}
