# The benches' upstream: one nginx worker answering "hello" to everything, keep-alive without limit.
# Usage: source it, then: upstream_conf FILE WORKDIR PORT
upstream_conf() {
  cat > "$1" <<CONF
worker_processes 1; daemon off; pid $2/upstream.pid; error_log $2/upstream.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$3; location / { return 200 "hello\n"; } } }
CONF
}
