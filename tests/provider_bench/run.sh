#!/usr/bin/env bash
# Throughput of POST /v1/provider/authenticate (client_secret_basic and private_key_jwt)
# against GET /healthz, measured in one run with wrk against 127.0.0.1.
# Usage: tests/provider_bench/run.sh [DURATION_S] [CONNECTIONS]
# Needs: build/ built (onboard-api, provider_bench_assertions), `ops/pg start`, wrk, curl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DURATION=${1:-10}
CONNS=${2:-16}  # at most http.max_threads: Poco keeps a worker per keep-alive connection
THREADS=2
API=build/services/api/onboard-api
GEN=build/tests/provider_bench_assertions
WORK=$(mktemp -d /tmp/onboard-provider-bench.XXXXXX)
ADMIN_URL=$(ops/pg url)
DB=onboard_bench_$$
BASE_URL=${ADMIN_URL%/*}
export ONBOARD_DATABASE_URL="$BASE_URL/$DB"
export ONBOARD_SECRETS_PEPPER=bench-pepper-0123456789abcdef0123456789abcdef
ops/pg psql -q -c "CREATE DATABASE $DB" >/dev/null
cleanup() {
  [[ -n ${PID:-} ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  ops/pg psql -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ONBOARD_HTTP_PORT=0 ONBOARD_HTTP_PORT_FILE=$WORK/port "$API" serve >"$WORK/api.log" 2>&1 &
PID=$!
for _ in $(seq 100); do [[ -s $WORK/port ]] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
URL=http://127.0.0.1:$PORT
OP=$("$API" token create --role operator --name bench-operator | grep -o 'onb_[A-Za-z0-9_-]*' | head -1)
PROVIDER=$("$API" token create --role provider --name bench-provider | grep -o 'onb_[A-Za-z0-9_-]*' | head -1)
ORG=974760673
curl -sf -X POST "$URL/v1/organisations" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
  -d "{\"orgno\":\"$ORG\",\"name\":\"Bench\"}" >/dev/null
register() {  # RFC 7591, answers client_id and client_secret
  curl -sf -X POST "$URL/register" -H "Authorization: Bearer $OP" -H "X-Onboard-Org: $ORG" -H 'X-Onboard-User: bench' \
    -H 'Content-Type: application/json' -d "{\"client_name\":\"Bench\",\"client_orgno\":\"$ORG\",\"integration_type\":\"idporten\",
      \"application_type\":\"web\",\"token_endpoint_auth_method\":\"$1\",\"scope\":\"openid profile\",
      \"redirect_uris\":[\"https://bench.example.no/cb\"],\"post_logout_redirect_uris\":[\"https://bench.example.no/out\"]}"
}
BASIC=$(register client_secret_basic)
BASIC_ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])' <<<"$BASIC")
BASIC_SECRET=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])' <<<"$BASIC")
JWT=$(register client_secret_basic)
JWT_ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])' <<<"$JWT")
"$GEN" keygen "$WORK/key.pem" >"$WORK/jwk.json"
curl -sf -X POST "$URL/v1/clients/$JWT_ID/jwks" -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
  --data-binary @"$WORK/jwk.json" >/dev/null
AUD=https://test.idporten.no
BASIC_BODY="{\"authorization\":\"Basic $(printf '%s:%s' "$BASIC_ID" "$BASIC_SECRET" | base64 -w0)\",\"audience\":\"$AUD\"}"
# Sanity: both authenticate.
curl -sf -X POST "$URL/v1/provider/authenticate" -H "Authorization: Bearer $PROVIDER" -H 'Content-Type: application/json' \
  -d "$BASIC_BODY" | grep -q '"authenticated":true'

run() {  # name, wrk args...
  local name=$1
  shift
  echo "== $name"
  wrk -t$THREADS -c"$CONNS" -d"${DURATION}s" --latency "$@" | grep -E 'Requests/sec|Latency|99%|50%|status|Non-2xx|Socket'
}
export TOKEN=$PROVIDER THREADS
run "GET /healthz" "$URL/healthz"
BODY=$BASIC_BODY run "POST /v1/provider/authenticate client_secret_basic" -s tests/provider_bench/authenticate.lua \
  "$URL/v1/provider/authenticate"
run "GET /healthz (again)" "$URL/healthz"
# Assertions live 120 s (+10 s skew): signing them on this machine takes most of that, so
# the private_key_jwt run is short and every body is sent once (a thread that runs out
# repeats its last body, which shows as 401s).
COUNT=${JWT_COUNT:-45000}
JWT_DURATION=${JWT_DURATION:-8}
echo "== signing $COUNT assertions"
started=$SECONDS
"$GEN" "$WORK/key.pem" bench-key "$JWT_ID" "$AUD" "$COUNT" "$WORK/assertions.jsonl"
echo "   signed in $((SECONDS - started)) s"
BODIES=$WORK/assertions.jsonl DURATION=$JWT_DURATION run "POST /v1/provider/authenticate private_key_jwt" \
  -s tests/provider_bench/authenticate.lua "$URL/v1/provider/authenticate"
run "GET /healthz (after)" "$URL/healthz"
echo "== jtis recorded: $(ops/pg psql -At -d "$DB" -c 'SELECT count(*) FROM assertion_jtis' 2>/dev/null || echo '?')"
