# The gold dataset (written by the Spark gold job through the spark-bigquery-connector) and the
# marts dataset (built by dbt). The gold tables exist before the first run because the job writes
# with createDisposition CREATE_NEVER and passes no partitioning options: partitioning and
# clustering live here only.

resource "google_bigquery_dataset" "gold" {
  dataset_id                 = replace("${var.name_prefix}_gold", "-", "_")
  project                    = var.project_id
  location                   = local.bigquery_location
  description                = "Gold tables of the Spotify listening pipeline, written by the Spark gold job."
  delete_contents_on_destroy = !var.deletion_protection
  labels                     = local.labels

  depends_on = [google_project_service.enabled]

  # checkov:skip=CKV_GCP_81:Google-managed encryption; a customer-managed key adds a KMS key ring and its own access grants for no requirement of this product.
}

resource "google_bigquery_dataset" "marts" {
  dataset_id                 = "${local.warehouse_dataset}_marts"
  project                    = var.project_id
  location                   = local.bigquery_location
  description                = "Marts of the Spotify listening pipeline, built by dbt from the gold tables."
  delete_contents_on_destroy = !var.deletion_protection
  labels                     = local.labels

  depends_on = [google_project_service.enabled]

  # checkov:skip=CKV_GCP_81:Google-managed encryption; a customer-managed key adds a KMS key ring and its own access grants for no requirement of this product.
}

# dbt's staging views (stg_spotify__*), next to the marts: dbt writes `<warehouse>_staging`.
resource "google_bigquery_dataset" "staging" {
  dataset_id                 = "${local.warehouse_dataset}_staging"
  project                    = var.project_id
  location                   = local.bigquery_location
  description                = "Staging views of the Spotify listening warehouse (dbt), over the gold tables."
  delete_contents_on_destroy = !var.deletion_protection
  labels                     = local.labels

  depends_on = [google_project_service.enabled]

  # checkov:skip=CKV_GCP_81:Google-managed encryption, as for the other datasets.
}

resource "google_bigquery_table" "gold" {
  for_each = local.gold_tables

  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gold.dataset_id
  table_id            = each.key
  description         = each.value.description
  schema              = file("${path.module}/bigquery/schemas/gold/${each.key}.json")
  clustering          = each.value.clustering
  deletion_protection = var.deletion_protection
  labels              = local.labels

  # Day partitions on the table's date column, for the tables the job overwrites partition by
  # partition (dynamic partition overwrite); the others are rewritten whole on every run.
  dynamic "time_partitioning" {
    for_each = each.value.partition_field == null ? [] : [each.value.partition_field]
    content {
      type  = "DAY"
      field = time_partitioning.value
    }
  }

  # checkov:skip=CKV_GCP_80:Google-managed encryption, as for the dataset.
}
