# shellcheck shell=bash
# Shared functions for the ops/ scripts. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# After sourcing, ONBOARD_ROOT is the repository root and the current directory is it;
# ONBOARD_CALLER_DIR is where the script was started from.

# shellcheck disable=SC2034 # used by the scripts that source this file
ONBOARD_CALLER_DIR="$PWD"
ONBOARD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly ONBOARD_ROOT
cd "$ONBOARD_ROOT" || exit 1

# Debian installs the server binaries here; they are not on a normal user's PATH.
ONBOARD_PG_BINDIR="${ONBOARD_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
# The OS account that runs PostgreSQL when we are root (the server refuses to run as root).
ONBOARD_PG_OS_USER="${ONBOARD_PG_OS_USER:-postgres}"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

is_root() { [[ $EUID -eq 0 ]]; }

# as_root CMD...: run CMD as root, through sudo when we are not root. Without a terminal
# (CI) sudo must not prompt, so it runs with -n and fails instead.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    if [[ -t 0 ]]; then sudo "$@"; else sudo -n "$@"; fi
  else
    die "'$*' needs root: run as root or install sudo"
  fi
}

# random_hex N: N random bytes as lower-case hex (safe in URLs, SQL literals and files).
random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# write_secret FILE VALUE: write VALUE to FILE, readable by its owner only.
write_secret() {
  (umask 077 && printf '%s\n' "$2" >"$1.tmp.$$") && mv -f "$1.tmp.$$" "$1"
}

# ---------------------------------------------------------------------------------------
# Loopback ports

