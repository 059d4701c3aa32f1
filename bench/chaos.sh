#!/usr/bin/env bash
# A measured chaos run of the whole mesh (issue #16). Starts every part as its own process on
# 127.0.0.1 (bench/lib/mesh.sh), drives an open-loop load at a fixed rate through the gateway
# sidecar to three inventory instances (bench/openloop.py, every outcome logged), runs a fault-free
# control window, then injects eight faults in turn and heals each:
#   1 broker       kill -9, down CHAOS_KILL_S, restarted on the same data
#   2 hazelcast    the member killed (kill -9), down CHAOS_KILL_S, restarted (empty)
#   3 cert-service down longer than half the certificate lifetime (CHAOS_CERT_LIFETIME_S, short for the run)
#   4 policy       policy-service killed -9 while an apply is in flight, restarted, the apply repeated
#   5 pipeline     one of two instances killed -9 mid-run, restarted; then the other
#   6 sidecar      inventory-3's sidecar killed -9 (leaves the registry by TTL), restarted after CHAOS_KILL_S
#   7 stall        inventory-2's app paused (SIGSTOP) CHAOS_STALL_S, then SIGCONT
#   8 disk         the broker's and pipelines' state filesystem full (root: a size-limited tmpfs filled
#                  by a file) or, without root, made read-only (chmod a-w) for CHAOS_DISK_S
# After each heal it measures the time until the mesh converged (every part ready, the policy
# applied by every proxy, certificates valid, healthy endpoints not ejected, requests answered)
# and counts the outcomes in the fault window and the CHAOS_AFTER_S after it. At the end: telemetry
# produced vs dropped (counted) vs on the topic, acknowledged records (policies, certificates,
# decisions, alerts) lost, alerts duplicated. Last line:
#   faults=8 failed_requests=… uncounted_telemetry_loss=0 duplicate_alerts=0 lost_decisions=0 max_recovery_s=… manual_steps=0
#
# Needs: mvn -B -o -q -pl meshlog-dev -am package -DskipTests; python3; curl.
# Settings (env): CHAOS_RATE=40 (requests/s), CHAOS_CONTROL_S=60, CHAOS_KILL_S=60, CHAOS_AFTER_S=60,
#   CHAOS_CERT_LIFETIME_S=240, CHAOS_CERT_DOWN_S=130 (must exceed half the lifetime), CHAOS_STALL_S=30,
#   CHAOS_DISK_S=30, CHAOS_CONVERGE_LIMIT_S=180 (past it the fault needs a manual step),
#   CHAOS_PORT_BASE=27100, CHAOS_FAULTS="1 2 3 4 5 6 7 8", CHAOS_KEEP=1 keeps the run directory.
set -euo pipefail
root=${CHAOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
# Run from a copy: bash reads a script as it goes, so editing it mid-run would break the run.
if [[ -z ${CHAOS_COPY:-} ]]; then
  copy=$(mktemp /tmp/chaos.XXXXXX.sh); cp "$0" "$copy"; CHAOS_COPY=$copy CHAOS_ROOT=$root exec bash "$copy" "$@"
fi
rm -f "$CHAOS_COPY"
RATE=${CHAOS_RATE:-40}; CONTROL_S=${CHAOS_CONTROL_S:-60}; KILL_S=${CHAOS_KILL_S:-60}; AFTER_S=${CHAOS_AFTER_S:-60}
CERT_LIFETIME_S=${CHAOS_CERT_LIFETIME_S:-240}; CERT_DOWN_S=${CHAOS_CERT_DOWN_S:-130}; STALL_S=${CHAOS_STALL_S:-30}
DISK_S=${CHAOS_DISK_S:-30}; CONVERGE_LIMIT_S=${CHAOS_CONVERGE_LIMIT_S:-180}; FAULTS=${CHAOS_FAULTS:-1 2 3 4 5 6 7 8}
MESH_PORT_BASE=${CHAOS_PORT_BASE:-27100}
((CERT_DOWN_S * 2 > CERT_LIFETIME_S)) || { echo "CHAOS_CERT_DOWN_S must exceed half of CHAOS_CERT_LIFETIME_S" >&2; exit 2; }
CERT_LIFETIME="${CERT_LIFETIME_S}s"
MESH_DIR=$(mktemp -d /tmp/meshlog-chaos.XXXXXX); MESH_STATE="$MESH_DIR/state"
# shellcheck source=lib/mesh.sh
source "$root/bench/lib/mesh.sh"
mesh_ports; mesh_check_built
RESULTS="$MESH_DIR/results"; mkdir -p "$MESH_STATE" "$RESULTS"
started=$SECONDS
say() { printf '[%4ds] %s\n' $((SECONDS - started)) "$*"; }

tmpfs_state=0
if [[ $(id -u) == 0 ]] && mount -t tmpfs -o size=3g meshlog-chaos "$MESH_STATE" 2>/dev/null; then tmpfs_state=1; fi
finish() {
  set +e
  [[ -n ${LOAD_PID:-} ]] && kill "$LOAD_PID" 2>/dev/null
  chmod -R u+w "$MESH_STATE" 2>/dev/null; rm -f "$MESH_STATE/filler"
  stop_mesh
  if ((tmpfs_state)); then for _ in $(seq 1 20); do umount "$MESH_STATE" 2>/dev/null && break; sleep 1; done; fi
  if [[ ${CHAOS_KEEP:-0} == 1 ]]; then echo "run directory kept: $MESH_DIR"; else rm -rf "$MESH_DIR"; fi
}
trap finish EXIT

for p in $KAFKA_PORT $HZ_PORT $POLICY_PORT $GATEWAY_OUT; do
  port_open "$p" && { echo "port $p is in use: set CHAOS_PORT_BASE" >&2; exit 1; }
done

# ---------------------------------------------------------------- the mesh
say "starting the mesh in $MESH_DIR (state on $( ((tmpfs_state)) && echo "a 3 GiB tmpfs" || echo "the run directory"))"
start_broker; start_hazelcast; start_cert_service; join_tokens; start_policy_service
meshctl apply -f "$root/bench/chaos/policies.yaml" > "$MESH_DIR/logs/apply.log"
# in parallel where nothing depends on the order (start-up is CPU-bound on a small machine)
together() { local pids=() p; for c in "$@"; do $c & pids+=($!); done; for p in "${pids[@]}"; do wait "$p"; done; }
demo_classes
apps() { for n in $(seq 1 "$MESH_INVENTORY"); do start_inventory_app "$n" "$([[ $n == 1 ]] && echo 0.3 || echo 0)" & done; wait; }
# A part that fails to start on a loaded machine (a metadata timeout) is started once more.
again() { "$@" || { echo "starting again: $*" >&2; "$@"; }; }
sidecars() { local pids=() p; for n in $(seq 1 "$MESH_INVENTORY"); do again start_inventory_sidecar "$n" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done; }
together "again start_pipeline 1" "again start_pipeline 2" apps
sidecars
again start_gateway
say "mesh ready ($(ls "$MESH_DIR/pids" | wc -l) processes)"

LOAD_LOG="$MESH_DIR/load.log"
OPENLOOP_LOG="$LOAD_LOG" python3 "$root/bench/openloop.py" 127.0.0.1 "$GATEWAY_OUT" inventory "$RATE" 3600 16 \
  > "$MESH_DIR/logs/openloop.log" 2>&1 & LOAD_PID=$!

# ---------------------------------------------------------------- convergence
admin_ports() { echo "$GATEWAY_ADMIN"; for n in $(seq 1 "$MESH_INVENTORY"); do inventory_admin "$n"; done; }
# Why the mesh has not converged yet (empty output: converged).
not_converged() {
  local now; now=$(date +%s)
  port_open "$KAFKA_PORT" || echo "broker down"
  port_open "$HZ_PORT" || echo "hazelcast down"
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$CERT_ADMIN_PORT/" || echo "cert-service down"
  http_ok "http://127.0.0.1:$POLICY_PORT/health" || echo "policy-service down"
  http_ok "http://127.0.0.1:$PIPELINE_METRICS_1/ready" || echo "pipeline-1 not ready"
  http_ok "http://127.0.0.1:$PIPELINE_METRICS_2/ready" || echo "pipeline-2 not ready"
  for p in $(admin_ports); do http_ok "http://127.0.0.1:$p/ready" || echo "proxy admin $p not ready"; done
  python3 - "$POLICY_PORT" "$MESH_WRITER_TOKEN" "$GATEWAY_ADMIN" "$LOAD_LOG" "$now" "$MESH_INVENTORY" $(admin_ports) <<'EOF' || echo "check failed"
import json, sys, urllib.request
policy, token, gateway, load, now, inventory = sys.argv[1:7]
admins = sys.argv[7:]
def get(url, auth=False):
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token} if auth else {})
    return json.load(urllib.request.urlopen(req, timeout=3))
