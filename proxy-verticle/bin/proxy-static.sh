#!/usr/bin/env bash
# Runs one meshlog proxy from a static bootstrap file (no Kafka, no Hazelcast).
#   proxy-verticle/bin/proxy-static.sh proxy-verticle/examples/static-bootstrap.yaml
# Builds the module's classpath once (target/classpath.txt). JAVA_OPTS overrides the JVM flags;
# MESHLOG_CDS=0 turns off the class-data-sharing archive (made once by a training start, it cuts
# start-up time); MESHLOG_EVENT_LOOPS sets the number of event loops.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bootstrap="${1:?usage: proxy-static.sh <bootstrap.yaml>}"
if [[ ! -f "$here/target/classpath.txt" || ! -d "$here/target/classes/io/meshlog/proxy" ]]; then
  (cd "$here/.." && mvn -B -q -o -pl proxy-verticle compile) >&2
  (cd "$here" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime) >&2
fi
# class-data sharing cannot archive classes from a directory: run from a jar of target/classes
app_jar="$here/target/proxy-static-app.jar"
if [[ ! -f "$app_jar" || -n "$(find "$here/target/classes" -newer "$app_jar" -type f -print -quit)" ]]; then
  jar cf "$app_jar" -C "$here/target/classes" .
fi
classpath="$app_jar:$(cat "$here/target/classpath.txt")"
flags=(${JAVA_OPTS:--Xms64m -Xmx64m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -Xss512k})
flags+=(-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.meshlog.schemas.v1 -Dlogback.configurationFile="$here/examples/logback.xml")
cds="$here/target/proxy-static.jsa"
if [[ "${MESHLOG_CDS:-1}" == 1 ]]; then
  if [[ ! -f "$cds" || "$app_jar" -nt "$cds" || "$here/target/classpath.txt" -nt "$cds" ]]; then
    # training start: load the start-up classes, stop cleanly, the JVM writes the archive at exit
    log="$(mktemp)"
    java "${flags[@]}" -XX:ArchiveClassesAtExit="$cds" -cp "$classpath" io.meshlog.proxy.ProxyMain \
      --bootstrap "$bootstrap" >"$log" 2>&1 &
    training=$!
    for _ in $(seq 1 300); do grep -q "proxy listening" "$log" && break; sleep 0.05; done
    kill -TERM "$training" 2>/dev/null || true
    wait "$training" 2>/dev/null || true
    rm -f "$log"
  fi
  [[ -f "$cds" ]] && flags+=(-XX:SharedArchiveFile="$cds" -Xshare:auto)
fi
exec java "${flags[@]}" -cp "$classpath" io.meshlog.proxy.ProxyMain --bootstrap "$bootstrap"
