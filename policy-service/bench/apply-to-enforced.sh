#!/usr/bin/env bash
# Bench (not a test): apply-to-enforced time across N proxies (default 20) in one JVM, each the real
# policy plane of proxy-verticle, on an embedded broker. Prints p50/p99; the last line is key=value.
# Usage: policy-service/bench/apply-to-enforced.sh [proxies] [changes]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
[ -f policy-service/target/policy-service.jar ] || mvn -B -q -o -Dstyle.color=never -pl policy-service -DskipTests install
[ -f proxy-verticle/target/proxy-verticle-0.1.0-SNAPSHOT.jar ] || { echo "bench: build proxy-verticle first (mvn -pl proxy-verticle install -DskipTests)" >&2; exit 1; }
for module in proxy-verticle kafka-embedded; do
  mvn -B -q -o -Dstyle.color=never -pl "$module" dependency:build-classpath -Dmdep.outputFile="$OUT/$module.cp" -Dmdep.includeScope=runtime >&2
done
CP="policy-service/target/policy-service.jar:policy-service/target/lib/*:proxy-verticle/target/proxy-verticle-0.1.0-SNAPSHOT.jar"
CP="$CP:$HOME/.m2/repository/io/meshlog/kafka-embedded/0.1.0-SNAPSHOT/kafka-embedded-0.1.0-SNAPSHOT.jar"
CP="$CP:$(cat "$OUT/proxy-verticle.cp"):$(cat "$OUT/kafka-embedded.cp")"
exec java -Xmx1g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.meshlog.schemas.v1 \
  -Dlogback.configurationFile=meshctl-logback.xml \
  -cp "$CP" policy-service/bench/ApplyToEnforced.java "${1:-20}" "${2:-50}"
