#!/usr/bin/env bash
# Runs one meshlog proxy from a static bootstrap file (no Kafka, no Hazelcast).
#   proxy-verticle/bin/proxy-static.sh proxy-verticle/examples/static-bootstrap.yaml
# Builds the module's classpath once (target/classpath.txt); JAVA_OPTS overrides the JVM flags.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bootstrap="${1:?usage: proxy-static.sh <bootstrap.yaml>}"
if [[ ! -f "$here/target/classpath.txt" || ! -d "$here/target/classes/io/meshlog/proxy" ]]; then
  (cd "$here/.." && mvn -B -q -o -pl proxy-verticle compile) >&2
  (cd "$here" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime) >&2
fi
exec java ${JAVA_OPTS:--Xms64m -Xmx64m -XX:+UseSerialGC} \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.meshlog.schemas.v1 \
  -Dlogback.configurationFile="$here/examples/logback.xml" \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  io.meshlog.proxy.ProxyMain --bootstrap "$bootstrap"
