#!/usr/bin/env bash
# The run command: builds what it needs, then runs the whole pipeline locally on the simulator.
# Needs JDK 17, Maven and Python 3.11 (dbt and GX come from PyPI into .venv/warehouse, once).
# Options go to the orchestrator: ./run.sh --help
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp -DskipTests package
tools/python-env.sh warehouse
# Spark runs inside this JVM: it needs these module openings on Java 17 (the list is the
# parent pom's spark.java17.opens).
OPENS=$(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*:\1:p' pom.xml | head -1)
exec java $OPENS ${JAVA_OPTS:--Xmx3g} -cp "local-pipeline/target/classes:local-pipeline/target/lib/*" \
  dev.listening.local.LocalPipeline "$@"