try:
    proxies = get(f"http://127.0.0.1:{policy}/apis/meshlog.io/v1/proxies", True)
    items = proxies.get("items", proxies) if isinstance(proxies, dict) else proxies
    live = {p["proxyId"] for p in items}
    for p in items:
        if p.get("behind", 0):
            print(f"proxy {p['proxyId']} is {p['behind']} generations behind")
    want = {"gateway"} | {f"inventory-{n}" for n in range(1, int(inventory) + 1)}
    if not want <= live:
        print("policy acks missing from " + ",".join(sorted(want - live)))
except Exception as e:
    print(f"policy status unreadable: {e}")
for port in admins:
    try:
        certs = get(f"http://127.0.0.1:{port}/certs")
        if certs.get("timeLeftSeconds", 0) <= 0:
            print(f"proxy {port}: no valid certificate ({certs.get('state', certs.get('timeLeft'))})")
    except Exception as e:
        print(f"proxy {port}: certs unreadable: {e}")
try:
    clusters = get(f"http://127.0.0.1:{gateway}/clusters")["clusters"]
    eps = [e for c in clusters if c["service"] == "inventory" for e in c["endpoints"]]
    seen = {e["workload"]: e for e in eps}
    for n in range(1, int(inventory) + 1):
        w = f"inventory-{n}"
        if w not in seen:
            print(f"gateway does not see {w}")
        elif n != 1 and seen[w]["health"] != "healthy":
            print(f"gateway ejects healthy {w} ({seen[w]['ejectedBy']})")
    if len(eps) != int(inventory):
        print(f"gateway sees {len(eps)} inventory endpoints")
