#!/usr/bin/env bash
# The primary's latency through meshlog's proxy with and without traffic mirroring to a slow shadow.
# The same static proxy (one event loop pinned to core 0) routes to one nginx upstream ("hello");
# the mirrored run adds `mirror: {host: shadow}` at 100 % (mirrorPercentage: {value: 100}) to a
# shadow that answers after SHADOW_DELAY_MS (a small Python server, at most 256 threads). Rounds
# alternate the two configs; each measures one connection (wrk -c1) after a warm-up and prints the
# primary's p50/p99, then the shadows the proxy completed, timed out and dropped at its in-flight
# bound (proxy.mirror.maxInFlight, default 128). The issue's target: the primary's latency is
# unchanged within noise while a slow shadow is mirrored at 100 %.
#
#   bench/mirror-bench.sh                      # ROUNDS=3 DURATION=5 WARMUP=10 SHADOW_DELAY_MS=200
#   SKIP_BUILD=1 ROUNDS=5 bench/mirror-bench.sh
#
# Needs: nginx, wrk, taskset, python3, java 17, maven. Not a test: it asserts nothing. Last line:
#   p50_us_plain=… p99_us_plain=… p50_us_mirrored=… p99_us_mirrored=… p50_ratio=… p99_ratio=…
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-10}"
SHADOW_DELAY_MS="${SHADOW_DELAY_MS:-200}"
PROXY_CORE="${PROXY_CORE:-0}"
LOAD_CORE="${LOAD_CORE:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/meshlog-mirror-bench.XXXXXX)"
UPSTREAM=18580 SHADOW=18581 MESHLOG=18583 MESHLOG_ADMIN=18584
pids=()

cleanup() {
  for pid in "${pids[@]:-}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in nginx wrk taskset python3 java mvn curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install nginx wrk)" >&2; exit 1; }
done

# ---------- build the proxy in this tree (its classpath names this tree's module jars); never `mvn install` ----------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && mvn -B -q -o -pl proxy-verticle -am package dependency:build-classpath -DskipTests -Dquick \
     -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime >&2)
fi

# ---------- upstream, slow shadow, two proxy configs ----------
source "$root/bench/lib/upstream.sh"
upstream_conf "$work/upstream.conf" "$work" "$UPSTREAM"
cat > "$work/shadow.py" <<'PY'
import sys, time, socketserver
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
delay = int(sys.argv[2]) / 1000.0
class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        time.sleep(delay)
        body = b"hello\n"
        self.send_response(200); self.send_header("content-length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass
class Bounded(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
Bounded(("127.0.0.1", int(sys.argv[1])), Slow).serve_forever()
PY
proxy_conf() { # file mirror(yes|no)
  cat > "$1" <<EOF
proxy: {id: bench, workload: bench-client}
listeners:
  outbound: {host: 127.0.0.1, port: $MESHLOG}
  admin: {host: 127.0.0.1, port: $MESHLOG_ADMIN}
telemetry: {sink: none}
tracing: {enabled: false, samplingPercentage: 1}
services:
  - name: up
    endpoints: [{host: 127.0.0.1, port: $UPSTREAM}]
  - name: shadow
    endpoints: [{host: 127.0.0.1, port: $SHADOW}]
EOF
  if [[ "$2" == yes ]]; then
    cat >> "$1" <<EOF
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: up}
spec:
  hosts: [up]
  http:
    - route: [{destination: {host: up}}]
      mirror: {host: shadow}
      mirrorPercentage: {value: 100}
EOF
  fi
}
proxy_conf "$work/plain.yaml" no
proxy_conf "$work/mirrored.yaml" yes

wait_200() { # port
  for _ in $(seq 1 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: up' "http://127.0.0.1:$1/" || true)" == 200 ]] && return 0
    sleep 0.01
  done
  echo "no 200 from port $1" >&2; return 1
}

wrk_latency() { # port seconds -> "p50_us p99_us"
  taskset -c "$LOAD_CORE" wrk -t1 -c1 -d"$2"s --latency -H 'Host: up' "http://127.0.0.1:$1/" | awk '
    function us(v) { if (v ~ /us$/) return v+0; if (v ~ /ms$/) return (v+0)*1000; if (v ~ /s$/) return (v+0)*1000000; return v }
    / 50%/ {p50=us($2)} / 99%/ {p99=us($2)} END {printf "%s %s\n", p50, p99}'
}

shadow_counts() { # -> "completed timed_out failed dropped_in_flight"
  curl -s "http://127.0.0.1:$MESHLOG_ADMIN/metrics" | awk '
    /^meshlog_proxy_mirror_shadows_total/ && /outcome="completed"/ {c += $NF}
    /^meshlog_proxy_mirror_shadows_total/ && /outcome="timed_out"/ {t += $NF}
    /^meshlog_proxy_mirror_shadows_total/ && /outcome="failed"/ {f += $NF}
    /^meshlog_proxy_mirror_dropped_total/ && /reason="in_flight_limit"/ {d += $NF}
    END {printf "%d %d %d %d\n", c, t, f, d}'
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

taskset -c "$LOAD_CORE" nginx -p "$work" -c "$work/upstream.conf" & pids+=($!)
nice -n 19 taskset -c "$LOAD_CORE" python3 "$work/shadow.py" "$SHADOW" "$SHADOW_DELAY_MS" & pids+=($!)
wait_200 "$UPSTREAM"

for round in $(seq 1 "$ROUNDS"); do
  order=(plain mirrored); (( round % 2 == 0 )) && order=(mirrored plain)
  for config in "${order[@]}"; do
    MESHLOG_EVENT_LOOPS=1 taskset -c "$PROXY_CORE" "$root/proxy-verticle/bin/proxy-static.sh" "$work/$config.yaml" \
      > "$work/$config.log" 2>&1 & pid=$!; pids+=("$pid")
    wait_200 "$MESHLOG"
    taskset -c "$LOAD_CORE" wrk -t1 -c1 -d"$WARMUP"s -H 'Host: up' "http://127.0.0.1:$MESHLOG/" >/dev/null
    read -r p50 p99 < <(wrk_latency "$MESHLOG" "$DURATION")
    read -r completed timed_out failed dropped < <(shadow_counts)
    echo "round $round $config: primary p50 ${p50} us p99 ${p99} us; shadows completed $completed, timed out $timed_out, failed $failed, dropped at the in-flight bound $dropped" >&2
    echo "$p50 $p99" >> "$work/$config.figures"
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; sleep 0.3
  done
done

p50_plain=$(awk '{print $1}' "$work/plain.figures" | median); p99_plain=$(awk '{print $2}' "$work/plain.figures" | median)
p50_mirror=$(awk '{print $1}' "$work/mirrored.figures" | median); p99_mirror=$(awk '{print $2}' "$work/mirrored.figures" | median)
printf "primary latency, one connection, median of %d rounds (shadow answers after %d ms, mirrored at 100%%):\n" "$ROUNDS" "$SHADOW_DELAY_MS"
printf "  without mirroring: p50 %8.0f us  p99 %8.0f us\n" "$p50_plain" "$p99_plain"
printf "  with mirroring:    p50 %8.0f us  p99 %8.0f us\n" "$p50_mirror" "$p99_mirror"
awk -v a="$p50_plain" -v b="$p99_plain" -v c="$p50_mirror" -v d="$p99_mirror" \
  'BEGIN {printf "p50_us_plain=%.0f p99_us_plain=%.0f p50_us_mirrored=%.0f p99_us_mirrored=%.0f p50_ratio=%.2f p99_ratio=%.2f\n", a, b, c, d, c/a, d/b}'
