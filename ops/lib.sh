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

# pg_ensure_role STATE_DIR ROLE ATTRIBUTE [SQL]: role ROLE (LOGIN, ATTRIBUTE, NOSUPERUSER)
# with the password in S/ROLE.password, created when missing, then SQL (more statements
# in the same session). The password goes in on stdin, never on a command line.
pg_ensure_role() {
  local dir="$1" role="$2" attribute="$3" more="${4:-}" password
  password="$(cat "$dir/$role.password")"
  pg_superuser_psql "$dir" -q >/dev/null <<SQL
SELECT 'CREATE ROLE $role' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') \gexec
ALTER ROLE $role WITH LOGIN $attribute NOSUPERUSER PASSWORD '$password';
$more
SQL
}

# pg_ensure_app_role STATE_DIR: role "onboard" (LOGIN, CREATEDB: the tests create
# databases) with the password in S/onboard.password, and database "onboard" it owns.
pg_ensure_app_role() {
  pg_ensure_role "$1" onboard CREATEDB "SELECT 'CREATE DATABASE onboard OWNER onboard'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'onboard') \gexec"
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

# ---------------------------------------------------------------------------------------
# Streaming replication: a primary and a synchronous hot standby (PostgreSQL's own physical
# replication; ops/RUNBOOK.md "Database failover" and the reliability test
# tests/reliability/failover_cluster.sh use these).
#
#   pg_init P; pg_configure_primary P; pg_start P; pg_ensure_app_role P
#   pg_ensure_replication_role P
#   pg_init_standby P S standby1; pg_start S
#   pg_require_sync_standby P standby1        commits now wait for standby1's flush
#   ... pg_stop P immediate; pg_promote S     S is the primary
#
# The standby's state directory has its own port and the same passwords (it is a copy).

# pg_configure_primary STATE_DIR: replication connections from loopback for role
# "replicator" (password in S/replicator.password), synchronous_commit on. Before the first
# start (pg_init first).
pg_configure_primary() {
  local dir="$1"
  [[ -s $dir/replicator.password ]] || write_secret "$dir/replicator.password" "$(random_hex 24)"
  if is_root; then chown "$ONBOARD_PG_OS_USER:" "$dir/replicator.password"; fi
  {
    printf '\n# streaming replication (ops/lib.sh pg_configure_primary)\n'
    printf 'wal_level = replica\nmax_wal_senders = 10\nmax_replication_slots = 10\n'
    printf 'synchronous_commit = on\nhot_standby = on\nwal_log_hints = on\n'
  } >>"$dir/data/postgresql.conf"
  printf 'host    replication  replicator  127.0.0.1/32  scram-sha-256\n' >>"$dir/data/pg_hba.conf"
}

# pg_ensure_replication_role STATE_DIR: role "replicator" (REPLICATION, LOGIN) with the
# password in S/replicator.password. The server must run.
pg_ensure_replication_role() { pg_ensure_role "$1" replicator REPLICATION; }

# pg_init_standby PRIMARY_DIR STANDBY_DIR NAME: a hot standby of the running primary,
# copied with pg_basebackup (replication slot NAME, WAL streamed), application_name NAME,
# on a port of its own. Not started. Its synchronous_standby_names is empty: promoted, it
# does not wait for a standby it does not have (see ops/RUNBOOK.md).
pg_init_standby() {
  local primary="$1" dir="$2" name="$3" passfile conninfo
  mkdir -p "$dir"
  chmod 700 "$dir"
  free_port >"$dir/port"
  cp "$primary/superuser.password" "$primary/onboard.password" "$primary/replicator.password" "$dir/"
  passfile="$dir/replicator.pgpass"
  (umask 077 && printf '127.0.0.1:%s:*:replicator:%s\n' "$(pg_port "$primary")" \
    "$(cat "$primary/replicator.password")" >"$passfile")
  rm -rf "$dir/data"
  if is_root; then chown -R "$ONBOARD_PG_OS_USER:" "$dir"; fi
  conninfo="host=127.0.0.1 port=$(pg_port "$primary") user=replicator application_name=$name passfile=$passfile"
  if ! pg_run "$ONBOARD_PG_BINDIR/pg_basebackup" -D "$dir/data" -d "$conninfo" \
    -X stream -C -S "$name" -R -c fast >"$dir/basebackup.log" 2>&1; then
    cat "$dir/basebackup.log" >&2
    die "pg_basebackup from $primary failed (log above)"
  fi
  {
    printf "primary_conninfo = '%s'\n" "$conninfo"
    printf "primary_slot_name = '%s'\n" "$name"
  } >>"$dir/data/postgresql.auto.conf"
  printf "\n# hot standby (ops/lib.sh pg_init_standby)\nsynchronous_standby_names = ''\n" \
    >>"$dir/data/postgresql.conf"
}

# pg_require_sync_standby PRIMARY_DIR NAME: make NAME the synchronous standby of the primary
# (every commit waits until NAME has flushed it) and wait until it streams as "sync".
pg_require_sync_standby() {
  local dir="$1" name="$2" state i
  pg_superuser_psql "$dir" -q >/dev/null <<SQL
ALTER SYSTEM SET synchronous_standby_names = '"$name"';
SELECT pg_reload_conf();
SQL
  for ((i = 0; i < 300; i++)); do
    state="$(pg_superuser_psql "$dir" -Atc \
      "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$name'")"
    [[ $state == sync ]] && return 0
    sleep 0.2
  done
  die "standby $name is not streaming synchronously (pg_stat_replication: '${state:-}')"
}

# pg_promote STATE_DIR: promote the standby to primary and wait until it accepts writes.
pg_promote() {
  pg_run "$ONBOARD_PG_BINDIR/pg_ctl" promote -w -t 60 -D "$1/data" >/dev/null
}

# ---------------------------------------------------------------------------------------
# Fresh Debian 12 chroots (the package test, ops/fresh-machine-check)
#
# A debootstrap of Debian 12 (bookworm, the default variant: what a fresh server has, plus
# git and ca-certificates to clone with) is made once and kept as a tarball in
# var/debian/ (git-ignored); each chroot is a fresh copy of it. Making one needs root.

ONBOARD_DEBIAN_MIRROR="${ONBOARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# debian_base_tarball: print the path of the cached base tarball, making it first if missing
# (debootstrap, a few minutes; concurrent callers wait for one another).
debian_base_tarball() {
  local dir="$ONBOARD_ROOT/var/debian" tarball="$ONBOARD_ROOT/var/debian/bookworm-base.tar.gz" root
  mkdir -p "$dir"
  (
    flock 9
    [[ -s $tarball ]] && exit 0
    command -v debootstrap >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
    command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found: run ops/install-deps"
    root="$(mktemp -d "$dir/bootstrap.XXXXXX")"
    log "making a Debian 12 base system with debootstrap (once; kept in var/debian/)"
    if ! debootstrap --include=git,ca-certificates bookworm "$root" "$ONBOARD_DEBIAN_MIRROR" \
      >"$dir/debootstrap.log" 2>&1; then
      tail -n 30 "$dir/debootstrap.log" >&2
      rm -rf "$root"
      die "debootstrap failed (log above, also in var/debian/debootstrap.log)"
    fi
    # Package lists are fetched again in each copy (apt-get update), as on a fresh machine.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*_Packages
    chmod 755 "$root"
    tar -C "$root" --numeric-owner -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  ) 9>"$dir/.lock" || return 1
  printf '%s\n' "$tarball"
}

# chroot_create DIR: a fresh Debian 12 system in DIR (an empty or missing directory), with
# /proc, /sys and the host's /dev (with /dev/pts and /dev/shm) mounted and the host's DNS
# configuration. It shares the host's
# network (loopback included).
chroot_create() {
  local root="$1" tarball
  tarball="$(debian_base_tarball)" || return 1
  mkdir -p "$root"
  tar -C "$root" --numeric-owner -xzf "$tarball"
  chmod 755 "$root"  # a root directory others may enter (mktemp made it 0700)
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # As Debian's installer writes it: the machine's own name resolves (to 127.0.1.1). A bare
  # debootstrap has only localhost, and then every getfqdn() (aiosmtpd's greeting, say)
  # waits for DNS to give up.
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
    "$(hostname)" >"$root/etc/hosts"
  # The suites a Debian 12 installation has.
  cat >"$root/etc/apt/sources.list" <<SOURCES
deb $ONBOARD_DEBIAN_MIRROR bookworm main
deb $ONBOARD_DEBIAN_MIRROR bookworm-updates main
deb ${ONBOARD_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main
SOURCES
  # No daemons start from maintainer scripts in a chroot (postgresql's "main" cluster would
  # take port 5432 of the host's network); the tests start what they need themselves.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  # The host's /dev with /dev/pts and /dev/shm, as a slave: nothing mounted or unmounted
  # below it here propagates back to the host.
  mount --rbind /dev "$root/dev"
  mount --make-rslave "$root/dev"
}

# chroot_destroy DIR: unmount what chroot_create mounted (and anything below DIR), remove DIR.
chroot_destroy() {
  local root="$1" m
  [[ -d $root ]] || return 0
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v r="$(realpath "$root")" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$root"
}

# in_chroot DIR CMD...: run CMD in the chroot as root, with a clean environment.
in_chroot() {
  local root="$1"
  shift
  chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
