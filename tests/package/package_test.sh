#!/usr/bin/env bash
# The Debian package in a fresh Debian 12 (issue #20): ops/package builds it from build/;
# a fresh debootstrap chroot (ops/lib.sh; the base system is made once and kept in
# var/debian/, as are the .debs apt downloads) installs it with
# `apt-get install ./onboard_*.deb`, apt resolving its Depends from the Debian mirror;
# onboard-api runs `migrate` and then `serve` exactly as the installed systemd unit starts it
# (its EnvironmentFile read by root, its User=onboard) against the test PostgreSQL
# (ONBOARD_TEST_ADMIN_URL; the chroot shares the network), and GET /readyz must answer 200
# "ready". `apt-get remove` must leave only the configuration, `apt-get purge` nothing at
# all: no file of the package, no generated secret, no /etc/onboard, no account.
# Needs root (chroot, mounts): run as root or with password-less sudo.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $EUID -ne 0 ]]; then
  if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
    echo "FAIL: the package test needs root (chroot): run ops/test as root or with password-less sudo" >&2
    exit 1
  fi
  exec sudo -n --preserve-env=ONBOARD_TEST_ADMIN_URL,TMPDIR bash "$0" "$@"
fi
# shellcheck source=ops/lib.sh
source "$here/../../ops/lib.sh"

started=$SECONDS
step() { log "[$((SECONDS - started))s] $*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
[[ -n ${ONBOARD_TEST_ADMIN_URL:-} ]] || fail "ONBOARD_TEST_ADMIN_URL is not set (ops/test sets it)"

work="$(mktemp -d /var/tmp/onboard-package-test.XXXXXX)"
root="$work/root"
db=""
api_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [[ -n $api_pid ]]; then kill -TERM "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null; fi
  chroot_destroy "$root"
  rm -rf "$work"
  if [[ -n $db ]]; then
    PGPASSWORD="$PG_URL_PASS" "$ONBOARD_PG_BINDIR/psql" -X -q -d "$PG_URL_NOPASS" \
      -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step "building the package (ops/package --no-build)"
deb="$(ops/package --no-build --output "$work/out" | tail -n 1)"
[[ -s $deb ]] || fail "ops/package made no package"

step "a fresh Debian 12 chroot"
chroot_create "$root"
# apt's downloads and lists are kept between runs (var/debian/apt-*), as a mirror proxy would.
mkdir -p "$ONBOARD_ROOT/var/debian/apt-archives/partial" "$ONBOARD_ROOT/var/debian/apt-lists/partial"
mount --bind "$ONBOARD_ROOT/var/debian/apt-archives" "$root/var/cache/apt/archives"
mount --bind "$ONBOARD_ROOT/var/debian/apt-lists" "$root/var/lib/apt/lists"
cp "$deb" "$root/root/"
deb_name="$(basename "$deb")"

step "apt-get install ./$deb_name"
in_chroot "$root" apt-get update -q -o DPkg::Lock::Timeout=600 >"$work/apt-update.log" 2>&1 ||
  { cat "$work/apt-update.log" >&2; fail "apt-get update failed in the chroot"; }
# Everything that is there before the install (to tell the package's leftovers apart).
snapshot() {
  in_chroot "$root" find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /root \
    -o -path /tmp -o -path /var/cache/apt -o -path /var/lib/apt/lists -o -path /var/log \) -prune \
    -o -print | sort
}
snapshot >"$work/before"
in_chroot "$root" sh -c "cd /root && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
  --no-install-recommends -o Dpkg::Use-Pty=0 ./$deb_name" >"$work/apt-install.log" 2>&1 ||
  { tail -n 40 "$work/apt-install.log" >&2; fail "apt-get install ./$deb_name failed"; }
grep -E '^(Setting up|onboard:)' "$work/apt-install.log" | sed 's/^/    /' | tail -n 8 >&2
in_chroot "$root" dpkg -L onboard >"$work/package-paths"
in_chroot "$root" getent passwd onboard >/dev/null || fail "the package made no 'onboard' account"
for f in secrets-pepper secrets-kek audit-checkpoint.pem onboard-api.env onboard-courier.env; do
  [[ -s $root/etc/onboard/$f ]] || fail "postinst did not make /etc/onboard/$f"
done
kek_mode="$(in_chroot "$root" stat -c '%U %a' /etc/onboard/secrets-kek)"
[[ $kek_mode == "onboard 600" ]] || fail "/etc/onboard/secrets-kek is not onboard's alone: $kek_mode"
grep -qx /etc/onboard/onboard.properties <(in_chroot "$root" sh -c 'cat /var/lib/dpkg/info/onboard.conffiles') ||
  fail "/etc/onboard/onboard.properties is not a conffile"