# port_in_use PORT: true when any TCP socket in this network namespace has PORT as its
# local port (listening or not). Reads /proc so it needs neither ss nor python.
port_in_use() {
  local hex files=() f
  hex="$(printf ':%04X' "$1")"
  for f in /proc/net/tcp /proc/net/tcp6; do [[ -r $f ]] && files+=("$f"); done
  ((${#files[@]})) || return 1
  awk -v want="$hex" 'FNR > 1 && substr($2, length($2) - 4) == want { found = 1 }
                      END { exit !found }' "${files[@]}"
}

# free_port: print a loopback port nobody uses, from 20000-31999 (below Linux's ephemeral
# range, so outgoing connections do not take it between our check and the bind).
free_port() {
  local port i
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 12000))
    if ! port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  die "no free TCP port found in 20000-31999"
}

# ---------------------------------------------------------------------------------------
# Private PostgreSQL clusters (ops/pg keeps one in var/pg; ops/test makes a throwaway one).
#
# A cluster lives in a state directory S:
#   S/data/               PGDATA
#   S/log                 server log
#   S/port                the loopback TCP port, chosen on first start
#   S/superuser.password  password of the "postgres" superuser (0600)
#   S/onboard.password    password of the "onboard" role (0600)
# The server listens on 127.0.0.1 only, has no Unix sockets, and requires a SCRAM-SHA-256
# password for every connection (pg_hba.conf has a single host line), so other accounts on
# the machine cannot use it without reading the 0600 password files.

# pg_run CMD...: run a server-side command as the account that owns clusters: ourselves,
# or the postgres account when we are root. It runs from / because the postgres account
# may not be allowed into the current directory.
pg_run() {
  if is_root; then
    # runuser lives in /usr/sbin, which a root shell's PATH may lack.
    (cd / && PATH="$PATH:/usr/sbin:/sbin" runuser -u "$ONBOARD_PG_OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# pg_os_user_can_enter DIR: true when the cluster account can reach DIR and enter it
# (false for a checkout under /root when we are root, say).
pg_os_user_can_enter() {
  pg_run test -x "$1" 2>/dev/null
}

# pg_require_binaries: fail clearly when PostgreSQL 15 is not installed.
pg_require_binaries() {
  local b
  for b in initdb pg_ctl postgres psql; do
    [[ -x $ONBOARD_PG_BINDIR/$b ]] || die "$ONBOARD_PG_BINDIR/$b not found: run ops/install-deps"
  done
  if is_root; then
    getent passwd "$ONBOARD_PG_OS_USER" >/dev/null ||
      die "no '$ONBOARD_PG_OS_USER' account to run PostgreSQL as (the postgresql-15 package creates it)"
  fi
}

# pg_own STATE_DIR: make the cluster account own STATE_DIR and everything in it (only
# possible, and only needed, when we are root).
pg_own() {
  is_root || return 0
  if [[ $(stat -c %U "$1") != "$ONBOARD_PG_OS_USER" ||
    (-e $1/data && $(stat -c %U "$1/data") != "$ONBOARD_PG_OS_USER") ]]; then
    chown -R "$ONBOARD_PG_OS_USER:" "$1"
  fi
}

pg_port() { cat "$1/port"; }
pg_is_initialised() { [[ -f $1/data/PG_VERSION && -f $1/port && -f $1/onboard.password ]]; }
pg_is_running() { pg_run "$ONBOARD_PG_BINDIR/pg_ctl" status -D "$1/data" >/dev/null 2>&1; }

# pg_init STATE_DIR [fast]: initdb into STATE_DIR/data. "fast" is for throwaway clusters:
# no fsync at all, which is safe only for data nobody wants after a crash.
pg_init() {
  local dir="$1" mode="${2:-}" sync_flag=()
  mkdir -p "$dir"
  chmod 700 "$dir"
  free_port >"$dir/port"
  write_secret "$dir/superuser.password" "$(random_hex 24)"
  write_secret "$dir/onboard.password" "$(random_hex 24)"
  rm -rf "$dir/data"
  if is_root; then chown -R "$ONBOARD_PG_OS_USER:" "$dir"; fi
  [[ $mode == fast ]] && sync_flag=(--no-sync)
  if ! pg_run "$ONBOARD_PG_BINDIR/initdb" -D "$dir/data" -U postgres \
    --pwfile="$dir/superuser.password" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 "${sync_flag[@]}" >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed (log above)"
  fi
  {
    printf '\n# onboard private cluster (ops/lib.sh): TCP on loopback only, no Unix sockets.\n'
    printf "listen_addresses = '127.0.0.1'\n"
    printf "unix_socket_directories = ''\n"
    if [[ $mode == fast ]]; then
      printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'
      printf 'max_connections = 200\n'
    fi
  } >>"$dir/data/postgresql.conf"
  {
    printf '# onboard private cluster (ops/lib.sh): passwords required, loopback TCP only.\n'
    printf '# TYPE  DATABASE  USER  ADDRESS       METHOD\n'
    printf 'host    all       all   127.0.0.1/32  scram-sha-256\n'
  } >"$dir/data/pg_hba.conf"
}

# pg_start STATE_DIR: start the cluster unless it runs; if its port was taken meanwhile,
# move it to a free one.
pg_start() {
  local dir="$1" log_size
  pg_is_running "$dir" && return 0
  # The data directory must belong to the account that runs the server (a checkout moved
  # between root and a normal user, or a restored copy, may not).
  pg_own "$dir"
  for _ in 1 2 3; do
    if port_in_use "$(pg_port "$dir")"; then
      free_port >"$dir/port"
    fi
    log_size="$(stat -c %s "$dir/log" 2>/dev/null || echo 0)"
    if pg_run "$ONBOARD_PG_BINDIR/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/log" \
      -o "-p $(pg_port "$dir")" >/dev/null 2>&1; then
      return 0
    fi
    # Lost a race for the port: try another one. Anything else is a real failure.
    tail -c +"$((log_size + 1))" "$dir/log" 2>/dev/null | grep -q 'could not bind' || break
    free_port >"$dir/port"
  done
  tail -c +"$((log_size + 1))" "$dir/log" 2>/dev/null | tail -n 40 >&2 || true
  die "PostgreSQL did not start (data in $dir/data, log above from $dir/log)"
}

# pg_stop STATE_DIR [MODE]: stop the cluster if it runs (MODE: fast or immediate).
pg_stop() {
  local dir="$1" mode="${2:-fast}"
  pg_is_running "$dir" || return 0
  pg_run "$ONBOARD_PG_BINDIR/pg_ctl" stop -w -t 60 -m "$mode" -D "$dir/data" >/dev/null
}

# pg_superuser_psql STATE_DIR [PSQL ARGS...]: psql as the superuser, to database postgres.
pg_superuser_psql() {
  local dir="$1"
  shift
  PGPASSWORD="$(cat "$dir/superuser.password")" PGCONNECT_TIMEOUT=10 \
    "$ONBOARD_PG_BINDIR/psql" -h 127.0.0.1 -p "$(pg_port "$dir")" -U postgres -d postgres \
    -X -v ON_ERROR_STOP=1 "$@"
}

# pg_ensure_app_role STATE_DIR: role "onboard" (LOGIN, CREATEDB: the tests create
# databases) with the password in S/onboard.password, and database "onboard" it owns.
# The password goes in on stdin, never on a command line.
pg_ensure_app_role() {
  local dir="$1" password
  password="$(cat "$dir/onboard.password")"
  pg_superuser_psql "$dir" -q >/dev/null <<SQL
SELECT 'CREATE ROLE onboard' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'onboard') \gexec
ALTER ROLE onboard WITH LOGIN CREATEDB NOSUPERUSER PASSWORD '$password';
SELECT 'CREATE DATABASE onboard OWNER onboard'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'onboard') \gexec
SQL
}

# pg_url STATE_DIR [DATABASE]: the DSN of role onboard (default database: onboard).
pg_url() {
  local dir="$1" db="${2:-onboard}"
  printf 'postgresql://onboard:%s@127.0.0.1:%s/%s\n' \
    "$(cat "$dir/onboard.password")" "$(pg_port "$dir")" "$db"
}

# pg_url_split URL: split the password out of a postgresql://user:password@host... URI so
# it can travel in PGPASSWORD instead of on a command line (where ps shows it). Sets
# PG_URL_NOPASS (the URI without the password) and PG_URL_PASS (percent-decoded, may be
# empty).
pg_url_split() {
  PG_URL_NOPASS="$1"
  PG_URL_PASS=""
  if [[ $1 =~ ^(postgres(ql)?://)([^:@/]*):([^@/]*)@(.*)$ ]]; then
    PG_URL_PASS="$(printf '%b' "${BASH_REMATCH[4]//%/\\x}")"
    PG_URL_NOPASS="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[5]}"
  fi
}
