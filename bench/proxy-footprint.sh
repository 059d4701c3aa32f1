#!/usr/bin/env bash
# Where meshlog's proxy holds its memory: one proxy (static bootstrap, one event loop, metrics on,
# tracing at 1%, telemetry to a local Kafka broker) under wrk load, then its resident memory and the
# JVM's native memory tracking summary (jcmd VM.native_memory), committed MB per part.
#
#   bench/proxy-footprint.sh                     # DURATION=30 (seconds of load), CONNECTIONS=50, SETTLE=10
#   JAVA_OPTS='-Xmx48m ...' bench/proxy-footprint.sh   # try other JVM flags (replaces proxy-static.sh's)
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/proxy-footprint.sh
#
# Needs: nginx, wrk, taskset, jcmd, the built proxy (target/classes) and meshlog-dev (target/lib).
# Not a test: it prints figures, asserts nothing.
set -euo pipefail
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-50}"
PROXY_CORE="${PROXY_CORE:-0}"
LOAD_CORE="${LOAD_CORE:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/meshlog-footprint.XXXXXX)"
UPSTREAM=18580 MESHLOG=18583 MESHLOG_ADMIN=18584 KAFKA=18590 KAFKA_CONTROLLER=18591
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source "$root/bench/lib/broker.sh"

source "$root/bench/lib/upstream.sh"
upstream_conf "$work/upstream.conf" "$work" "$UPSTREAM"
cat > "$work/meshlog.yaml" <<CONF
proxy: {id: footprint, workload: bench-client}
listeners:
  outbound: {host: 127.0.0.1, port: $MESHLOG}
  admin: {host: 127.0.0.1, port: $MESHLOG_ADMIN}
telemetry: {sink: kafka, bootstrapServers: "127.0.0.1:$KAFKA"}
tracing: {enabled: true, samplingPercentage: 1}
services:
  - name: up
    endpoints: [{host: 127.0.0.1, port: $UPSTREAM}]
CONF
taskset -c "$LOAD_CORE" nginx -p "$work" -c "$work/upstream.conf" & pids+=($!)
start_broker "$work" "$KAFKA" "$KAFKA_CONTROLLER" "$LOAD_CORE"; pids+=("$BROKER")

JAVA_EXTRA_OPTS="-XX:NativeMemoryTracking=summary" MESHLOG_EVENT_LOOPS=1 taskset -c "$PROXY_CORE" "$root/proxy-verticle/bin/proxy-static.sh" \
  "$work/meshlog.yaml" > "$work/meshlog.log" 2>&1 & PID=$!; pids+=("$PID")
for _ in $(seq 1 600); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: up' "http://127.0.0.1:$MESHLOG/" || true)" == 200 ]] && break
  sleep 0.05
done
taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" -d"$DURATION"s -H 'Host: up' "http://127.0.0.1:$MESHLOG/" | grep Requests/sec
sleep "${SETTLE:-10}"   # after the load: C2's compile arenas are returned (pooled chunks freed every 5 s, then trimmed)
sent=$(curl -s "http://127.0.0.1:$MESHLOG_ADMIN/metrics" | awk '/^meshlog_proxy_telemetry_sent/ {s += $NF} END {printf "%d", s}')
rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status")
echo "flags: $(tr '\0' ' ' < "/proc/$PID/cmdline" | grep -o -- ' -X[^ ]*\| -D[^ ]*' | tr -d '\n')"
echo "rss_mb=$rss telemetry_events_sent=$sent"
jcmd "$PID" VM.native_memory summary | awk '
  /^Total:/ {print "NMT total: " $0}
  /^-  *[A-Za-z]/ {name=$0; sub(/^- +/, "", name); sub(/ *\(.*/, "", name)}
  /^-  *[A-Za-z].*committed=/ {match($0, /committed=[0-9]+KB/); c=substr($0, RSTART+10, RLENGTH-12); printf "  %-28s %6.1f MB committed\n", name, c/1024}'
