#!/usr/bin/env bash
# Makes sure a PostgreSQL server is available and writes its connection strings to .data/postgres/connection.env
# (TTS_DB_CONNECTION for the hub, VOXCPM_TEST_DB for the tests, which create their own databases there).
#
# - TTS_DB_CONNECTION already set: that server is used as it is; nothing is installed or started.
# - Otherwise: installs Debian's PostgreSQL if no server binaries exist, then runs a PRIVATE cluster for this
#   checkout under .data/postgres, on 127.0.0.1:${VOXCPM_PG_PORT:-55432} only, as the `postgres` OS user when run
#   as root (the server refuses to run as root). Re-running while it is up does nothing but print the string.
#
# Stop it with: scripts/setup-postgres.sh --stop
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_HOME="$REPO_ROOT/.data/postgres"
PG_USER=voxcpm
PG_DATABASE=voxcpm
CONNECTION_FILE="$PG_HOME/connection.env"

write_connection_file() { # $1: hub connection string, $2: test server connection string
  mkdir -p "$PG_HOME"
  umask 077
  {
    echo "# Written by scripts/setup-postgres.sh; sourced by start.sh, migrate.sh and test.sh."
    printf "TTS_DB_CONNECTION='%s'\n" "$1"
    printf "VOXCPM_TEST_DB='%s'\n" "$2"
  } >"$CONNECTION_FILE"
}

if [ -n "${TTS_DB_CONNECTION:-}" ]; then
  write_connection_file "$TTS_DB_CONNECTION" "${VOXCPM_TEST_DB:-$TTS_DB_CONNECTION}"
  log "using the PostgreSQL named by TTS_DB_CONNECTION"
  echo "$TTS_DB_CONNECTION"
  exit 0
fi

find_pg_bin() { # newest installed major version
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

PG_BIN="$(find_pg_bin)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/postgres" ]; then
  apt_install postgresql
  PG_BIN="$(find_pg_bin)"
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found after installing"
fi

# The server must not run as root: as root, run it as the postgres OS user, which owns the cluster files.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@") # from /, which the postgres user can always enter
  else
    "$@"
  fi
}

# The data directory's parents must be searchable by its owner; a checkout inside a private folder (mktemp -d
# makes 0700 ones) is not, so then the cluster lives in /var/tmp instead, still one per checkout.
PG_DATA="$PG_HOME/data"
mkdir -p "$PG_HOME"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$PG_HOME"
  if ! runuser -u postgres -- test -w "$PG_HOME"; then
    PG_DATA="/var/tmp/voxcpm-hub-postgres/$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)/data"
    mkdir -p "$(dirname "$PG_DATA")"
    chown postgres:postgres "$(dirname "$PG_DATA")"
    chmod 700 "$(dirname "$PG_DATA")"
    log "postgres cannot reach $PG_HOME (a parent folder is private); the cluster lives in $PG_DATA"
  fi
fi
# Kept beside the cluster, so a cluster found again (same checkout path, fallback folder) is still usable.
PASSWORD_FILE="$(dirname "$PG_DATA")/password"
PORT_FILE="$PG_HOME/port"

if [ "${1:-}" = "--stop" ]; then
  [ ! -f "$PG_DATA/PG_VERSION" ] || as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_DATA" --mode=fast stop || true
  exit 0
fi

if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  log "creating a private cluster in $PG_DATA ($("$PG_BIN/postgres" --version))"
  umask 077
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$PASSWORD_FILE"
  pwfile="$(dirname "$PG_DATA")/.initdb-pw"
  cp "$PASSWORD_FILE" "$pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pwfile"
  as_owner "$PG_BIN/initdb" --pgdata="$PG_DATA" --username="$PG_USER" --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi
[ -f "$PASSWORD_FILE" ] || die "$PASSWORD_FILE is missing; delete $PG_DATA to create the cluster anew"
PASSWORD="$(cat "$PASSWORD_FILE")"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The port is fixed per checkout: VOXCPM_PG_PORT, else the one chosen the first time (kept in .data/postgres/port),
# else the first free one from 55432 up, so two checkouts on one machine each get their own cluster.
running=false
as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_DATA" status >/dev/null 2>&1 && running=true
if $running; then
  PG_PORT="$(sed -n 4p "$PG_DATA/postmaster.pid")" # the running server's own port
elif [ -n "${VOXCPM_PG_PORT:-}" ]; then
  PG_PORT="$VOXCPM_PG_PORT"
elif [ -f "$PORT_FILE" ]; then
  PG_PORT="$(cat "$PORT_FILE")"
else
  PG_PORT=55432
  while port_busy "$PG_PORT"; do
    PG_PORT=$((PG_PORT + 1))
    [ "$PG_PORT" -lt 55532 ] || die "no free port in 55432..55531; set VOXCPM_PG_PORT"
  done
fi
echo "$PG_PORT" >"$PORT_FILE"

if $running; then
  log "PostgreSQL is already running on 127.0.0.1:$PG_PORT"
else
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  ! port_busy "$PG_PORT" || die "port $PG_PORT is taken by another program; set VOXCPM_PG_PORT to a free port"
  # TCP on loopback only, no Unix socket (its default folder is not ours to write).
  as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_DATA" --wait --timeout=60 --log="$PG_DATA/server.log" \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=''" start >/dev/null ||
    { tail -n 20 "$PG_DATA/server.log" >&2 || true; die "PostgreSQL did not start (log above)"; }
fi

export PGPASSWORD="$PASSWORD"
if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1; then
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $PG_DATABASE" >/dev/null
fi

base="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PASSWORD"
write_connection_file "$base;Database=$PG_DATABASE" "$base;Database=postgres"
log "connection strings written to ${CONNECTION_FILE#"$REPO_ROOT"/}"
echo "$base;Database=$PG_DATABASE"
