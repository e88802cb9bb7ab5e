#!/usr/bin/env bash
# Page render benchmark (issue H): the consumer pages a person opens first — home, nearby, a store,
# search — on the demo city, in zh-CN (Accept-Language), served by a release build of
# `lokal serve --demo` on a fresh database and loaded with wrk from the same machine. Prints one
# line per page (requests/s, p50, p99). Any binary can be measured the same way (LOKAL_BIN=…), so
# two versions compare on one machine.
# Usage: scripts/bench-pages.sh [--database-url postgres://…]   (DURATION=10s CONNECTIONS=8)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk > /dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
BIN=${LOKAL_BIN:-target/release/lokal}
[ -n "${LOKAL_BIN:-}" ] || cargo build --release -p lokal --quiet
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
RUST_LOG=warn "$BIN" serve --demo --port "$PORT" --data-dir "$DATA" "$@" > "$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
LAT=31.2304; LNG=121.4737
STORE=$(curl -sf "$BASE/api/v1/stores/nearby?lat=$LAT&lng=$LNG&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stores"][0]["id"])')
ZH='Accept-Language: zh-CN,zh;q=0.9'
run() { # name, url
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$ZH" "$2")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  p50=$(awk '$1=="50%" {print $2}' <<< "$out")
  p99=$(awk '$1=="99%" {print $2}' <<< "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out")
  printf '| %-40s | %10s | %8s | %8s | %s |\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
echo "| page (zh-CN) | requests/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
run "GET / (home)" "$BASE/"
run "GET /nearby (People's Square)" "$BASE/nearby?lat=$LAT&lng=$LNG"
run "GET /stores/{id} (nearest store)" "$BASE/stores/$STORE"
run "GET /search?q=火锅" "$BASE/search?q=%E7%81%AB%E9%94%85&lat=$LAT&lng=$LNG"
