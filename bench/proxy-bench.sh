#!/usr/bin/env bash
# Compares one tiny upstream reached directly, through meshlog's proxy (static bootstrap, metrics
# on, tracing on at 1%), through the same proxy with per-request telemetry also going to a local
# Kafka broker (`meshlog dev --broker-only`), through nginx and through haproxy, on loopback. Each
# proxy runs with one worker pinned to core 0 (taskset); the upstream, the load generators and the
# broker share core 1. Several interleaved rounds; the median of each figure is printed, with its
# ratio to nginx, and the cost of telemetry to Kafka as ratios to meshlog without it.
#
#   bench/proxy-bench.sh                 # ROUNDS=3 DURATION=5 WARMUP=20 RATE=2000 by default
#   ROUNDS=5 DURATION=10 bench/proxy-bench.sh
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/proxy-bench.sh   # the proxy on another JVM
#
# Needs: nginx, haproxy, wrk, taskset, python3, java 17, maven (Debian: nginx haproxy wrk).
# Not a test: it asserts nothing. The last line is machine-readable:
#   rps_vs_nginx=… cpu_per_req_vs_nginx=… added_p50_vs_nginx=… rss_mb=… startup_ms=…
# (rss_mb is meshlog+kafka's, after the runs; startup_ms is launch to the first proxied 200.) A line
# before it reports meshlog with two event loops (MESHLOG_EVENT_LOOPS=2, both cores) against one.
set -euo pipefail

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-20}"   # seconds of load before measuring: C2 keeps compiling (on the proxy's core) for ~15 s
RATE="${RATE:-2000}"
PROXY_CORE="${PROXY_CORE:-0}"
LOAD_CORE="${LOAD_CORE:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/meshlog-bench.XXXXXX)"
UPSTREAM=18480 NGINX=18481 HAPROXY=18482 MESHLOG=18483 MESHLOG_ADMIN=18484 KAFKA=18490 KAFKA_CONTROLLER=18491
pids=()

cleanup() {
  for pid in "${pids[@]:-}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in nginx haproxy wrk taskset python3 java mvn curl; do  # Debian: apt-get install -y nginx haproxy wrk
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install nginx haproxy wrk)" >&2; exit 1; }
done

# ---------- build meshlog's proxy and the launcher (for the broker) in this tree; never `mvn install` ----------
# The proxy's runtime classpath is resolved in the same reactor, so it names this tree's module jars,
# not whatever another checkout last installed in ~/.m2. SKIP_BUILD=1 uses what is already built.
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && mvn -B -q -o -pl meshlog-dev -am package dependency:build-classpath -DskipTests \
     -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime >&2)
fi
source "$root/bench/lib/broker.sh"

