#!/usr/bin/env bash
# The test command: every test of every module, the formatter check included.
# Needs only JDK 17 and Maven; Testcontainers tests skip (visibly) when no Docker engine runs.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp -Dstyle.color=never verify "$@"
