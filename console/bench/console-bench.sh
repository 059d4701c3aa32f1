#!/usr/bin/env bash
# Synthetic topics with 500 services and 2,000 edges on an embedded broker; prints the graph API's
# p99, the model's heap and the page's render time in headless Chromium. Not a test.
# Usage: console/bench/console-bench.sh [services=500] [edges=2000] [windows-per-edge=30]
# Needs Debian's chromium and chromium-driver. Env: MVN_OFFLINE=-o to build offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q ${MVN_OFFLINE:-} -pl console -am test-compile -DskipTests
CP_FILE=console/target/bench.classpath
mvn -B -q ${MVN_OFFLINE:-} -pl console -am dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile="$(pwd)/$CP_FILE" >/dev/null
CP="console/target/classes:console/target/test-classes:schemas/target/classes:kafka-embedded/target/classes:$(cat "$CP_FILE")"
exec java -Xmx1g -Dlogback.configurationFile=console/src/test/resources/logback-test.xml \
    -cp "$CP" io.meshlog.console.bench.ConsoleBench "${1:-500}" "${2:-2000}" "${3:-30}"
