#!/usr/bin/env bash
# Prints the options every local Spark JVM needs (Java 17's module openings, the collector) as the
# parent pom's spark.jvm.options defines them: run.sh, tools/airflow-local.sh and the warehouse
# tests read them here rather than each parsing the pom.
set -euo pipefail
pom="$(dirname "$0")/../pom.xml"
options=$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$pom" | head -1)
if [ -z "$options" ]; then
  echo "error: no <spark.jvm.options> in $pom: restore the property (the parent pom's properties)" >&2
  exit 1
fi
echo "$options"