except Exception as e:
    print(f"gateway clusters unreadable: {e}")
# the last 5 s of answers: all 200 (inventory-1's errors are retried away)
recent = [l.split() for l in open(load) if float(l.split()[0]) > float(now) - 6 and float(l.split()[0]) < float(now) - 1]
bad = [r for r in recent if r[1] != "200"]
if not recent or bad:
    print(f"requests: {len(bad)} of {len(recent)} in the last 5 s failed")
EOF
}
# await_convergence NAME HEAL_EPOCH: sets RECOVERY (s) and adds a manual step when it never converges.
MANUAL=0
await_convergence() {
  local reasons deadline=$((SECONDS + CONVERGE_LIMIT_S))
  while reasons=$(not_converged) && [[ -n $reasons ]]; do
    if ((SECONDS >= deadline)); then
      say "$1: NOT converged after ${CONVERGE_LIMIT_S}s: $(echo "$reasons" | paste -sd';')"
      MANUAL=$((MANUAL + 1)); RECOVERY=$CONVERGE_LIMIT_S; echo "$1 needs a manual step: $reasons" >> "$RESULTS/manual"; return
    fi
    sleep 1
  done
  RECOVERY=$(python3 -c "import time;print(round(time.time()-$2,1))")
}
now() { python3 -c 'import time;print(f"{time.time():.3f}")'; }
probe() { java -XX:TieredStopAtLevel=1 -cp "$MESH_CP" "$root/bench/chaos/ChaosProbe.java" "$BOOTSTRAP" "$1"; }

