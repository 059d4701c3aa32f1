# The whole mesh as separate OS processes on 127.0.0.1, from meshlog-dev's built jars: each part
# can then be killed, paused and restarted on its own (bench/chaos.sh). The same main classes and
# environment variables as compose/ (one container per part there), with no Docker:
#   broker          DevMain dev --broker-only (embedded KRaft broker + the topics), data kept across restarts
#   hazelcast       Hazelcast's own member main (com.hazelcast.core.server.HazelcastMemberStarter)
#   cert-service    CertServiceMain run            policy-service  PolicyServiceMain
#   pipeline-1/-2   PipelineMain (one application id, own state dirs)
#   gateway         ProxyMain --mesh without an app (the load generator is its app)
#   inventory-N     compose's DemoMain (the app) + ProxyMain --mesh (its sidecar)
# Source it after setting MESH_DIR (run directory) and MESH_PORT_BASE; needs
#   mvn -B -o -q -pl meshlog-dev -am package -DskipTests
# Every start_* records the pid in $MESH_DIR/pids/NAME; logs go to $MESH_DIR/logs/NAME.log.

MESH_MODULE="$root/meshlog-dev"
MESH_CP="$MESH_MODULE/target/lib/*:$MESH_MODULE/target/meshlog-dev.jar"
MESH_JVM=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dhazelcast.phone.home.enabled=false
  -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener
  --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
MESH_WRITER_TOKEN=chaos-writer-token-0123456789abcdef
MESH_INVENTORY=${MESH_INVENTORY:-3}

mesh_ports() {
  KAFKA_PORT=$MESH_PORT_BASE; CONTROLLER_PORT=$((MESH_PORT_BASE + 1)); HZ_PORT=$((MESH_PORT_BASE + 2))
  POLICY_PORT=$((MESH_PORT_BASE + 3)); CERT_ADMIN_PORT=$((MESH_PORT_BASE + 4))
  PIPELINE_METRICS_1=$((MESH_PORT_BASE + 5)); PIPELINE_METRICS_2=$((MESH_PORT_BASE + 6))
  GATEWAY_OUT=$((MESH_PORT_BASE + 10)); GATEWAY_ADMIN=$((MESH_PORT_BASE + 11))
  BOOTSTRAP=127.0.0.1:$KAFKA_PORT
}
inventory_port() { echo $((MESH_PORT_BASE + 20 + 3 * $1 + $2)); } # index, 0 outbound / 1 inbound / 2 admin
inventory_admin() { inventory_port "$1" 2; }

mesh_check_built() {
  [[ -f "$MESH_MODULE/target/meshlog-dev.jar" && -d "$MESH_MODULE/target/lib" ]] || {
    echo "meshlog-dev is not built: mvn -B -o -q -pl meshlog-dev -am package -DskipTests" >&2; exit 1; }
}

pid_of() { cat "$MESH_DIR/pids/$1" 2>/dev/null; }
alive() { local p; p=$(pid_of "$1") && [[ -n $p ]] && kill -0 "$p" 2>/dev/null; }

# spawn NAME [ENV=VALUE...] -- java args...: a child JVM, its pid recorded.
spawn() {
  local name=$1; shift; local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done; shift
  mkdir -p "$MESH_DIR/pids" "$MESH_DIR/logs"
  env "${envs[@]}" java "${MESH_JVM[@]}" "$@" >> "$MESH_DIR/logs/$name.log" 2>&1 &
  echo $! > "$MESH_DIR/pids/$name"
}

