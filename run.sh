#!/usr/bin/env bash
# The run command: builds what it needs, then runs the whole pipeline locally on the simulator.
# Needs JDK 17, Maven and Python 3.11 (dbt and GX come from PyPI into .venv/warehouse, once).
# Options go to the orchestrator: ./run.sh --help
set -euo pipefail
cd "$(dirname "$0")"
classpath="local-pipeline/target/classes:local-pipeline/target/lib/*"
wants_help=false
for a in "$@"; do
  case "$a" in -h|--help) wants_help=true ;; esac
done
# --help answers from what is built; only a fresh checkout builds first. LISTENING_PREBUILT=1:
# the caller just built everything (the test command), so the build is not run again.
if [ "${LISTENING_PREBUILT:-0}" = 1 ] && [ -d local-pipeline/target/lib ]; then
  :
elif ! $wants_help || [ ! -d local-pipeline/target/lib ]; then
  $wants_help && echo "building once before the help can be shown ..." >&2
  mvn -B -q -ntp -Dstyle.color=never -DskipTests package
  tools/python-env.sh warehouse
fi
# Spark runs inside this JVM: it needs the module openings on Java 17 and the collector the
# parent pom names in spark.jvm.options.
SPARK_JVM_OPTIONS=$(tools/spark-jvm-options.sh)
exec java $SPARK_JVM_OPTIONS ${JAVA_OPTS:--Xmx3g} -cp "$classpath" dev.listening.local.LocalPipeline "$@"
