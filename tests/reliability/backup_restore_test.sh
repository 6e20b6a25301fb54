#!/usr/bin/env bash
# ctest (label reliability): ops/db-backup dumps a database the real onboard-api wrote to,
# restores it into a FRESH PostgreSQL cluster, and the audit chain verifies there with
# every event, client and token present; restoring over a non-empty database is refused;
# a tampered event in the restored copy makes the verification fail.
# Needs ONBOARD_TEST_ADMIN_URL (ops/test sets it) and ONBOARD_API_BIN (ctest sets it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=ops/lib.sh
source "$here/../../ops/lib.sh"

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
[[ -n ${ONBOARD_TEST_ADMIN_URL:-} ]] || fail "ONBOARD_TEST_ADMIN_URL is not set (run through ops/test)"
[[ -x ${ONBOARD_API_BIN:-} ]] || fail "ONBOARD_API_BIN is not set or not executable"
for tool in curl jq; do command -v "$tool" >/dev/null || fail "$tool is missing (ops/install-deps)"; done
API="$ONBOARD_API_BIN"

tmp_base="${TMPDIR:-/tmp}"
is_root && tmp_base=/tmp
WORK="$(mktemp -d "$tmp_base/onboard-backup-test.XXXXXX")"
chmod 755 "$WORK"
FRESH="$WORK/fresh-pg"
SRC_DB="backup_src_$(random_hex 6)"
API_PID=""
pg_url_split "$ONBOARD_TEST_ADMIN_URL"
ADMIN_NOPASS="$PG_URL_NOPASS"
ADMIN_PASS="$PG_URL_PASS"
admin_psql() { PGPASSWORD="$ADMIN_PASS" "$ONBOARD_PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$ADMIN_NOPASS" "$@"; }
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  [[ -n $API_PID ]] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  pg_stop "$FRESH" immediate >/dev/null 2>&1 || true
  admin_psql -c "DROP DATABASE IF EXISTS $SRC_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The source: a database the real service wrote to (tokens, an organisation, clients).
admin_psql -c "CREATE DATABASE $SRC_DB"
SRC_URL="${ONBOARD_TEST_ADMIN_URL%/*}/$SRC_DB"
SRC_URL="${SRC_URL%%\?*}"
export ONBOARD_DATABASE_URL="$SRC_URL"
"$API" migrate >/dev/null
token="$("$API" token create --role operator --name backup-test | grep -E '^onb_' | tail -n 1)"
[[ -n $token ]] || fail "no token from onboard-api token create"
write_secret "$WORK/pepper" "$(random_hex 32)"
write_secret "$WORK/kek" "backup-test:$(random_hex 32)"
ONBOARD_SECRETS_PEPPER_FILE="$WORK/pepper" ONBOARD_SECRETS_KEK_FILE="$WORK/kek" ONBOARD_HTTP_PORT=0 ONBOARD_HTTP_PORT_FILE="$WORK/port" \
  "$API" serve >"$WORK/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 200); do [[ -s $WORK/port ]] && break; sleep 0.05; done
[[ -s $WORK/port ]] || { cat "$WORK/api.log" >&2; fail "onboard-api did not start"; }
base="http://127.0.0.1:$(cat "$WORK/port")"
call() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
[[ $(call -d '{"orgno":"974760673","name":"Backup AS","contacts":[{"name":"Kari Nordmann","email":"kari@example.no","mobile":"+4791234567","role":"technical"}]}' "$base/v1/organisations") == 201 ]] ||
  fail "could not create an organisation"
for i in 1 2 3; do
  [[ $(call -d '{"environment":"test","integration_type":"idporten","client_name":"Backup client '$i'","client_orgno":"974760673","redirect_uris":["https://app.example.no/cb"],"post_logout_redirect_uris":["https://app.example.no/logout"],"scopes":["openid","profile"]}' "$base/v1/clients") == 201 ]] ||
    fail "could not create client $i"
done
kill "$API_PID" && wait "$API_PID" 2>/dev/null || true
API_PID=""

counts() { "$@" -c "SELECT (SELECT count(*) FROM audit_events) || ' ' || (SELECT count(*) FROM clients) || ' ' ||
                             (SELECT count(*) FROM api_tokens) || ' ' || (SELECT max(hash) FROM audit_events)"; }
src_counts="$(PGPASSWORD="$ADMIN_PASS" counts "$ONBOARD_PG_BINDIR/psql" -X -At -d "${ADMIN_NOPASS%/*}/$SRC_DB")"
read -r src_events src_clients _ _ <<<"$src_counts"
((src_events >= 5 && src_clients == 3)) || fail "unexpected source contents: $src_counts"

# Dump.
"$here/../../ops/db-backup" dump "$WORK/onboard.dump"
[[ -s $WORK/onboard.dump ]] || fail "no dump written"
[[ $(stat -c %a "$WORK/onboard.dump") == 600 ]] || fail "the dump is readable by others"

# Restore into a fresh cluster.
pg_init "$FRESH" fast
pg_start "$FRESH"
pg_ensure_app_role "$FRESH"
FRESH_URL="$(pg_url "$FRESH")"
out="$(ONBOARD_DATABASE_URL="$FRESH_URL" "$here/../../ops/db-backup" restore "$WORK/onboard.dump" 2>&1)" ||
  { printf '%s\n' "$out" >&2; fail "restore failed"; }
printf '%s\n' "$out"
grep -q "\"intact\":true" <<<"$out" || fail "restore did not report an intact chain"
grep -q "\"checked\":$src_events" <<<"$out" || fail "the restored chain does not hold all $src_events events"
pg_url_split "$FRESH_URL"
fresh_counts="$(PGPASSWORD="$PG_URL_PASS" counts "$ONBOARD_PG_BINDIR/psql" -X -At -d "$PG_URL_NOPASS")"
[[ $fresh_counts == "$src_counts" ]] || fail "restored contents differ: source '$src_counts', restored '$fresh_counts'"

# A second restore over the now non-empty database is refused and changes nothing.
if ONBOARD_DATABASE_URL="$FRESH_URL" "$here/../../ops/db-backup" restore "$WORK/onboard.dump" 2>"$WORK/again.err"; then
  fail "restoring over a non-empty database was not refused"
fi
grep -q "not empty" "$WORK/again.err" || { cat "$WORK/again.err" >&2; fail "refusal does not say why"; }

# Tampering with the restored copy (as the superuser, past the trigger) is detected.
pg_superuser_psql "$FRESH" -q -d onboard -c "ALTER TABLE audit_events DISABLE TRIGGER USER;
  UPDATE audit_events SET detail = '{\"tampered\":true}' WHERE seq = 2;" >/dev/null
if ONBOARD_DATABASE_URL="$FRESH_URL" "$here/../../ops/db-backup" verify >"$WORK/verify.out" 2>&1; then
  cat "$WORK/verify.out" >&2
  fail "a tampered audit event was not detected"
fi
grep -q '"broken_seq":2' "$WORK/verify.out" || { cat "$WORK/verify.out" >&2; fail "the broken event is not named"; }
echo "PASS: dump, restore into a fresh cluster, chain of $src_events events verified, tampering detected"