# wait_for NAME SECONDS COMMAND...: until COMMAND succeeds; fails naming the log when NAME died or time ran out.
wait_for() {
  local name=$1 limit=$2; shift 2; local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || { echo "$name exited; last lines of its log:" >&2; tail -3 "$MESH_DIR/logs/$name.log" | cut -c1-300 >&2; return 1; }
    ((SECONDS < deadline)) || { echo "$name not ready in ${limit}s" >&2; tail -3 "$MESH_DIR/logs/$name.log" | cut -c1-300 >&2; return 1; }
    sleep 0.5
  done
}
http_ok() { curl -sf -o /dev/null --max-time 2 "$1"; }
log_has() { grep -q "$2" "$MESH_DIR/logs/$1.log"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_broker() {
  local before; before=$(grep -c "meshlog dev is running" "$MESH_DIR/logs/broker.log" 2>/dev/null || echo 0)
  spawn broker -- -Xms128m -Xmx512m -cp "$MESH_CP" io.meshlog.dev.DevMain dev --broker-only \
    --state-dir="$MESH_STATE/broker" --kafka-port="$KAFKA_PORT" --controller-port="$CONTROLLER_PORT"
  wait_for broker 120 broker_ready "$before"
}
broker_ready() { (( $(grep -c "meshlog dev is running" "$MESH_DIR/logs/broker.log") > $1 )); }

start_hazelcast() {
  cat > "$MESH_DIR/hazelcast.xml" <<EOF
<hazelcast xmlns="http://www.hazelcast.com/schema/config">
  <cluster-name>meshlog-chaos</cluster-name>
  <properties><property name="hazelcast.phone.home.enabled">false</property>
    <property name="hazelcast.wait.seconds.before.join">0</property></properties>
  <network><port auto-increment="false">$HZ_PORT</port>
    <interfaces enabled="true"><interface>127.0.0.1</interface></interfaces>
    <join><multicast enabled="false"/><auto-detection enabled="false"/>
      <tcp-ip enabled="true"><member>127.0.0.1:$HZ_PORT</member></tcp-ip></join></network>
</hazelcast>
EOF
  spawn hazelcast -- -Xms64m -Xmx256m -Dhazelcast.config="$MESH_DIR/hazelcast.xml" -cp "$MESH_CP" \
    com.hazelcast.core.server.HazelcastMemberStarter
  wait_for hazelcast 90 port_open "$HZ_PORT"
}

cert_env() {
  echo MESHLOG_KAFKA_BOOTSTRAP="$BOOTSTRAP" MESHLOG_TRUST_DOMAIN=cluster.local \
    MESHLOG_CERT_STATE_DIR="$MESH_STATE/cert" MESHLOG_CERT_LEAF_LIFETIME="$CERT_LIFETIME" \
    MESHLOG_CERT_ADMIN_PORT="$CERT_ADMIN_PORT" MESHLOG_CERT_ADMIN_TOKEN=chaos-cert-admin-token-0123456789
}
start_cert_service() {
  # shellcheck disable=SC2046
  spawn cert-service $(cert_env) -- -Xms32m -Xmx192m -cp "$MESH_CP" io.meshlog.cert.CertServiceMain run
  wait_for cert-service 120 curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$CERT_ADMIN_PORT/"
}
join_tokens() { # one per service account, in files only the proxies read (as compose's join-tokens job)
  mkdir -p "$MESH_DIR/tokens"; chmod 700 "$MESH_DIR/tokens"
  for sa in gateway inventory; do
    # shellcheck disable=SC2046
    env $(cert_env) java "${MESH_JVM[@]}" -cp "$MESH_CP" io.meshlog.cert.CertServiceMain token create \
      --namespace demo --service-account "$sa" --ttl 24h | tail -n 1 > "$MESH_DIR/tokens/$sa"
    chmod 600 "$MESH_DIR/tokens/$sa"
  done
}

start_policy_service() {
  spawn policy-service MESHLOG_KAFKA_BOOTSTRAP="$BOOTSTRAP" MESHLOG_HTTP_PORT="$POLICY_PORT" \
    MESHLOG_WRITER_TOKEN="$MESH_WRITER_TOKEN" -- -Xms32m -Xmx192m -cp "$MESH_CP" io.meshlog.policy.PolicyServiceMain
  wait_for policy-service 120 http_ok "http://127.0.0.1:$POLICY_PORT/health"
}
meshctl() {
  MESHCTL_SERVER="http://127.0.0.1:$POLICY_PORT" MESHCTL_TOKEN="$MESH_WRITER_TOKEN" MESHCTL_KAFKA_BOOTSTRAP="$BOOTSTRAP" \
    java "${MESH_JVM[@]}" -cp "$MESH_CP" io.meshlog.policy.cli.Meshctl "$@"
}

start_pipeline() { # N (1 or 2)
  local n=$1 port; port=$((MESH_PORT_BASE + 4 + n))
  spawn "pipeline-$n" MESHLOG_PIPELINE_BOOTSTRAP_SERVERS="$BOOTSTRAP" MESHLOG_PIPELINE_STATE_DIR="$MESH_STATE/pipeline-$n" \
    MESHLOG_PIPELINE_METRICS_PORT="$port" MESHLOG_PIPELINE_KAFKA_STREAMS_COMMIT_INTERVAL_MS=200 \
    -- -Xms64m -Xmx384m -cp "$MESH_CP" io.meshlog.pipeline.PipelineMain
  wait_for "pipeline-$n" 240 http_ok "http://127.0.0.1:$port/ready"
}

sidecar_env() { # ID SERVICE-ACCOUNT OUT ADMIN [APP-PORT INBOUND]
  echo MESHLOG_PROXY_ID="$1" MESHLOG_PROXY_NAMESPACE=demo MESHLOG_PROXY_WORKLOAD="$1" MESHLOG_PROXY_SERVICE="$2" \
    MESHLOG_PROXY_SERVICE_ACCOUNT="$2" MESHLOG_PROXY_LABELS="app=$2,version=v1" \
    MESHLOG_PROXY_BOOTSTRAP_SERVERS="$BOOTSTRAP" MESHLOG_PROXY_HAZELCAST_MODE=client \
    MESHLOG_PROXY_HAZELCAST_MEMBERS="127.0.0.1:$HZ_PORT" MESHLOG_PROXY_HAZELCAST_CLUSTER_NAME=meshlog-chaos \
    MESHLOG_PROXY_OUTBOUND_PORT="$3" MESHLOG_PROXY_ADMIN_PORT="$4" MESHLOG_PROXY_TELEMETRY_REPORTERS=source \
    MESHLOG_PROXY_TRUST_DOMAIN=cluster.local MESHLOG_PROXY_JOIN_TOKEN_FILE="$MESH_DIR/tokens/$2" MESHLOG_EVENT_LOOPS=1 \
    ${5:+MESHLOG_PROXY_APP_PORT=$5 MESHLOG_PROXY_INBOUND_PORT=$6 MESHLOG_PROXY_ADVERTISE_HOST=127.0.0.1}
}
start_gateway() {
  # shellcheck disable=SC2046
  spawn gateway $(sidecar_env gateway gateway "$GATEWAY_OUT" "$GATEWAY_ADMIN") -- -Xms64m -Xmx160m \
    -cp "$MESH_CP" io.meshlog.proxy.ProxyMain --mesh
  wait_for gateway 240 http_ok "http://127.0.0.1:$GATEWAY_ADMIN/ready"
}

demo_classes() { # compose's demo app, compiled once per run against the launcher's classpath
  mkdir -p "$MESH_DIR/demo-classes"
  javac -d "$MESH_DIR/demo-classes" -cp "$MESH_CP" "$root"/compose/demo/src/io/meshlog/compose/demo/*.java
}
start_inventory_app() { # N [ERROR_RATE]
  local n=$1
  rm -f "$MESH_DIR/inventory-$n.port"
  spawn "app-inventory-$n" DEMO_SERVICE=inventory DEMO_INSTANCE="inventory-$n" DEMO_LABELS=app=inventory,version=v1 \
    DEMO_LATENCY=5 DEMO_ERROR_RATE="${2:-0}" -- -Xms32m -Xmx64m -cp "$MESH_DIR/demo-classes:$MESH_CP" \
    io.meshlog.compose.demo.DemoMain "$MESH_DIR/inventory-$n.port"
  wait_for "app-inventory-$n" 240 test -s "$MESH_DIR/inventory-$n.port"
}
start_inventory_sidecar() { # N
  local n=$1 app; app=$(cat "$MESH_DIR/inventory-$n.port")
  # shellcheck disable=SC2046
  spawn "inventory-$n" $(sidecar_env "inventory-$n" inventory "$(inventory_port "$n" 0)" "$(inventory_admin "$n")" \
    "$app" "$(inventory_port "$n" 1)") -- -Xms64m -Xmx160m -cp "$MESH_CP" io.meshlog.proxy.ProxyMain --mesh
  wait_for "inventory-$n" 240 http_ok "http://127.0.0.1:$(inventory_admin "$n")/ready"
}

# Stops everything this run started, by the recorded pids (children of this shell only).
stop_mesh() {
  local f
  for f in "$MESH_DIR"/pids/*; do
    [[ -f $f ]] || continue
    kill -CONT "$(cat "$f")" 2>/dev/null || true
    kill "$(cat "$f")" 2>/dev/null || true
  done
  sleep 3
  for f in "$MESH_DIR"/pids/*; do [[ -f $f ]] && kill -9 "$(cat "$f")" 2>/dev/null; done
  wait 2>/dev/null || true
}
