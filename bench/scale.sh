#!/usr/bin/env bash
# Scale bench (not a test): N real proxy policy planes and registry views (ScaleBench/ScalePlanes in
# integration-tests: each plane its own policy-log consumer, Sidecar scope, registry listener,
# snapshot compiler and ConfigAck producer; the planes of one JVM share only a Hazelcast client)
# in W worker JVMs, against the bench broker (bench/lib/broker.sh) and one Hazelcast member + the
# policy-service in the coordinator JVM. Prints apply->enforced, apply --wait, /proxies (status),
# endpoint churn latency, start-up to ready and heap per plane scoped vs unscoped; the last line is
#   proxies=... apply_to_enforced_p50_ms=... apply_to_enforced_p99_ms=... endpoint_change_p99_ms=...
#   proxy_heap_mb_scoped=... proxy_heap_mb_unscoped=... status_ms=...
# Usage: bench/scale.sh [proxies=1000] [services=500 (the mesh grows to 2x for the second heap figure)] [workers=4]
# Needs: mvn -B -o -q -pl integration-tests -am test-compile -DskipTests -Dquick, and meshlog-dev packaged for the broker.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
proxies=${1:-1000} services=${2:-500} workers=${3:-4}
work=$(mktemp -d)
source "$root/bench/lib/broker.sh"
cleanup() { for p in ${PIDS:-}; do kill "$p" 2>/dev/null || true; done; stop_broker; rm -rf "$work"; }
trap cleanup EXIT
cd "$root"
[[ -f "$work/cp" ]] || mvn -B -o -q -pl integration-tests dependency:build-classpath -Dmdep.outputFile="$work/cp" -Dmdep.includeScope=test >&2
mods=""; for m in schemas policy-model proxy-verticle policy-service kafka-embedded test-support; do mods="$mods:$root/$m/target/classes"; done
CP="$root/integration-tests/target/test-classes$mods:$(tr ':' '\n' < "$work/cp" | grep -v '/io/meshlog/' | paste -sd:)"
JAVA=(java -Xmx1500m -XX:+UseSerialGC -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.meshlog.schemas.v1 -Dhazelcast.phone.home.enabled=false
  -Dlogback.configurationFile=meshctl-logback.xml --add-modules java.se
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED -cp "$CP" io.meshlog.it.scale.ScaleBench)
# MESHLOG_BROKER_HOME: a checkout whose meshlog-dev is packaged, when this one's is not (the broker is the same)
root="${MESHLOG_BROKER_HOME:-$root}" start_broker "$work" 19392 19393 0-1
bootstrap=127.0.0.1:19392
"${JAVA[@]}" coordinator "$bootstrap" "$work" "$proxies" "$services" & PIDS="$!"
for _ in $(seq 1 1800); do
  [[ -f "$work/mesh-ready" ]] && break
  kill -0 "$PIDS" 2>/dev/null || { echo "the coordinator failed before the mesh was ready" >&2; exit 1; }
  sleep 1
done
namespaces=$(( services * 2 / 10 ))
per=$(( proxies / workers ))
for w in $(seq 0 $(( workers - 1 ))); do
  "${JAVA[@]}" worker "$bootstrap" "$work" $(( w * per )) "$per" 127.0.0.1:5801 "$namespaces" > "$work/worker-$w.log" 2>&1 &
  PIDS="$PIDS $!"
done
wait "${PIDS%% *}"