# ---------- configs ----------
source "$root/bench/lib/upstream.sh"
upstream_conf "$work/upstream.conf" "$work" "$UPSTREAM"
cat > "$work/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  upstream up { server 127.0.0.1:$UPSTREAM; keepalive 64; }
  server { listen 127.0.0.1:$NGINX;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
EOF
cat > "$work/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend f
  bind 127.0.0.1:$HAPROXY
  default_backend b
backend b
  server s1 127.0.0.1:$UPSTREAM
EOF
cat > "$work/meshlog.yaml" <<EOF
proxy: {id: bench, workload: bench-client}
listeners:
  outbound: {host: 127.0.0.1, port: $MESHLOG}
  admin: {host: 127.0.0.1, port: $MESHLOG_ADMIN}
telemetry: {sink: none}
tracing: {enabled: true, samplingPercentage: 1}
services:
  - name: up
    endpoints: [{host: 127.0.0.1, port: $UPSTREAM}]
EOF
sed "s|telemetry: {sink: none}|telemetry: {sink: kafka, bootstrapServers: \"127.0.0.1:$KAFKA\"}|" \
  "$work/meshlog.yaml" > "$work/meshlog-kafka.yaml"

# ---------- helpers ----------
wait_200() { # port -> ms until the first 200 through it
  local port=$1 start=$2
  for _ in $(seq 1 600); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: up' "http://127.0.0.1:$port/" || true)" == 200 ]]; then
      echo $(( ($(date +%s%N) - start) / 1000000 )); return 0
    fi
    sleep 0.01
  done
  echo "no 200 from port $port" >&2; return 1
}

start_target() { # name -> sets PID, STARTUP_MS, PORT
  local start; start=$(date +%s%N)
  case "$1" in
    nginx)   taskset -c "$PROXY_CORE" nginx -p "$work" -c "$work/nginx.conf" & PID=$!; PORT=$NGINX ;;
    haproxy) taskset -c "$PROXY_CORE" haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & PID=$!; PORT=$HAPROXY ;;
    meshlog) MESHLOG_EVENT_LOOPS=1 taskset -c "$PROXY_CORE" "$root/proxy-verticle/bin/proxy-static.sh" "$work/meshlog.yaml" \
               > "$work/meshlog.log" 2>&1 & PID=$!; PORT=$MESHLOG ;;
    meshlog+kafka) MESHLOG_EVENT_LOOPS=1 taskset -c "$PROXY_CORE" "$root/proxy-verticle/bin/proxy-static.sh" \
               "$work/meshlog-kafka.yaml" > "$work/meshlog-kafka.log" 2>&1 & PID=$!; PORT=$MESHLOG ;;
    # two event loops on both cores, which it shares with the upstream and the load generator: reported, not a target
    meshlog-2loops) MESHLOG_EVENT_LOOPS=2 taskset -c "$PROXY_CORE,$LOAD_CORE" "$root/proxy-verticle/bin/proxy-static.sh" \
               "$work/meshlog.yaml" > "$work/meshlog-2loops.log" 2>&1 & PID=$!; PORT=$MESHLOG ;;
    direct)  PID=""; PORT=$UPSTREAM ;;
  esac
  pids+=("${PID:-}")
  STARTUP_MS=$(wait_200 "$PORT" "$start")
}

stop_target() { [[ -n "${PID:-}" ]] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }; sleep 0.3; }

tree() { echo "$1"; pgrep -P "$1" || true; } # a process and its children (nginx's worker)

cpu_ticks() { # pid -> utime+stime of the process tree, in clock ticks
  local total=0
  for p in $(tree "$1"); do total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done
  echo "$total"
}

telemetry_ticks() { # pid -> utime+stime of its Kafka telemetry threads (sender and producer I/O)
  local total=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      meshlog-telemet*|kafka-producer*) total=$(( total + $(awk '{print $14 + $15}' "$task/stat" 2>/dev/null || echo 0) )) ;;
    esac
  done
  echo "$total"
}

rss_kb() { # pid -> resident memory of the process tree, kB
  local total=0
  for p in $(tree "$1"); do total=$(( total + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) )); done
  echo "$total"
}