# fault NAME DESCRIPTION INJECT HEAL [HOLD_S]: runs a fault, records its windows.
run_fault() {
  local name=$1 what=$2 inject=$3 heal=$4 hold=${5:-$KILL_S} t0 t1
  say "fault $name: $what"
  t0=$(now)
  $inject || echo "$name: injecting failed (status $?)" >> "$RESULTS/notes"
  sleep "$hold"
  $heal || echo "$name: healing failed (status $?)" >> "$RESULTS/notes"
  t1=$(now)
  await_convergence "$name" "$t1"
  say "fault $name: healed, converged ${RECOVERY}s after the heal"
  sleep "$(python3 -c "print(max(0, $t1 + $AFTER_S - $(now)))")"
  echo "$name|$what|$t0|$t1|$(now)|$RECOVERY" >> "$RESULTS/faults"
  probe "$RESULTS/kept-after-$name" > /dev/null 2>>"$MESH_DIR/logs/probe.log" || echo "probe after $name failed" >> "$RESULTS/notes"
}

kill9() { kill -9 "$(pid_of "$1")"; wait "$(pid_of "$1")" 2>/dev/null || true; }

f_broker_in() { kill9 broker; }
f_broker_out() { start_broker; }
f_hz_in() { kill9 hazelcast; }
f_hz_out() { start_hazelcast; }
# Renewals fall due while cert-service is down: it goes down when every proxy's certificate has
# at least CERT_DOWN_S + 10 s left (so none may expire by design), and stays down past half-life.
f_cert_in() {
  local deadline=$((SECONDS + CERT_LIFETIME_S))
  until python3 - "$CERT_DOWN_S" $(admin_ports) <<'EOF' || ((SECONDS > deadline)); do sleep 1; done
import json, sys, urllib.request
need = int(sys.argv[1]) + 10
left = [json.load(urllib.request.urlopen(f"http://127.0.0.1:{p}/certs", timeout=3)).get("timeLeftSeconds", 0) for p in sys.argv[2:]]
sys.exit(0 if min(left) >= need else 1)
EOF
  kill9 cert-service
}
f_cert_out() { start_cert_service; }
MARKER=0
marker_doc() {
  MARKER=$((MARKER + 1))
  cat > "$MESH_DIR/marker.yaml" <<EOF
apiVersion: meshlog.io/v1
kind: DestinationRule
metadata: {name: chaos-marker, namespace: demo, labels: {chaos-generation: "g$MARKER"}}
spec: {host: chaos-marker, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}
EOF
}
f_policy_in() {
  marker_doc
  meshctl apply -f "$MESH_DIR/marker.yaml" > "$RESULTS/apply-during-kill.out" 2>&1 & local apply=$!
  sleep 0.3; kill9 policy-service
  if wait "$apply"; then echo "acknowledged" > "$RESULTS/apply-during-kill.status"; else echo "failed" > "$RESULTS/apply-during-kill.status"; fi
}
f_policy_out() {
  start_policy_service
  # the client repeats an apply that got no answer (idempotent), and waits for every proxy
  meshctl apply --wait --timeout 60s -f "$MESH_DIR/marker.yaml" >> "$RESULTS/apply-during-kill.out" 2>&1 \
    || echo "apply after restart failed" >> "$RESULTS/notes"
}
f_pipeline_in() { kill9 pipeline-1; sleep $((KILL_S / 2)); start_pipeline 1; kill9 pipeline-2; }
f_pipeline_out() { start_pipeline 2; }
f_sidecar_in() { kill9 inventory-3; }
f_sidecar_out() { start_inventory_sidecar 3; }
f_stall_in() { kill -STOP "$(pid_of app-inventory-2)"; }
f_stall_out() { kill -CONT "$(pid_of app-inventory-2)"; }
f_disk_in() {
  if ((tmpfs_state)); then
    local free; free=$(df --output=avail -B1 "$MESH_STATE" | tail -1)
    fallocate -l "$free" "$MESH_STATE/filler" 2>/dev/null || head -c "$free" /dev/zero > "$MESH_STATE/filler" 2>/dev/null || true
    echo "disk: the state filesystem filled ($(df --output=avail -B1 "$MESH_STATE" | tail -1) bytes left)" >> "$RESULTS/notes"
  else
    chmod -R a-w "$MESH_STATE/broker" "$MESH_STATE"/pipeline-*
    echo "disk: not root, so no small filesystem to fill: the broker's and pipelines' state made read-only (chmod a-w)" >> "$RESULTS/notes"
  fi
}
f_disk_out() { rm -f "$MESH_STATE/filler"; chmod -R u+w "$MESH_STATE" 2>/dev/null || true; }

