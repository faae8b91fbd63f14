"""Binds the steps of `steps.py` to operators, for one target.

- `gcp`: the Google provider's operators. Extractor commands and the warehouse runner (dbt build,
  the GX checkpoint) are executions of their Cloud Run jobs (`CloudRunExecuteJobOperator`, the
  command as container args: the image's entrypoint is the program); Spark jobs are Dataproc
  Serverless batches (`DataprocCreateBatchOperator`: runtime, the jobs jar and its main class,
  service account, subnetwork, labels) with an id per run, step and try.
- `local`: the same commands as local processes (`BashOperator`): the extractor jar against the
  simulator, the Spark jobs' main class in local mode, the warehouse runner on DuckDB.

Every value comes from a Variable of the contract (names.json) through a template, so nothing is
read when the DAG file is parsed, except the target itself.
"""

from __future__ import annotations

import hashlib
import shlex

from spotify_listening import names, steps
from spotify_listening.compat import BashOperator, ShortCircuitOperator
from spotify_listening.sensors import LandedManifestsSensor

#: Labels on every Dataproc batch (values: lowercase letters, digits, - and _).
BATCH_LABELS = {"app": "spotify-listening", "managed-by": "airflow"}


def run_hash(run_id: str) -> str:
    """8 hex characters of the run id: a batch id names its run without the run id's colons."""
    return hashlib.sha256(str(run_id).encode("utf-8")).hexdigest()[:8]


def batch_id_template(step: steps.Step) -> str:
    """<step>-<day>-<run>-try<n>: deterministic per run, step and try. A retry gets a new id, so
    it never attaches to the failed batch it replaces (the operator adopts an existing id's
    state); a clear-and-rerun is a new try too."""
    return (
        step.task_id.replace("_", "-")
        + "-{{ data_interval_start | ds_nodash }}-{{ run_id | run_hash }}-try{{ ti.try_number }}"
    )


#: Jinja filters the DAGs register (user_defined_filters).
FILTERS = {"run_hash": run_hash}


def due(hour: str, at_hour: int, configured: str) -> bool:
    """ShortCircuit condition of the catalog steps: this run's hour, and a non-empty Variable."""
    return int(hour) == at_hour and bool(str(configured).strip())


def _args(step: steps.Step, gold_sink: list[str]) -> list[str]:
    out = []
    for a in step.args:
        out.extend(gold_sink if a == steps.GOLD_SINK else [a])
    return out


# --- gcp ----------------------------------------------------------------------------------------


def _gcp(step: steps.Step):
    from airflow.providers.google.cloud.operators.cloud_run import CloudRunExecuteJobOperator
    from airflow.providers.google.cloud.operators.dataproc import DataprocCreateBatchOperator

    project, region = names.var(names.PROJECT), names.var(names.REGION)
    if step.runs in ("extractor", "warehouse"):
        overrides = {"container_overrides": [{"args": list(step.args), "clear_args": False}]}
        if not step.sharded:
            # One task: the job's task count is the recently-played poll's shard count.
            overrides["task_count"] = 1
        job = names.EXTRACTOR_JOB if step.runs == "extractor" else names.DBT_JOB
        return CloudRunExecuteJobOperator(
            task_id=step.task_id,
            project_id=project,
            region=region,
            job_name=names.var(job),
            overrides=overrides,
            doc_md=step.doc,
        )
    if step.runs == "spark":
        sink = [
            "--sink",
            "bigquery",
            "--bq-project",
            project,
            "--bq-dataset",
            names.var(names.GOLD_DATASET),
            "--bq-temp-bucket",
            names.var(names.BQ_TEMP_BUCKET),
        ]
        batch = {
            "spark_batch": {
                "main_class": steps.JOBS_MAIN_CLASS,
                "jar_file_uris": [names.var(names.JOBS_JAR_URI)],
                "args": _args(step, sink),
            },
            "runtime_config": {"version": names.var(names.DATAPROC_RUNTIME_VERSION)},
            "environment_config": {
                "execution_config": {
                    "service_account": names.var(names.DATAPROC_SERVICE_ACCOUNT),
                    "subnetwork_uri": names.var(names.DATAPROC_SUBNETWORK_URI),
                    "staging_bucket": names.var(names.DATAPROC_STAGING_BUCKET),
                }
            },
            "labels": {
                **BATCH_LABELS,
                "step": step.task_id.replace("_", "-"),
                "data-date": "{{ data_interval_start | ds }}",
            },
        }
        return DataprocCreateBatchOperator(
            task_id=step.task_id,
            project_id=project,
            region=region,
            batch=batch,
            batch_id=batch_id_template(step),
            doc_md=step.doc,
        )
    return _sensor(step)


# --- local --------------------------------------------------------------------------------------


def _command(base_variable: str, args: list[str]) -> str:
    """The base command is the Variable as is (a command line); every argument is one word,
    quoted before rendering: a template must not use single quotes (steps.py uses none) and a
    rendered value none either (dates, ids, paths without quotes)."""
    for a in args:
        if "'" in a:
            raise ValueError(f"argument template {a!r} has a single quote: use double quotes")
    return names.var(base_variable) + " " + " ".join(shlex.quote(a) for a in args)


def _local(step: steps.Step):
    if step.runs == "extractor":
        simulator = names.var(names.LOCAL_SIMULATOR_URL)
        return BashOperator(
            task_id=step.task_id,
            bash_command=_command(names.LOCAL_EXTRACTOR_COMMAND, list(step.args)),
            # What Terraform sets on the Cloud Run job, pointed at the simulator and a folder.
            env={
                "LANDING_URI": names.var(names.LANDING_URI),
                "SPOTIFY_API_BASE_URL": simulator + "/v1",
                "SPOTIFY_ACCOUNTS_BASE_URL": simulator,
            },
            append_env=True,
            doc_md=step.doc,
        )
    if step.runs == "spark":
        sink = ["--gold", names.var(names.LOCAL_RUN_DIR) + "/gold"]
        return BashOperator(
            task_id=step.task_id,
            bash_command=_command(names.LOCAL_SPARK_COMMAND, _args(step, sink)),
            doc_md=step.doc,
        )
    if step.runs == "warehouse":
        return BashOperator(
            task_id=step.task_id,
            bash_command=_command(names.LOCAL_WAREHOUSE_COMMAND, list(step.args)),
            env={"LISTENING_RUN_DIR": names.var(names.LOCAL_RUN_DIR)},
            append_env=True,
            doc_md=step.doc,
        )
    return _sensor(step)


# --- both ---------------------------------------------------------------------------------------


def _sensor(step: steps.Step):
    return LandedManifestsSensor(
        task_id=step.task_id,
        poke_interval=300,
        timeout=6 * 3600,
        doc_md=step.doc,
        **step.expects,
    )


BINDERS = {"gcp": _gcp, "local": _local}


def tasks(declared, target: str) -> list:
    """The operators of `declared` steps (in the current DAG), in order; a step that runs only
    at some hour when configured comes with its ShortCircuit guard, `<task_id>_due`, before it."""
    bind = BINDERS[target]
    out = []
    for step in declared:
        task = bind(step)
        if step.at_hour is not None:
            guard = ShortCircuitOperator(
                task_id=f"{step.task_id}_due",
                python_callable=due,
                op_kwargs={
                    "hour": "{{ data_interval_end.hour }}",
                    "at_hour": step.at_hour,
                    "configured": names.var(step.when_configured),
                },
                doc_md=f"Runs {step.task_id} in the {step.at_hour:02d}:00 UTC poll when"
                f" {step.when_configured} is set.",
            )
            guard >> task
            out.append(guard)
        out.append(task)
    return out
