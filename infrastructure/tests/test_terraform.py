"""Cross-checks of infrastructure/ that need no cloud: the Terraform parsed with python-hcl2.

What each test asserts is what a reviewer of a deploy would check by hand: no primitive or public
grant, every bucket private, one service account per workload, secrets readable by the extractor
only, and every name the DAGs read set by Terraform from the contract file.
"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from terraform_files import (
    INFRASTRUCTURE,
    NAMES_MODULE,
    Terraform,
    block,
    contract,
    references,
    walk,
)

TF = Terraform()

PRIMITIVE_ROLES = {"roles/owner", "roles/editor", "roles/viewer"}

# Resource types that take labels, and the attribute that holds them.
LABELLED = {
    "google_artifact_registry_repository": "labels",
    "google_bigquery_dataset": "labels",
    "google_bigquery_table": "labels",
    "google_cloud_run_v2_job": "labels",
    "google_composer_environment": "labels",
    "google_monitoring_alert_policy": "user_labels",
    "google_monitoring_notification_channel": "user_labels",
    "google_secret_manager_secret": "labels",
    "google_storage_bucket": "labels",
}
# Resource types whose API has no labels.
UNLABELLED = {
    "google_bigquery_dataset_iam_member",
    "google_cloud_run_v2_job_iam_member",
    "google_compute_firewall",
    "google_compute_network",
    "google_compute_subnetwork",
    "google_logging_metric",
    "google_project_iam_member",
    "google_project_service",
    "google_secret_manager_secret_iam_member",
    "google_service_account",
    "google_service_account_iam_member",
    "google_storage_bucket_iam_member",
}

# Composer refuses these environment variable names
# (https://cloud.google.com/composer/docs/composer-3/set-environment-variables#reserved).
COMPOSER_RESERVED = {
    "AIRFLOW_DATABASE_VERSION", "AIRFLOW_HOME", "AIRFLOW_SRC_DIR", "AIRFLOW_WEBSERVER",
    "AUTO_GKE", "CLOUDSDK_METRICS_ENVIRONMENT", "CLOUD_LOGGING_ONLY",
    "COMPOSER_AGENT_BUILD_SERVICE_ACCOUNT", "COMPOSER_ENVIRONMENT", "COMPOSER_ENVIRONMENT_SIZE",
    "COMPOSER_GKE_LOCATION", "COMPOSER_GKE_NAME", "COMPOSER_GKE_ZONE", "COMPOSER_LOCATION",
    "COMPOSER_OPERATION_UUID", "COMPOSER_PYTHON_VERSION", "COMPOSER_VERSION", "CONTAINER_NAME",
    "C_FORCE_ROOT", "DAGS_FOLDER", "GCE_METADATA_TIMEOUT", "GCP_PROJECT", "GCP_TENANT_PROJECT",
    "GCSFUSE_EXTRACTED", "GCS_BUCKET", "GKE_CLUSTER_NAME", "GKE_IN_TENANT",
    "GOOGLE_APPLICATION_CREDENTIALS", "MAJOR_VERSION", "MINOR_VERSION", "PATH",
    "PIP_DISABLE_PIP_VERSION_CHECK", "PORT", "PROJECT_ID", "PYTHONPYCACHEPREFIX", "PYTHONWARNINGS",
    "REDIS_PASSWORD", "REDIS_PORT", "REDIS_USER", "SQL_DATABASE", "SQL_HOST", "SQL_INSTANCE",
    "SQL_PASSWORD", "SQL_PROJECT", "SQL_REGION", "SQL_USER",
}  # fmt: skip


def _service_account(expression: str) -> str:
    """google_service_account.<name> an expression names (exactly one)."""
    found = {name for rtype, name in references(expression) if rtype == "google_service_account"}
    assert len(found) == 1, f"{expression!r} should name exactly one google_service_account"
    return found.pop()


# --- Variables and outputs ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TF.variables))
def test_every_variable_is_typed_described_and_validated(name):
    v = TF.variables[name]
    assert "type" in v, f"variable {name} has no type"
    assert len(v.get("description", "")) > 20, f"variable {name} needs a description"
    if v["type"] == "bool":
        assert v.get("nullable") is False, f"bool variable {name}: set nullable = false"
    else:
        assert v.get("validation"), f"variable {name} has no validation block"


def test_every_required_variable_is_in_the_tfvars_example():
    example = (INFRASTRUCTURE / "terraform.tfvars.example").read_text(encoding="utf-8")
    assigned = set(re.findall(r"^\s*#?\s*([a-z_]+)\s*=", example, re.MULTILINE))
    required = {n for n, v in TF.variables.items() if "default" not in v}
    assert required <= assigned, f"missing from terraform.tfvars.example: {required - assigned}"
    assert assigned <= set(TF.variables), (
        f"terraform.tfvars.example names unknown variables: {assigned - set(TF.variables)}"
    )


def test_outputs_are_described():
    assert TF.outputs
    for name, o in TF.outputs.items():
        assert o.get("description"), f"output {name} has no description"


# --- IAM ---------------------------------------------------------------------------------------


def test_no_primitive_role_and_every_role_is_a_literal():
    roles = [
        (r.address, v) for r in TF.resources for _, k, v in walk(r.body) if k == "role"
    ]
    assert roles, "no role grants found: is the parser reading iam.tf?"
    for address, role in roles:
        assert re.fullmatch(r"roles/[A-Za-z0-9.]+", role), (
            f"{address}: role {role!r} must be a literal predefined role, so it can be checked"
        )
        assert role not in PRIMITIVE_ROLES, f"{address} grants the primitive role {role}"


def test_no_authoritative_iam_resources():
    # *_iam_binding and *_iam_policy replace grants made outside Terraform (Google's own
    # service agents among them): only additive *_iam_member grants here.
    for r in TF.resources:
        assert not re.search(r"_iam_(binding|policy)$", r.type), f"{r.address} is authoritative"


def test_nothing_is_granted_to_everyone():
    for r in TF.resources:
        for _, key, value in walk(r.body):
            for public in ("allUsers", "allAuthenticatedUsers"):
                assert public not in json.dumps(value), f"{r.address}.{key} names {public}"
    members = [(r.address, v) for r in TF.resources for _, k, v in walk(r.body) if k == "member"]
    assert members
    for address, member in members:
        assert "google_service_account." in member or member.startswith(
            "serviceAccount:service-${data.google_project.this.number}@"
        ), f"{address}: member {member!r} is neither one of ours nor a Google service agent"


def test_every_service_account_is_used_by_exactly_one_workload():
    workloads = {
        f"cloud run job {job.name}": block(job.body, "template", "template")["service_account"]
        for job in TF.of_type("google_cloud_run_v2_job")
    }
    for env in TF.of_type("google_composer_environment"):
        workloads[f"composer {env.name}"] = block(env.body, "config", "node_config")[
            "service_account"
        ]
    # Dataproc batches are created by the DAGs, with the account Terraform hands them.
    workloads["dataproc batches"] = TF.locals["dag_variables"]["spotify_dataproc_service_account"]

    used = {}
    for workload, expression in workloads.items():
        used.setdefault(_service_account(expression), []).append(workload)
    accounts = {r.name for r in TF.of_type("google_service_account")}
    assert set(used) == accounts, f"accounts no workload uses: {accounts - set(used)}"
    for account, users in used.items():
        assert len(users) == 1, f"google_service_account.{account} is shared by {users}"


def test_project_level_grants_are_the_listed_unavoidable_ones():
    # Each of these has no narrower resource to be granted on (see the comment on each).
    allowed = {
        ("spark", "roles/dataproc.worker"),
        ("spark", "roles/bigquery.jobUser"),
        ("dbt", "roles/bigquery.jobUser"),
        ("composer", "roles/composer.worker"),
        ("composer", "roles/dataproc.editor"),
        ("composer", "roles/run.viewer"),
    }
    granted = {
        (_service_account(r.body["member"]), r.body["role"])
        for r in TF.of_type("google_project_iam_member")
    }
    assert granted <= allowed, f"new project-level grants: {granted - allowed}"


# --- Secrets -----------------------------------------------------------------------------------


def test_secrets_are_readable_by_the_extractor_only_and_hold_no_value_in_state():
    grants = [r for r in TF.resources if r.type.startswith("google_secret_manager_secret_iam")]
    assert grants
    for r in grants:
        assert _service_account(r.body["member"]) == "extractor", f"{r.address} is not the extractor"
    assert not TF.of_type("google_secret_manager_secret_version"), (
        "a secret version in Terraform puts its value in the state: add values out of band"
    )
    for name, text in TF.text.items():
        assert "secret_data" not in text, f"{name} sets a secret value"
    readers = TF.resource("google_secret_manager_secret_iam_member", "extractor_reads")
    assert readers.body["for_each"] == "${google_secret_manager_secret.extractor}", (
        "every extractor secret must be readable by the extractor"
    )


def test_the_extractor_gets_its_secrets_from_secret_manager_not_from_literals():
    job = TF.resource("google_cloud_run_v2_job", "extractor")
    env = {e["name"]: e for e in block(job.body, "template", "template", "containers")["env"]}
    for name in ("SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET"):
        ref = block(env[name], "value_source", "secret_key_ref")
        assert "google_secret_manager_secret.extractor" in ref["secret"], name
        assert "value" not in env[name], f"{name} must not be a literal"
    assert env["USERS_URI"]["value"].startswith("sm://${google_secret_manager_secret.extractor")
    assert env["SPOTIFY_API_BASE_URL"]["value"].startswith("https://api.spotify.com"), (
        "the extractor's default API is the local simulator: the job must name the real one"
    )


# --- Buckets -----------------------------------------------------------------------------------


def test_every_bucket_is_private_uniform_and_has_lifecycle_rules():
    buckets = TF.of_type("google_storage_bucket")
    assert {b.name for b in buckets} == {"landing", "lake", "artifacts", "temporary"}
    for b in buckets:
        assert b.body.get("public_access_prevention") == "enforced", b.address
        assert b.body.get("uniform_bucket_level_access") is True, b.address
        assert b.body.get("lifecycle_rule"), f"{b.address} has no lifecycle rule"


def test_the_bucket_holding_the_extractors_state_is_versioned():
    # The extractor keeps its watermarks under <LANDING_URI>/_state/ (no STATE_URI is set).
    job = TF.resource("google_cloud_run_v2_job", "extractor")
    env = {e["name"]: e for e in block(job.body, "template", "template", "containers")["env"]}
    assert "STATE_URI" not in env
    assert env["LANDING_URI"]["value"] == "${local.landing_uri}"
    assert TF.locals["dag_variables"]["spotify_landing_uri"] == "${local.landing_uri}"
    refs = references(TF.locals["landing_uri"])
    (state_bucket,) = {n for t, n in refs if t == "google_storage_bucket"}
    bucket = TF.resource("google_storage_bucket", state_bucket)
    assert block(bucket.body, "versioning")["enabled"] is True


def test_temporary_objects_expire():
    rules = TF.resource("google_storage_bucket", "temporary").body["lifecycle_rule"]
    assert any(
        block(r, "action")["type"] == "Delete" and "age" in block(r, "condition") for r in rules
    )


# --- Labels ------------------------------------------------------------------------------------


def test_every_resource_that_takes_labels_has_them():
    for r in TF.resources:
        assert r.type in LABELLED or r.type in UNLABELLED, (
            f"{r.type} is new: add it to LABELLED (and label it) or UNLABELLED"
        )
        if r.type in LABELLED:
            assert r.body.get(LABELLED[r.type]) == "${local.labels}", f"{r.address} lacks labels"


# --- The contract with the DAGs ----------------------------------------------------------------


def test_terraform_sets_every_variable_the_dags_read_and_no_other():
    c = contract()
    set_here = set(TF.locals["dag_variables"])
    assert set_here == set(c["airflow_variables"]), (
        f"read by the DAGs but not set: {set(c['airflow_variables']) - set_here}; "
        f"set but not in the contract: {set_here - set(c['airflow_variables'])}"
    )
    assert not set_here & set(c["set_by_hand"]), "credentials must not be set by Terraform"


def test_the_composer_environment_exports_them_as_airflow_variables():
    env = TF.resource("google_composer_environment", "this")
    software = block(env.body, "config", "software_config")
    assert software["env_variables"] == (
        '${{for name, value in local.dag_variables : "AIRFLOW_VAR_${upper(name)}" => value}}'
    )
    for name in TF.locals["dag_variables"]:
        variable = f"AIRFLOW_VAR_{name.upper()}"
        assert re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", variable)
        assert not re.fullmatch(r"AIRFLOW__[A-Z0-9_]+__[A-Z0-9_]+", variable)
        assert variable not in COMPOSER_RESERVED


def test_every_bucket_dataset_job_and_account_the_dags_get_exists_in_terraform():
    for name, value in TF.locals["dag_variables"].items():
        refs = references(value, TF.locals)
        for rtype, rname in refs:
            assert TF.declared(rtype, rname), f"{name} refers to undeclared {rtype}.{rname}"
        if re.search(r"(bucket|uri|dataset|job|service_account|subnetwork)$", name):
            assert refs, f"{name} must come from a Terraform resource, not a literal: {value!r}"


def test_the_names_module_defines_exactly_the_contracts_names():
    spec = importlib.util.spec_from_file_location("names", NAMES_MODULE)
    names = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(names)
    constants = {
        v for k, v in vars(names).items() if k.isupper() and not k.startswith("_") and isinstance(v, str)
    }
    c = contract()
    constants.discard(names.FAILURE_LOG_MARKER)
    assert constants - set(names.TARGETS) == (
        set(c["airflow_variables"]) | set(c["set_by_hand"]) | set(c["local_target"]["variables"])
    )
    assert names.FAILURE_LOG_MARKER == c["failure_log"]["marker"]


def test_terraform_sets_no_variable_of_the_local_target_and_says_gcp():
    # The local target's Variables point at a simulator and local folders: never on Composer.
    local = set(contract()["local_target"]["variables"])
    assert local and not local & set(TF.locals["dag_variables"])
    assert TF.locals["dag_variables"]["spotify_target"] == "gcp"


def test_dbt_writes_its_staging_and_marts_to_the_datasets_terraform_declares():
    # dbt_project.yml: staging views go to <target dataset>_staging, marts to <..>_marts.
    assert TF.locals["dbt_runner_env"]["BQ_WAREHOUSE_DATASET"] == "${local.warehouse_dataset}"
    for folder in ("staging", "marts"):
        dataset = TF.resource("google_bigquery_dataset", folder)
        assert dataset.body["dataset_id"] == "${local.warehouse_dataset}_" + folder
        grants = [
            r for r in TF.of_type("google_bigquery_dataset_iam_member")
            if r.body["dataset_id"] == f"${{google_bigquery_dataset.{folder}.dataset_id}}"
        ]
        assert any(
            _service_account(g.body["member"]) == "dbt" and g.body["role"] == "roles/bigquery.dataEditor"
            for g in grants
        ), f"dbt cannot write the {folder} dataset"


def test_the_dbt_runner_gets_the_contracts_environment():
    assert set(TF.locals["dbt_runner_env"]) == set(contract()["dbt_runner_env"])
    job = TF.resource("google_cloud_run_v2_job", "dbt")
    container = block(job.body, "template", "template", "containers")
    assert block(container, "dynamic", "env")["for_each"] == "${local.dbt_runner_env}"


def test_the_failure_alert_matches_the_contracts_log_marker():
    assert TF.locals["failure_marker"] == "${local.dag_contract.failure_log.marker}"
    metric = TF.resource("google_logging_metric", "dag_task_failures")
    assert "${local.failure_marker}" in metric.body["filter"]
    policy = TF.resource("google_monitoring_alert_policy", "dag_task_failed")
    condition = block(policy.body, "conditions", "condition_threshold")
    assert "${google_logging_metric.dag_task_failures.name}" in condition["filter"]
    assert policy.body["notification_channels"] == "${local.notification_channels}"


def test_terraform_reads_the_contract_file_the_dags_read():
    assert TF.locals["dag_contract"] == (
        '${jsondecode(file("${path.module}/../airflow/dags/spotify_listening/names.json"))}'
    )


# --- Gold tables -------------------------------------------------------------------------------


def test_gold_tables_have_a_schema_file_and_valid_partitioning_and_clustering():
    tables = json.loads((INFRASTRUCTURE / "bigquery" / "gold_tables.json").read_text())
    files = {p.stem for p in (INFRASTRUCTURE / "bigquery" / "schemas" / "gold").glob("*.json")}
    assert set(tables) == files
    for name, t in tables.items():
        schema = json.loads((INFRASTRUCTURE / "bigquery" / "schemas" / "gold" / f"{name}.json").read_text())
        top = {f["name"]: f for f in schema}
        field = t["partition_field"]
        if field is not None:
            assert top[field]["type"] in ("DATE", "TIMESTAMP"), f"{name}: partition on {field}"
            assert top[field].get("mode", "NULLABLE") != "REPEATED"
        assert 1 <= len(t["clustering"]) <= 4, f"{name}: BigQuery clusters on 1 to 4 columns"
        for c in t["clustering"]:
            assert c in top, f"{name}: clustering column {c} is not in the schema"
            assert top[c].get("mode", "NULLABLE") != "REPEATED", f"{name}: {c} is repeated"
            assert top[c]["type"] not in ("RECORD", "FLOAT"), f"{name}: cannot cluster on {c}"
        assert t["description"], name