say "control: ${CONTROL_S}s without faults"
c0=$(now); sleep "$CONTROL_S"; echo "control|no fault|$c0|$(now)|$(now)|0" >> "$RESULTS/faults"
probe "$RESULTS/kept-after-control" > "$RESULTS/control-probe" 2>>"$MESH_DIR/logs/probe.log"

for f in $FAULTS; do
  case $f in
    1) run_fault broker "Kafka broker kill -9, ${KILL_S}s down, restarted on the same data" f_broker_in f_broker_out ;;
    2) run_fault hazelcast "Hazelcast member kill -9, ${KILL_S}s down, restarted empty" f_hz_in f_hz_out ;;
    3) run_fault cert-service "cert-service kill -9 for ${CERT_DOWN_S}s > half the ${CERT_LIFETIME_S}s certificate lifetime" f_cert_in f_cert_out "$CERT_DOWN_S" ;;
    4) run_fault policy-service "policy-service kill -9 during an apply, restarted" f_policy_in f_policy_out 5 ;;
    5) run_fault pipeline "pipeline-1 kill -9, restarted; then pipeline-2 kill -9 ($((KILL_S / 2))s each)" f_pipeline_in f_pipeline_out $((KILL_S / 2)) ;;
    6) run_fault sidecar "inventory-3's sidecar kill -9, restarted after ${KILL_S}s" f_sidecar_in f_sidecar_out ;;
    7) run_fault stall "inventory-2's app SIGSTOP for ${STALL_S}s, then SIGCONT" f_stall_in f_stall_out "$STALL_S" ;;
    8) run_fault disk "broker and pipeline state $( ((tmpfs_state)) && echo "filesystem full" || echo "read-only") for ${DISK_S}s" f_disk_in f_disk_out "$DISK_S" ;;
  esac
done

# ---------------------------------------------------------------- accounting
kill "$LOAD_PID" 2>/dev/null; wait "$LOAD_PID" 2>/dev/null || true; LOAD_PID=
# the gateway's telemetry queue drains to Kafka before counting
for _ in $(seq 1 60); do
  q=$(curl -sf "http://127.0.0.1:$GATEWAY_ADMIN/metrics" | awk '/^meshlog_proxy_telemetry_queued/ {print $2}')
  [[ ${q%.*} == 0 ]] && break; sleep 1
done
curl -sf "http://127.0.0.1:$GATEWAY_ADMIN/metrics" | grep '^meshlog_proxy_telemetry' > "$RESULTS/gateway-telemetry" || true
for n in $(seq 1 "$MESH_INVENTORY"); do
  curl -sf "http://127.0.0.1:$(inventory_admin "$n")/metrics" | grep '^meshlog_proxy_telemetry' | sed "s/^/inventory-$n /" >> "$RESULTS/sidecar-telemetry" || true
done
# A broker that did not come back (counted as a manual step) leaves nothing to count: said, not hidden.
final=$(probe "$RESULTS/kept-final" 2> "$RESULTS/final-probe.err") || {
  echo "final accounting impossible: the topics cannot be read (broker down?)" >> "$RESULTS/notes"
  final="telemetry=-1 duplicate_alerts=-1 kept_records=0"; : > "$RESULTS/kept-final"; }