wrk_run() { # port connections seconds -> "rps p50_us p99_us requests"
  local out
  out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$2" -d"$3"s --latency -H 'Host: up' "http://127.0.0.1:$1/")
  awk '
    function us(v) { if (v ~ /us$/) return v+0; if (v ~ /ms$/) return (v+0)*1000; if (v ~ /s$/) return (v+0)*1000000; return v }
    /Requests\/sec/ {rps=$2} / 50%/ {p50=us($2)} / 99%/ {p99=us($2)} /requests in/ {n=$1}
    END {printf "%s %s %s %s\n", rps, p50, p99, n}' <<<"$out"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

telemetry_counts() { # -> "sent dropped" from the running proxy's /metrics
  curl -s "http://127.0.0.1:$MESHLOG_ADMIN/metrics" | awk '
    /^meshlog_proxy_telemetry_sent/ {sent += $NF} /^meshlog_proxy_telemetry_dropped/ {dropped += $NF}
    END {printf "%d %d\n", sent, dropped}'
}

# The broker runs only while meshlog+kafka is measured: even idle, it takes CPU from the load
# generators on the load core, which lowers the request rate and so raises every proxy's CPU per
# request (fewer requests per wake-up). (start_broker/stop_broker: bench/lib/broker.sh)

# ---------- the upstream ----------
taskset -c "$LOAD_CORE" nginx -p "$work" -c "$work/upstream.conf" & pids+=($!)
wait_200 $UPSTREAM "$(date +%s%N)" >/dev/null
TICK_HZ=$(getconf CLK_TCK)

# one unmeasured start of meshlog's proxy: builds its app jar and class-data-sharing archive
start_target meshlog >/dev/null; stop_target

# ---------- rounds, targets interleaved (order rotates per round) ----------
targets=(direct meshlog meshlog+kafka meshlog-2loops nginx haproxy)
for round in $(seq 1 "$ROUNDS"); do
  shift_by=$(( (round - 1) % ${#targets[@]} ))
  order=("${targets[@]:$shift_by}" "${targets[@]:0:$shift_by}")
  for target in "${order[@]}"; do
    [[ "$target" == meshlog+kafka ]] && { start_broker "$work" "$KAFKA" "$KAFKA_CONTROLLER" "$LOAD_CORE"; pids+=("$BROKER"); }
    start_target "$target"
    taskset -c "$LOAD_CORE" wrk -t1 -c50 -d"$WARMUP"s -H 'Host: up' "http://127.0.0.1:$PORT/" >/dev/null   # warm-up (JIT)
    before=0; [[ -n "$PID" ]] && before=$(cpu_ticks "$PID")
    tel_before=0; [[ "$target" == meshlog+kafka ]] && tel_before=$(telemetry_ticks "$PID")
    read -r rps _ _ requests < <(wrk_run "$PORT" 50 "$DURATION")
    after=0; [[ -n "$PID" ]] && after=$(cpu_ticks "$PID")
    tel_after=0; [[ "$target" == meshlog+kafka ]] && tel_after=$(telemetry_ticks "$PID")
    read -r _ p50 p99 _ < <(wrk_run "$PORT" 1 "$DURATION")
    # an overloaded machine can make the open-loop run time out: its figures are then nan, the run goes on
    read -r open < <(taskset -c "$LOAD_CORE" python3 "$root/bench/openloop.py" 127.0.0.1 "$PORT" up "$RATE" "$DURATION" \
      2>/dev/null) || open="p50_us=nan p99_us=nan"
    rss=0; [[ -n "$PID" ]] && rss=$(rss_kb "$PID")
    if [[ "$target" == meshlog+kafka ]]; then
      read -r sent dropped < <(telemetry_counts)
      echo "round $round: telemetry events sent $sent, dropped $dropped" >&2
      tel_us=$(awk -v a="$tel_after" -v b="$tel_before" -v n="$requests" -v hz="$TICK_HZ" 'BEGIN {printf "%.2f", (a-b)/hz*1e6/n}')
      echo "$sent $dropped $tel_us" >> "$work/telemetry"
    fi
    cpu_us=$(awk -v a="$after" -v b="$before" -v n="$requests" -v hz="$TICK_HZ" 'BEGIN {if (n>0 && a>b) printf "%.2f", (a-b)/hz*1e6/n; else print "nan"}')
    open_p50=$(sed -E 's/.*p50_us=([^ ]+).*/\1/' <<<"$open")
    open_p99=$(sed -E 's/.*p99_us=([^ ]+).*/\1/' <<<"$open")
    echo "$target $rps $cpu_us $p50 $p99 $open_p50 $open_p99 $rss $STARTUP_MS" >> "$work/results"
    stop_target
    [[ "$target" == meshlog+kafka ]] && stop_broker
  done
  echo "round $round done" >&2
done

# ---------- table ----------
declare -A M
for target in "${targets[@]}"; do
  for col in 2 3 4 5 6 7 8 9; do
    M[$target,$col]=$(awk -v t="$target" -v c="$col" '$1==t {print $c}' "$work/results" | median)
  done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b+0 != 0 && a != "nan" && b != "nan") printf "%.2f", a/b; else print "-"}'; }
added() { awk -v a="$1" -v d="$2" 'BEGIN {printf "%.0f", a-d}'; }

printf '\n%-14s %10s %7s %10s %7s %9s %9s %9s %9s %13s %8s %11s\n' target rps ×nginx cpu_us/req ×nginx p50_us +p50_us ×nginx p99_us open_p50/p99 rss_mb startup_ms
for target in "${targets[@]}"; do
  add=$(added "${M[$target,4]}" "${M[direct,4]}")
  nadd=$(added "${M[nginx,4]}" "${M[direct,4]}")
  printf '%-14s %10.0f %7s %10s %7s %9s %9s %9s %9s %13s %8s %11s\n' "$target" "${M[$target,2]}" \
    "$(ratio "${M[$target,2]}" "${M[nginx,2]}")" "${M[$target,3]}" "$(ratio "${M[$target,3]}" "${M[nginx,3]}")" \
    "${M[$target,4]}" "$add" "$(ratio "$add" "$nadd")" "${M[$target,5]}" "${M[$target,6]}/${M[$target,7]}" \
    "$(awk -v k="${M[$target,8]}" 'BEGIN {printf "%.0f", k/1024}')" "${M[$target,9]}"
done
echo "(rounds=$ROUNDS duration=${DURATION}s wrk -c50 saturation and -c1 latency, open loop at ${RATE}/s; proxies on core $PROXY_CORE;"
echo " meshlog's proxy on Java $("${JAVA:-java}" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.version/ {print $2}'))"
read -r sent dropped < <(awk '{s += $1; d += $2} END {printf "%d %d\n", s, d}' "$work/telemetry")
tel_cpu=$(awk '{print $3}' "$work/telemetry" | median)
echo "(meshlog+kafka: the broker, started for it alone, shares core $LOAD_CORE with the load generators, so its"
echo " rps and the proxy's CPU per request, which grows as batches per wake-up shrink, are depressed by more than"
echo " telemetry; telemetry_threads_cpu_us_per_req counts only the proxy's Kafka sender and producer I/O threads)"
echo "telemetry to Kafka: rps_vs_meshlog=$(ratio "${M[meshlog+kafka,2]}" "${M[meshlog,2]}")" \
  "cpu_per_req_vs_meshlog=$(ratio "${M[meshlog+kafka,3]}" "${M[meshlog,3]}")" \
  "added_p50_vs_meshlog=$(ratio "$(added "${M[meshlog+kafka,4]}" "${M[direct,4]}")" "$(added "${M[meshlog,4]}" "${M[direct,4]}")")" \
  "rss_mb=$(awk -v k="${M[meshlog+kafka,8]}" 'BEGIN {printf "%.0f", k/1024}') events_sent=$sent events_dropped=$dropped" \
  "telemetry_threads_cpu_us_per_req=$tel_cpu"
echo "two event loops (proxy on both cores, shared with the upstream and wrk; not a target):" \
  "rps_vs_one_loop=$(ratio "${M[meshlog-2loops,2]}" "${M[meshlog,2]}")" \
  "cpu_per_req_vs_one_loop=$(ratio "${M[meshlog-2loops,3]}" "${M[meshlog,3]}")" \
  "rss_mb=$(awk -v k="${M[meshlog-2loops,8]}" 'BEGIN {printf "%.0f", k/1024}')"
# rss_mb: the proxy with telemetry to Kafka on (the footprint target: one loop, metrics, tracing 1%, Kafka)
echo "rps_vs_nginx=$(ratio "${M[meshlog,2]}" "${M[nginx,2]}") cpu_per_req_vs_nginx=$(ratio "${M[meshlog,3]}" "${M[nginx,3]}") added_p50_vs_nginx=$(ratio "$(added "${M[meshlog,4]}" "${M[direct,4]}")" "$(added "${M[nginx,4]}" "${M[direct,4]}")") rss_mb=$(awk -v k="${M[meshlog+kafka,8]}" 'BEGIN {printf "%.0f", k/1024}') startup_ms=${M[meshlog,9]}"

# ---------- hostile-request corpus: meshlog and nginx side by side (not a pass/fail target) ----------
# HOSTILE=0 skips it (its nginx half takes minutes on a loaded machine)
if [[ "${HOSTILE:-1}" == 1 ]]; then
  "$root/bench/hostile-diff.sh" || echo "hostile corpus run failed" >&2
fi
