#!/usr/bin/env bash
# Property-based API fuzzing with schemathesis against the served OpenAPI document.
# Starts `lokal serve --demo` on a free port with a fresh SQLite database (or the database named by
# LOKAL_FUZZ_DATABASE_URL), logs in as the demo operator so that protected operations are reached,
# and fails on any 5xx or any response that the document does not describe.
# Usage: scripts/fuzz-api.sh [extra schemathesis options]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOKAL_BIN:-target/debug/lokal}
VENV=${LOKAL_VENV:-.venv}
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'schemathesis==4.32.5'
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
ARGS=(serve --demo --port "$PORT" --data-dir "$DATA")
[ -n "${LOKAL_FUZZ_DATABASE_URL:-}" ] && ARGS+=(--database-url "$LOKAL_FUZZ_DATABASE_URL")
LOKAL_AUTH_MAX_SIGNUPS_PER_IP=100000000 RUST_LOG=warn "$BIN" "${ARGS[@]}" > "$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break
  sleep 0.1
done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"login":"admin@demo.lokal","password":"lokal-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
mkdir -p target/fuzz
status=0
# One worker: with two, Hypothesis describing its filters from two threads at once sometimes
# fails inside Python's own parser ("AST constructor recursion depth mismatch").
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  -H "Authorization: Bearer $TOKEN" \
  --exclude-path /api/v1/auth/logout \
  --max-examples "${LOKAL_FUZZ_EXAMPLES:-40}" --workers 1 --seed 1 \
  --report junit --report-dir target/fuzz "$@" || status=$?
if grep -q 'request failed' "$DATA/server.log"; then
  echo "server log shows failed requests:"; grep 'request failed' "$DATA/server.log" | head -20
  status=1
fi
exit $status
