variable "project_id" {
  type        = string
  description = "Google Cloud project that holds everything (it must exist, with billing enabled)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "Region of the buckets, Dataproc batches, Cloud Run jobs, Artifact Registry, the subnet and the Composer environment."

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as europe-west1 (not a zone, not a multi-region)."
  }
}

variable "bigquery_location" {
  type        = string
  description = "Location of the BigQuery datasets. null: the region. A multi-region (EU, US) must contain the region, or the connector's load jobs from the temporary bucket fail."
  default     = null

  validation {
    condition     = var.bigquery_location == null || can(regex("^(EU|US|[a-z]+-[a-z]+[0-9]+)$", var.bigquery_location))
    error_message = "bigquery_location must be EU, US or a region such as europe-west1."
  }
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (buckets are <project_id>-<name_prefix>-<role>, so they are globally unique)."
  default     = "listening"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3 to 16 lowercase letters, digits or hyphens, starting with a letter (service account ids and bucket names have length limits)."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels added to every resource that takes labels, on top of app and managed_by."
  default     = {}

  validation {
    condition = alltrue([
      for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))
    ])
    error_message = "Label keys must start with a lowercase letter; keys and values may hold lowercase letters, digits, _ and -, 63 characters at most."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Protect data and jobs from `terraform destroy`: BigQuery datasets keep their tables, buckets refuse to be destroyed while not empty, Cloud Run jobs and the Composer environment refuse deletion. Set false only for a throwaway project."
  default     = true
  # A bool is validated by its type; null is the one other value, and is refused.
  nullable = false
}

variable "landing_cold_after_days" {
  type        = number
  description = "Age in days after which landing objects move to landing_cold_storage_class. Bronze reads the landing dates of its lateness window only; a backfill that re-reads older landing pays the colder class's retrieval fee."
  default     = 30

  validation {
    condition     = var.landing_cold_after_days >= 1 && var.landing_cold_after_days <= 3650 && floor(var.landing_cold_after_days) == var.landing_cold_after_days
    error_message = "landing_cold_after_days must be a whole number from 1 to 3650."
  }
}

variable "landing_cold_storage_class" {
  type        = string
  description = "Storage class landing objects move to after landing_cold_after_days."
  default     = "COLDLINE"

  validation {
    condition     = contains(["NEARLINE", "COLDLINE", "ARCHIVE"], var.landing_cold_storage_class)
    error_message = "landing_cold_storage_class must be NEARLINE, COLDLINE or ARCHIVE."
  }
}

variable "temporary_object_days" {
  type        = number
  description = "Days after which objects in the temporary bucket (the BigQuery connector's indirect writes, Dataproc staging) are deleted."
  default     = 2

  validation {
    condition     = var.temporary_object_days >= 1 && var.temporary_object_days <= 30 && floor(var.temporary_object_days) == var.temporary_object_days
    error_message = "temporary_object_days must be a whole number from 1 to 30."
  }
}

variable "noncurrent_version_days" {
  type        = number
  description = "Days a replaced or deleted object version is kept in the versioned buckets (landing with the extractor's _state/, artifacts with jars and DAGs) before it is deleted."
  default     = 30

  validation {
    condition     = var.noncurrent_version_days >= 1 && var.noncurrent_version_days <= 365 && floor(var.noncurrent_version_days) == var.noncurrent_version_days
    error_message = "noncurrent_version_days must be a whole number from 1 to 365."
  }
}

variable "subnet_cidr" {
  type        = string
  description = "IPv4 range of the subnet the Dataproc Serverless batches run in (Private Google Access on, no external IPs). Each batch takes addresses for its driver and executors."
  default     = "10.20.0.0/22"

  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0)) && can(regex("^[0-9.]+/([0-9]|1[0-9]|2[0-6])$", var.subnet_cidr))
    error_message = "subnet_cidr must be an IPv4 CIDR range of /26 or larger, e.g. 10.20.0.0/22."
  }
}

variable "dataproc_runtime_version" {
  type        = string
  description = "Dataproc Serverless runtime the batches use: 2.3 (Spark 3.5, Java 17, Scala 2.13) is what spark-jobs is built for."
  default     = "2.3"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+$", var.dataproc_runtime_version))
    error_message = "dataproc_runtime_version must look like 2.3."
  }
}

variable "composer_image_version" {
  type        = string
  description = "Composer 3 image: composer-3-airflow-<airflow version>[-build.N]. There is no in-place upgrade from Airflow 2 to 3."
  default     = "composer-3-airflow-3.3.1"

  validation {
    condition     = can(regex("^composer-3-airflow-[0-9]+(\\.[0-9]+(\\.[0-9]+)?)?(-build\\.[0-9]+)?$", var.composer_image_version))
    error_message = "composer_image_version must be a Composer 3 image such as composer-3-airflow-3.3.1 or composer-3-airflow-2.11.1-build.3."
  }
}

variable "composer_environment_size" {
  type        = string
  description = "Size of the Composer environment's managed infrastructure (database, web server); the largest fixed cost of the pipeline."
  default     = "ENVIRONMENT_SIZE_SMALL"

  validation {
    condition     = contains(["ENVIRONMENT_SIZE_SMALL", "ENVIRONMENT_SIZE_MEDIUM", "ENVIRONMENT_SIZE_LARGE"], var.composer_environment_size)
    error_message = "composer_environment_size must be ENVIRONMENT_SIZE_SMALL, ENVIRONMENT_SIZE_MEDIUM or ENVIRONMENT_SIZE_LARGE."
  }
}

