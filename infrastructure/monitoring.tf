# Alerting on failed DAG tasks: the DAGs' failure callback writes one log line with the marker
# of the contract (names.json, failure_log); a log-based metric counts those lines and an alert
# policy notifies on any.

locals {
  failure_marker = local.dag_contract.failure_log.marker

  notification_channels = concat(
    google_monitoring_notification_channel.email[*].id,
    google_monitoring_notification_channel.webhook[*].id,
  )
}

resource "google_logging_metric" "dag_task_failures" {
  name        = "${var.name_prefix}-dag-task-failures"
  project     = var.project_id
  description = "Failed tasks of the Spotify listening DAGs (lines with the failure callback's marker)."
  filter      = <<-EOT
    resource.type="cloud_composer_environment"
    resource.labels.environment_name="${google_composer_environment.this.name}"
    (textPayload:"${local.failure_marker}" OR jsonPayload.message:"${local.failure_marker}" OR jsonPayload.event="${local.failure_marker}")
  EOT

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "Spotify listening DAG task failures"

    labels {
      key         = "dag_id"
      value_type  = "STRING"
      description = "The failed task's DAG."
    }
  }

  label_extractors = {
    dag_id = "REGEXP_EXTRACT(textPayload, \"dag_id[^A-Za-z0-9_.-]+([A-Za-z0-9_.-]+)\")"
  }
}

resource "google_monitoring_notification_channel" "email" {
  count = var.alert_email == null ? 0 : 1

  project      = var.project_id
  display_name = "Spotify listening alerts (email)"
  type         = "email"
  user_labels  = local.labels
  labels = {
    email_address = var.alert_email
  }
}

resource "google_monitoring_notification_channel" "webhook" {
  count = nonsensitive(var.alert_webhook_url != null) ? 1 : 0

  project      = var.project_id
  display_name = "Spotify listening alerts (webhook)"
  type         = "webhook_tokenauth"
  user_labels  = local.labels
  labels = {
    url = var.alert_webhook_url
  }
}

resource "google_monitoring_alert_policy" "dag_task_failed" {
  project               = var.project_id
  display_name          = "Spotify listening: a DAG task failed"
  combiner              = "OR"
  notification_channels = local.notification_channels
  user_labels           = local.labels
  severity              = "ERROR"

  conditions {
    display_name = "DAG task failure logged"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.dag_task_failures.name}\" AND resource.type=\"cloud_composer_environment\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.dag_id"]
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A task of a Spotify listening DAG failed (dag `$${metric.label.dag_id}`). Find the line with `${local.failure_marker}` in the environment's logs, then clear and re-run the task: every task reads and writes only its own data interval."
  }

  lifecycle {
    precondition {
      condition     = length(local.notification_channels) > 0
      error_message = "Set alert_email or alert_webhook_url: the DAG-failure alert needs somewhere to go."
    }
  }
}
