#!/usr/bin/env bash
# The hostile-request corpus (proxy-verticle/src/test/resources/hostile-http/corpus.txt) sent to
# meshlog's outbound listener and to nginx (proxy_pass, HTTP/1.1 upstream keep-alive), each in
# front of the same raw-socket upstream that reports what it framed (HostileCorpus.main). Prints one
# line per proxy: strict_pass (meshlog's expected status exactly), safe_pass (refused when it must be,
# forwarded when it may be, no smuggled request, nothing hop-by-hop upstream, still answering) and the
# entries that were not safe. Used by bench/proxy-bench.sh; runs on its own too (needs nginx, java, mvn).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/meshlog-hostile.XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
UP_MESHLOG=$(free_port); UP_NGINX=$(free_port); MESHLOG=$(free_port); ADMIN=$(free_port); NGINX=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# resolved in the reactor (this tree's modules), not from ~/.m2, where nothing is installed; every
# module writes the file in turn, proxy-verticle (built last) leaves its own
(cd "$root" && mvn -B -q -o -pl proxy-verticle -am test-compile dependency:build-classpath \
   -Dmdep.outputFile="$work/test-classpath.txt" -DincludeScope=test >&2)
cp="$root/proxy-verticle/target/test-classes:$root/proxy-verticle/target/classes:$(cat "$work/test-classpath.txt")"

cat > "$work/meshlog.yaml" <<EOF
proxy: {id: hostile, workload: hostile-client}
listeners:
  outbound: {host: 127.0.0.1, port: $MESHLOG}
  admin: {host: 127.0.0.1, port: $ADMIN}
telemetry: {sink: none}
services:
  - name: orders
    endpoints: [{host: 127.0.0.1, port: $UP_MESHLOG}]
EOF
cat > "$work/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 1024; }
http { access_log off;
  upstream up { server 127.0.0.1:$UP_NGINX; keepalive 16; }
  server { listen 127.0.0.1:$NGINX;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
EOF
java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.meshlog.schemas.v1 -cp "$cp" io.meshlog.proxy.ProxyMain \
  --bootstrap "$work/meshlog.yaml" > "$work/meshlog.log" 2>&1 & pids+=($!)
nginx -p "$work" -c "$work/nginx.conf" & pids+=($!)
for _ in $(seq 1 300); do
  curl -s -o /dev/null "http://127.0.0.1:$ADMIN/ready" && curl -s -o /dev/null "http://127.0.0.1:$NGINX/" && break
  sleep 0.05
done
java -cp "$cp" io.meshlog.proxy.it.HostileCorpus --target "127.0.0.1:$MESHLOG" --upstream-port "$UP_MESHLOG" --label meshlog
java -cp "$cp" io.meshlog.proxy.it.HostileCorpus --target "127.0.0.1:$NGINX" --upstream-port "$UP_NGINX" --label nginx
