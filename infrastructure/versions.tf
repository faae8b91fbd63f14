terraform {
  # Terraform 1.6+ or OpenTofu 1.6+ (the test command checks with OpenTofu, see tests/tofu.sh).
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # Exact: the version `infrastructure/tests/validate.sh` was run against. Commit the
      # .terraform.lock.hcl that the first `terraform init` writes.
      version = "7.45.0"
    }
  }
}
