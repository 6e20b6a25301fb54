#!/usr/bin/env bash
# The database of reliability.Failover: a PostgreSQL 15 primary and a synchronous hot
# standby (streaming replication, ops/lib.sh), durable (fsync and synchronous commit on).
#
#   failover_cluster.sh TEST_BINARY [ARGS...]   make both, run the test binary with
#       ONBOARD_TEST_ADMIN_URL = libpq's multi-host URL of both with
#       target_session_attrs=read-write, ONBOARD_FAILOVER_CTL = this script and
#       ONBOARD_FAILOVER_STATE = their state directory; remove both afterwards
#   failover_cluster.sh stop-primary STATE      pg_ctl stop -m immediate on the primary
#   failover_cluster.sh promote STATE           pg_ctl promote on the standby (waits)
#   failover_cluster.sh replication STATE       the primary's pg_stat_replication
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
self="$here/$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=ops/lib.sh
source "$here/../../ops/lib.sh"

case "${1:-}" in
  stop-primary)
    pg_stop "$2/primary" immediate
    exit 0
    ;;
  promote)
    pg_promote "$2/standby"
    exit 0
    ;;
  replication)
    pg_superuser_psql "$2/primary" -Atc \
      "SELECT application_name, state, sync_state FROM pg_stat_replication"
    exit 0
    ;;
  "") die "usage: $0 TEST_BINARY [ARGS...] | stop-primary|promote|replication STATE" ;;
esac

pg_require_binaries
tmp_base="${TMPDIR:-/tmp}"
is_root && tmp_base=/tmp
state="$(mktemp -d "$tmp_base/onboard-failover.XXXXXX")"
if is_root; then chown "$ONBOARD_PG_OS_USER:" "$state"; fi
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  pg_stop "$state/standby" immediate >/dev/null 2>&1 || true
  pg_stop "$state/primary" immediate >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_init "$state/primary"
pg_configure_primary "$state/primary"
pg_start "$state/primary"
pg_ensure_app_role "$state/primary"
pg_ensure_replication_role "$state/primary"
pg_init_standby "$state/primary" "$state/standby" onboard_standby
pg_start "$state/standby"
pg_require_sync_standby "$state/primary" onboard_standby
log "primary on 127.0.0.1:$(pg_port "$state/primary"), synchronous hot standby on 127.0.0.1:$(pg_port "$state/standby")"

ONBOARD_TEST_ADMIN_URL="postgresql://onboard:$(cat "$state/primary/onboard.password")@127.0.0.1:$(pg_port "$state/primary"),127.0.0.1:$(pg_port "$state/standby")/postgres?target_session_attrs=read-write"
export ONBOARD_TEST_ADMIN_URL
export ONBOARD_FAILOVER_CTL="$self" ONBOARD_FAILOVER_STATE="$state"
status=0
"$@" || status=$?
exit "$status"