for unit in onboard-api onboard-courier; do
  in_chroot "$root" systemd-analyze verify "/lib/systemd/system/$unit.service" >"$work/verify.log" 2>&1 ||
    { cat "$work/verify.log" >&2; fail "systemd-analyze verify $unit.service failed"; }
  grep -q '^ProtectSystem=strict' "$root/lib/systemd/system/$unit.service" ||
    fail "$unit.service lost its hardening"
done

step "onboard-api migrate and serve as the unit starts it"
pg_url_split "$ONBOARD_TEST_ADMIN_URL"
db="onboard_package_$(random_hex 4)"
PGPASSWORD="$PG_URL_PASS" "$ONBOARD_PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$PG_URL_NOPASS" \
  -c "CREATE DATABASE $db" >/dev/null || fail "cannot create the test database"
port="$(free_port)"
db_url="$(printf '%s' "$ONBOARD_TEST_ADMIN_URL" | sed -E "s#/[^/?]*(\\?|$)#/$db\\1#")"
(umask 077 && printf 'ONBOARD_DATABASE_URL=%s\nONBOARD_HTTP_PORT=%s\n' "$db_url" "$port" \
  >>"$root/etc/onboard/onboard-api.env")
# What systemd does for the unit: root reads the EnvironmentFile, the program runs as User=.
exec_start="$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/onboard-api.service")"
[[ $exec_start == "/usr/bin/onboard-api serve --config=/etc/onboard/onboard.properties" ]] ||
  fail "unexpected ExecStart in onboard-api.service: $exec_start"
as_unit() {
  in_chroot "$root" sh -c 'set -a; . /etc/onboard/onboard-api.env; set +a; exec runuser -u onboard -- "$@"' sh "$@"
}
as_unit /usr/bin/onboard-api migrate --config=/etc/onboard/onboard.properties >"$work/migrate.log" 2>&1 ||
  { cat "$work/migrate.log" >&2; fail "onboard-api migrate failed"; }
# shellcheck disable=SC2086 # the unit's command line, split as systemd splits it
as_unit $exec_start >"$work/serve.log" 2>&1 &
api_pid=$!
ready=""
for ((i = 0; i < 100; i++)); do
  if ready="$(curl -fsS "http://127.0.0.1:$port/readyz" 2>/dev/null)"; then break; fi
  kill -0 "$api_pid" 2>/dev/null || break
  sleep 0.2
done
[[ $ready == *'"status":"ready"'* ]] ||
  { tail -n 20 "$work/serve.log" >&2; fail "GET /readyz did not answer ready: '$ready'"; }
printf '    GET /readyz: %s\n' "$ready" >&2
if [[ -n $PG_URL_PASS ]] && grep -qF "$PG_URL_PASS" "$work/serve.log" "$work/migrate.log"; then
  fail "the database password is in the log"
fi
# SIGTERM to onboard-api itself (as systemd sends it): the process in this chroot.
serve_pid=""
for proc in /proc/[0-9]*; do
  if [[ $(readlink "$proc/root" 2>/dev/null) == "$(realpath "$root")" && $(cat "$proc/comm" 2>/dev/null) == onboard-api ]]; then
    serve_pid="${proc#/proc/}"
  fi
done
[[ -n $serve_pid ]] || fail "no onboard-api process in the chroot"
kill -TERM "$serve_pid"
wait "$api_pid" || fail "onboard-api serve did not stop cleanly on SIGTERM (log: $(tail -n 3 "$work/serve.log"))"
api_pid=""

step "apt-get remove onboard"
in_chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q onboard >"$work/remove.log" 2>&1 ||
  { cat "$work/remove.log" >&2; fail "apt-get remove onboard failed"; }
while read -r path; do
  [[ $path == /etc/onboard* ]] && continue
  if [[ -e $root$path && ! -d $root$path ]]; then fail "$path is still there after apt-get remove"; fi
done <"$work/package-paths"
[[ -f $root/etc/onboard/onboard.properties ]] || fail "remove took the configuration (only purge may)"

step "apt-get purge onboard"
in_chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q onboard >"$work/purge.log" 2>&1 ||
  { cat "$work/purge.log" >&2; fail "apt-get purge onboard failed"; }
[[ ! -e $root/etc/onboard ]] || fail "/etc/onboard is still there after purge: $(ls -A "$root/etc/onboard")"
if in_chroot "$root" getent passwd onboard >/dev/null; then fail "the onboard account is still there after purge"; fi
if in_chroot "$root" getent group onboard >/dev/null; then fail "the onboard group is still there after purge"; fi
leftovers="$(snapshot | comm -13 "$work/before" - | grep -i onboard || true)"
[[ -z $leftovers ]] || fail "purge left files behind: $leftovers"
while read -r path; do
  if [[ -e $root$path && ! -d $root$path ]]; then fail "$path is still there after purge"; fi
done <"$work/package-paths"
step "passed: installed with its dependencies, migrated, served /readyz, removed and purged without a trace"
