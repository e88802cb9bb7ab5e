#!/usr/bin/env bash
# The nearby endpoint over HTTP on a large demo city: a release build of `lokal serve --demo
# --stores N` (default 1,000,000) on a fresh database, then wrk with 64 connections asking for
# k = 20 food stores open now within 3 km of random points in the city.
# Usage: scripts/bench-nearby-http.sh [--database-url postgres://…]   (STORES=1000000 DURATION=20s)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk > /dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
cargo build --release -p lokal --quiet
STORES=${STORES:-1000000}
DURATION=${DURATION:-20s}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
START=$(date +%s)
RUST_LOG=warn target/release/lokal serve --demo --stores "$STORES" --port "$PORT" --data-dir "$DATA" "$@" > "$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
# The server answers /readyz while it seeds; the demo logins are printed when seeding is done.
for _ in $(seq 1 3600); do grep -q 'Lokal is running' "$DATA/server.log" && break; sleep 1; done
echo "seeded $STORES stores and built the index in $(( $(date +%s) - START )) s; server RSS $(ps -o rss= -p $PID | awk '{printf "%.0f MiB", $1/1024}')"
cat > "$DATA/nearby.lua" <<'LUA'
math.randomseed(42)
request = function()
  local lat = 31.2304 + (math.random() - 0.5) * 0.3
  local lng = 121.4737 + (math.random() - 0.5) * 0.35
  return wrk.format("GET", string.format("/api/v1/stores/nearby?lat=%.6f&lng=%.6f&radius_m=3000&limit=20&category=food&open_now=true", lat, lng))
end
LUA
wrk -t2 -c64 -d"$DURATION" --latency -s "$DATA/nearby.lua" "http://127.0.0.1:$PORT" | grep -E 'Requests/sec|50%|90%|99%|Non-2xx|Socket errors'
