#!/usr/bin/env bash
# One demo workload = two processes in one container, like a pod: the demo application
# (DemoMain, load generator included when DEMO_TARGET is set) and its meshlog sidecar (ProxyMain --mesh). The app listens on a free
# 127.0.0.1 port that it writes to a file; the sidecar is then started with that port as its
# inbound target. When either process ends, the other is stopped and the container exits with
# the first one's status, so Docker's restart policy and health checks see one unit.
set -uo pipefail

port_file=/tmp/demo-app.port
rm -f "$port_file"

stop_all() {
  kill -TERM "${app_pid:-}" "${proxy_pid:-}" 2>/dev/null || true
}
trap 'stop_all; wait; exit 143' TERM INT

JAVA_OPTS="${DEMO_APP_JAVA_OPTS:-}" java-run io.meshlog.compose.demo.DemoMain "$port_file" &
app_pid=$!
for _ in $(seq 1 150); do
  [ -s "$port_file" ] && break
  kill -0 "$app_pid" 2>/dev/null || { wait "$app_pid"; exit $?; }
  sleep 0.2
done
[ -s "$port_file" ] || { echo "demo: the app did not report its port within 30 s" >&2; stop_all; exit 1; }

MESHLOG_PROXY_APP_PORT="$(cat "$port_file")"
export MESHLOG_PROXY_APP_PORT
JAVA_OPTS="${PROXY_JAVA_OPTS:-}" java-run io.meshlog.proxy.ProxyMain --mesh &
proxy_pid=$!

wait -n "$app_pid" "$proxy_pid"
status=$?
echo "demo: a process of ${DEMO_INSTANCE:-this workload} exited with status $status; stopping the other" >&2
stop_all
wait
exit "$status"