variable "extractor_image" {
  type        = string
  description = "Container image of the extractor (see the README). The default is Google's sample job image, so the first apply succeeds before the real image is pushed to the Artifact Registry repository this creates; set it and apply again."
  default     = "us-docker.pkg.dev/cloudrun/container/job:latest"

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$", var.extractor_image))
    error_message = "extractor_image must be an image reference with a tag or digest, e.g. europe-west1-docker.pkg.dev/my-proj/listening/extractor:1.0.0."
  }
}

variable "dbt_runner_image" {
  type        = string
  description = "Container image that runs dbt build and the GX checkpoint. The default is Google's sample job image, as for extractor_image."
  default     = "us-docker.pkg.dev/cloudrun/container/job:latest"

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$", var.dbt_runner_image))
    error_message = "dbt_runner_image must be an image reference with a tag or digest."
  }
}

variable "extractor_task_count" {
  type        = number
  description = "Tasks of one extractor execution; users are sharded over them (CLOUD_RUN_TASK_INDEX/COUNT). Spotify's rate limit is per app, not per task: more tasks only help while the app is below it."
  default     = 1

  validation {
    condition     = var.extractor_task_count >= 1 && var.extractor_task_count <= 100 && floor(var.extractor_task_count) == var.extractor_task_count
    error_message = "extractor_task_count must be a whole number from 1 to 100."
  }
}

variable "extractor_timeout_seconds" {
  type        = number
  description = "Time limit of one extractor task attempt. Below an hour, so an hourly poll ends before the next one starts."
  default     = 3000

  validation {
    condition     = var.extractor_timeout_seconds >= 60 && var.extractor_timeout_seconds <= 86400 && floor(var.extractor_timeout_seconds) == var.extractor_timeout_seconds
    error_message = "extractor_timeout_seconds must be a whole number from 60 to 86400."
  }
}

variable "extractor_max_retries" {
  type        = number
  description = "Retries of a failed extractor task within one execution. A retry resumes: landed parts stay and the watermark only moves after a part is durable."
  default     = 1

  validation {
    condition     = var.extractor_max_retries >= 0 && var.extractor_max_retries <= 10 && floor(var.extractor_max_retries) == var.extractor_max_retries
    error_message = "extractor_max_retries must be a whole number from 0 to 10."
  }
}

variable "extractor_resources" {
  type = object({
    cpu    = string
    memory = string
  })
  description = "CPU and memory of one extractor task (a 20,000-user poll ran within a 96 MiB heap)."
  default = {
    cpu    = "1"
    memory = "512Mi"
  }

  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]+)?$", var.extractor_resources.cpu)) && can(regex("^[0-9]+(Mi|Gi)$", var.extractor_resources.memory))
    error_message = "extractor_resources.cpu must be a number of CPUs (\"1\") and memory a size in Mi or Gi (\"512Mi\")."
  }
}

variable "spotify_app_mode" {
  type        = string
  description = "The Spotify app's quota mode (SPOTIFY_APP_MODE): development, extended, or auto (found out from a 403 on a batch call)."
  default     = "auto"

  validation {
    condition     = contains(["development", "extended", "auto"], var.spotify_app_mode)
    error_message = "spotify_app_mode must be development, extended or auto."
  }
}

variable "dbt_timeout_seconds" {
  type        = number
  description = "Time limit of one dbt build + checkpoint run."
  default     = 3600

  validation {
    condition     = var.dbt_timeout_seconds >= 60 && var.dbt_timeout_seconds <= 86400 && floor(var.dbt_timeout_seconds) == var.dbt_timeout_seconds
    error_message = "dbt_timeout_seconds must be a whole number from 60 to 86400."
  }
}

variable "playlist_ids" {
  type        = list(string)
  description = "Playlists whose items the pipeline snapshots daily, as USER_KEY:PLAYLIST_ID (the owner's token reads each; the key is the user's Spotify account id in the users secret); empty: none."
  default     = []

  validation {
    condition     = alltrue([for id in var.playlist_ids : can(regex("^[^:,[:space:]]+:[A-Za-z0-9]{22}$", id))])
    error_message = "Each playlist must be USER_KEY:PLAYLIST_ID, the id a 22-character Spotify id (base62)."
  }
}

variable "lateness_hours" {
  type        = number
  description = "Hours after midnight (UTC) that plays of a day may still land: the daily DAG waits for the polls through then and gold reads them. Spotify shows most plays within minutes; 2 covers the late ones the extractor's lookback sees."
  default     = 2

  validation {
    condition     = var.lateness_hours >= 0 && var.lateness_hours <= 23 && floor(var.lateness_hours) == var.lateness_hours
    error_message = "lateness_hours must be a whole number from 0 to 23."
  }
}

variable "new_releases_markets" {
  type        = list(string)
  description = "Markets (ISO 3166-1 alpha-2) whose new releases the pipeline snapshots daily; empty: none. Development-mode apps get none anyway."
  default     = []

  validation {
    condition     = alltrue([for m in var.new_releases_markets : can(regex("^[A-Z]{2}$", m))])
    error_message = "Each market must be a two-letter country code in upper case, e.g. SE."
  }
}

variable "alert_email" {
  type        = string
  description = "Email address the DAG-failure alert notifies. null: no email channel (then set alert_webhook_url)."
  default     = null

  validation {
    condition     = var.alert_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alert_email))
    error_message = "alert_email must be an email address."
  }
}

variable "alert_webhook_url" {
  type        = string
  description = "HTTPS webhook the DAG-failure alert notifies (a webhook_tokenauth channel). Its URL, token included, is stored in the channel and so in Terraform state: prefer alert_email where that matters."
  default     = null
  sensitive   = true

  validation {
    condition     = var.alert_webhook_url == null || can(regex("^https://", var.alert_webhook_url))
    error_message = "alert_webhook_url must be an https:// URL."
  }
}