echo "$final" > "$RESULTS/final-probe"
say "run over; accounting"

python3 - "$RESULTS" "$LOAD_LOG" "$MANUAL" <<'EOF'
import collections, glob, os, sys
results, load, manual = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [l.rstrip("\n").split("|") for l in open(f"{results}/faults")]
outcomes = [l.split() for l in open(load) if len(l.split()) == 4]
def window(a, b):
    got = [o for o in outcomes if a <= float(o[0]) < b]
    failed = collections.Counter(f"{o[1]} {o[2]}" for o in got if o[1] != "200")
    return len(got), failed
def fmt(c):
    return ", ".join(f"{k}:{v}" for k, v in sorted(c.items())) or "-"
print()
print(f"{'fault':<15} {'sent':>6} {'failed':>7}  {'failed by status+flag (fault window)':<38} {'sent after':>10} {'failed after':>12}  {'recovery_s':>10}")
total_failed, max_recovery = 0, 0.0
for name, what, t0, t1, t2, rec in rows:
    n, failed = window(float(t0), float(t1))
    n2, failed2 = window(float(t1), float(t2))
    total_failed += sum(failed.values()) + sum(failed2.values())
    max_recovery = max(max_recovery, float(rec))
    print(f"{name:<15} {n:>6} {sum(failed.values()):>7}  {fmt(failed):<38} {n2:>10} {sum(failed2.values()):>12}  {rec:>10}")
print()
for name, what, *_ in rows:
    print(f"  {name}: {what}")
# telemetry: what the gateway produced = sent (acknowledged by Kafka) + dropped (counted) + still queued
metrics = {}
for line in open(f"{results}/gateway-telemetry"):
    key, value = line.rsplit(" ", 1)
    metrics[key] = float(value)
sent = sum(v for k, v in metrics.items() if k.startswith("meshlog_proxy_telemetry_sent"))
dropped = collections.Counter()
for k, v in metrics.items():
    if k.startswith("meshlog_proxy_telemetry_dropped"):
        dropped[k.split('reason="')[1].split('"')[0]] += v
queued = sum(v for k, v in metrics.items() if k.startswith("meshlog_proxy_telemetry_queued"))
final = dict(kv.split("=") for kv in open(f"{results}/final-probe").read().split())
on_topic = int(final["telemetry"])
produced = sent + sum(dropped.values()) + queued
uncounted = max(0, int(sent - on_topic))
print()
print(f"telemetry (gateway): produced={int(produced)} acknowledged={int(sent)} dropped_counted={int(sum(dropped.values()))} "
      f"({', '.join(f'{k}:{int(v)}' for k, v in dropped.items() if v) or 'none'}) queued={int(queued)} on_topic={on_topic}"
      f" (extra on topic: {max(0, on_topic - int(sent))})")
# acknowledged records: each one read (committed) after some fault must still be there at the end
final_lines = set(open(f"{results}/kept-final").read().splitlines())
lost = collections.Counter()
for path in glob.glob(f"{results}/kept-after-*"):
    for line in open(path).read().splitlines():
        if line not in final_lines:
            lost[line.split()[0]] += 1
print(f"acknowledged records lost: {dict(lost) or 'none'} (policy, issued certificates, decisions, alerts; "
      f"{final['kept_records']} at the end)")
status = open(f"{results}/apply-during-kill.status").read().strip() if os.path.exists(f"{results}/apply-during-kill.status") else "not run"
print(f"apply during the policy-service kill: {status}")
for name in ("notes", "manual"):
    if os.path.exists(f"{results}/{name}"):
        print(open(f"{results}/{name}").read().rstrip())
print()
print(f"faults={len(rows) - 1} failed_requests={total_failed} uncounted_telemetry_loss={uncounted} "
      f"duplicate_alerts={final['duplicate_alerts']} lost_decisions={sum(lost.values())} "
      f"max_recovery_s={max_recovery:g} manual_steps={manual}")
EOF
