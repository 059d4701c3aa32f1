# A local Kafka broker for the benches (`meshlog dev --broker-only`), started from meshlog-dev's
# built jars directly: bin/meshlog would run `mvn install` when sources are newer than its jar.
# Source it; needs meshlog-dev/target/meshlog-dev.jar and target/lib (mvn -o -q -pl meshlog-dev -am package -DskipTests).

start_broker() { # work_dir kafka_port controller_port core -> sets BROKER (pid)
  local dir=$1 port=$2 controller=$3 core=$4 module="$root/meshlog-dev"
  [[ -f "$module/target/meshlog-dev.jar" && -d "$module/target/lib" ]] || {
    echo "meshlog-dev is not built: mvn -B -o -q -pl meshlog-dev -am package -DskipTests" >&2; exit 1; }
  taskset -c "$core" java -Xms256m -Xmx1g -XX:+UseSerialGC -Dhazelcast.phone.home.enabled=false \
    -cp "$module/target/lib/*:$module/target/meshlog-dev.jar" io.meshlog.dev.DevMain dev --broker-only \
    --state-dir="$dir/kafka" --kafka-port="$port" --controller-port="$controller" > "$dir/kafka.log" 2>&1 & BROKER=$!
  for _ in $(seq 1 600); do grep -q "meshlog dev is running" "$dir/kafka.log" && return 0; sleep 0.2; done
  echo "the broker did not start:" >&2; tail "$dir/kafka.log" >&2; exit 1
}

stop_broker() { kill "$BROKER" 2>/dev/null || true; wait "$BROKER" 2>/dev/null || true; }
