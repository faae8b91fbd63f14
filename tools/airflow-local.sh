#!/usr/bin/env bash
# Airflow on this machine with the DAGs bound to the local target: the steps run as processes
# (the extractor jar against a running simulator, the Spark jobs in local mode, dbt and the GX
# checkpoint from .venv/warehouse). Sets AIRFLOW_HOME and every Variable the local target reads
# (names.json: airflow_variables it uses and local_target), then runs the rest of the command
# line, e.g.:
#
#   tools/airflow-local.sh airflow dags test spotify_listening_poll 2026-11-20T01:00:00+00:00
#   tools/airflow-local.sh airflow standalone
#
# Environment it reads (defaults in brackets): LISTENING_RUN_DIR [data/airflow-local], the run's
# folder; SIMULATOR_URL [http://127.0.0.1:8090], a running simulator (java -jar
# simulator/target/simulator.jar); AIRFLOW_HOME [<run dir>/airflow-home];
# SPOTIFY_PLAYLIST_IDS, SPOTIFY_NEW_RELEASES_MARKETS [empty: the catalog steps skip].
# Needs the jars (mvn -DskipTests package) and .venv/airflow, .venv/warehouse (tools/python-env.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -ge 1 ]] || { sed -n '2,17p' "$0" >&2; exit 2; }
for need in extractor/target/extractor.jar spark-jobs/target/spark-jobs.jar local-pipeline/target/lib \
  .venv/airflow/bin/airflow .venv/warehouse/bin/dbt; do
  [[ -e $repo/$need ]] || {
    echo "error: $repo/$need is missing: run mvn -DskipTests package and tools/python-env.sh airflow/warehouse" >&2
    exit 1
  }
done
run_dir=$(mkdir -p "${LISTENING_RUN_DIR:-data/airflow-local}" && cd "${LISTENING_RUN_DIR:-data/airflow-local}" && pwd)
spark_jvm_options=$("$repo/tools/spark-jvm-options.sh")

export AIRFLOW_HOME=${AIRFLOW_HOME:-$run_dir/airflow-home}
export AIRFLOW__CORE__DAGS_FOLDER=$repo/airflow/dags
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
export PATH=$repo/.venv/airflow/bin:$PATH

export AIRFLOW_VAR_SPOTIFY_TARGET=local
export AIRFLOW_VAR_SPOTIFY_LANDING_URI=$run_dir/landing
export AIRFLOW_VAR_SPOTIFY_BRONZE_URI=$run_dir/bronze
export AIRFLOW_VAR_SPOTIFY_LOOKUP_LIST_URI=$run_dir/lookup-list
export AIRFLOW_VAR_SPOTIFY_EXTRACTOR_TASK_COUNT=1
export AIRFLOW_VAR_SPOTIFY_LATENESS_HOURS=${SPOTIFY_LATENESS_HOURS:-2}
export AIRFLOW_VAR_SPOTIFY_PLAYLIST_IDS=${SPOTIFY_PLAYLIST_IDS:-}
export AIRFLOW_VAR_SPOTIFY_NEW_RELEASES_MARKETS=${SPOTIFY_NEW_RELEASES_MARKETS:-}
export AIRFLOW_VAR_SPOTIFY_LOCAL_SIMULATOR_URL=${SIMULATOR_URL:-http://127.0.0.1:8090}
export AIRFLOW_VAR_SPOTIFY_LOCAL_RUN_DIR=$run_dir
export AIRFLOW_VAR_SPOTIFY_LOCAL_EXTRACTOR_COMMAND="java -Xmx512m -jar '$repo/extractor/target/extractor.jar'"
# The production jobs jar first, then Spark (what the Dataproc runtime provides there). Spark's
# settings for a small local run (as the local pipeline's session has them): two cores, few
# shuffle partitions (the default 200 make each small job minutes long), no UI.
spark_conf="'-Dspark.master=local[2]' -Dspark.sql.shuffle.partitions=4 -Dspark.ui.enabled=false -Dspark.driver.host=127.0.0.1 '-Dlog4j.configurationFile=$repo/tools/spark-local-log4j2.properties'"
export AIRFLOW_VAR_SPOTIFY_LOCAL_SPARK_COMMAND="java $spark_jvm_options -Xmx${SPARK_HEAP:-2g} $spark_conf -cp '$repo/spark-jobs/target/spark-jobs.jar:$repo/local-pipeline/target/lib/*' dev.listening.jobs.JobsMain"
export AIRFLOW_VAR_SPOTIFY_LOCAL_WAREHOUSE_COMMAND="env PYTHONPATH='$repo' '$repo/.venv/warehouse/bin/python' -m listening_warehouse.runner --target local"

# The metadata database (SQLite under AIRFLOW_HOME), once.
if [[ ! -f $AIRFLOW_HOME/airflow.db ]]; then
  mkdir -p "$AIRFLOW_HOME"
  airflow db migrate >"$AIRFLOW_HOME/db-migrate.log" 2>&1 || {
    cat "$AIRFLOW_HOME/db-migrate.log" >&2
    exit 1
  }
fi
exec "$@"
