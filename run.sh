#!/usr/bin/env bash
# The run command: builds what it needs, then runs the whole pipeline locally on the simulator.
# Needs only JDK 17 and Maven. Options go to the orchestrator: ./run.sh --help
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp -DskipTests package
exec java -cp "local-pipeline/target/classes:local-pipeline/target/lib/*" \
  dev.listening.local.LocalPipeline "$@"
