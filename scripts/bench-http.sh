#!/usr/bin/env bash
# HTTP benchmark of the foundation: a release build of `lokal serve --demo` on a fresh database,
# loaded with wrk from the same machine. Prints one line per endpoint (requests/s, p50, p99).
# Usage: scripts/bench-http.sh [--database-url postgres://…]   (DURATION=10s CONNECTIONS=32)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk > /dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
cargo build --release -p lokal --quiet
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
# Lift the login rate limits: the benchmark logs in to one account from one address thousands of
# times, dozens at once (attempts are counted before the password check).
LOKAL_AUTH_MAX_LOGINS_PER_IP=100000000 LOKAL_AUTH_MAX_FAILED_LOGINS_PER_ACCOUNT=100000000 LOKAL_AUTH_MAX_SIGNUPS_PER_IP=100000000 RUST_LOG=warn target/release/lokal serve --demo --port "$PORT" --data-dir "$DATA" "$@" > "$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"login":"consumer@demo.lokal","password":"lokal-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
cat > "$DATA/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"consumer@demo.lokal","password":"lokal-demo"}'
LUA
run() { # name, wrk args...
  local name=$1; shift
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  p50=$(awk '$1=="50%" {print $2}' <<< "$out")
  p99=$(awk '$1=="99%" {print $2}' <<< "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out")
  printf '| %-34s | %10s | %8s | %8s | %s |\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
echo "| endpoint | requests/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
run "GET /healthz" "$BASE/healthz"
run "GET / (home page, guest)" "$BASE/"
run "GET /api/v1/me (bearer session)" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me"
run "POST /api/v1/auth/login (argon2id)" -s "$DATA/login.lua" "$BASE/api/v1/auth/login"
