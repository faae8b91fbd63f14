# Networking for Dataproc Serverless: a VPC of its own with one subnet. Batches get internal IPs
# only and reach Cloud Storage and BigQuery through Private Google Access; nothing here is
# reachable from the internet.

resource "google_compute_network" "dataproc" {
  name                    = "${var.name_prefix}-dataproc"
  project                 = var.project_id
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.enabled]
}

resource "google_compute_subnetwork" "dataproc" {
  name                     = "${var.name_prefix}-dataproc-${var.region}"
  project                  = var.project_id
  region                   = var.region
  network                  = google_compute_network.dataproc.id
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_10_MIN"
    flow_sampling        = 0.1
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# Dataproc Serverless needs the driver and executors of a batch to reach each other on any port
# inside the subnet; nothing from outside the subnet is allowed in.
resource "google_compute_firewall" "dataproc_internal" {
  name          = "${var.name_prefix}-dataproc-internal"
  project       = var.project_id
  network       = google_compute_network.dataproc.id
  direction     = "INGRESS"
  source_ranges = [var.subnet_cidr]

  allow {
    protocol = "tcp"
  }
  allow {
    protocol = "udp"
  }
  allow {
    protocol = "icmp"
  }

  log_config {
    metadata = "EXCLUDE_ALL_METADATA"
  }
}
