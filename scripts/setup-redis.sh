#!/usr/bin/env bash
# Makes sure a Redis server is available for the scale-out tests (two hub nodes sharing a SignalR backplane) and
# writes its address to .data/redis/connection.env as VOXCPM_TEST_REDIS (StackExchange.Redis syntax, host:port).
#
# - VOXCPM_TEST_REDIS already set: that server is used as it is; nothing is installed or started.
# - Otherwise: installs Debian's redis-server if missing, then runs a PRIVATE server for this checkout on
#   127.0.0.1:${VOXCPM_REDIS_PORT:-56379} (the first free port from there) with no persistence: the tests keep
#   nothing in it, they only pass messages. Re-running while it is up does nothing but print the address.
#
# Stop it with: scripts/setup-redis.sh --stop
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_HOME="$REPO_ROOT/.data/redis"
CONNECTION_FILE="$REDIS_HOME/connection.env"
PID_FILE="$REDIS_HOME/redis.pid"
PORT_FILE="$REDIS_HOME/port"

write_connection_file() { # $1: host:port
  mkdir -p "$REDIS_HOME"
  {
    echo "# Written by scripts/setup-redis.sh; sourced by test.sh."
    printf "VOXCPM_TEST_REDIS='%s'\n" "$1"
  } >"$CONNECTION_FILE"
}

if [ -n "${VOXCPM_TEST_REDIS:-}" ]; then
  write_connection_file "$VOXCPM_TEST_REDIS"
  log "using the Redis named by VOXCPM_TEST_REDIS"
  echo "$VOXCPM_TEST_REDIS"
  exit 0
fi

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

if [ "${1:-}" = "--stop" ]; then
  if running; then kill "$(cat "$PID_FILE")"; fi
  exit 0
fi

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  apt_install redis-server
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
mkdir -p "$REDIS_HOME"

if running && [ -f "$PORT_FILE" ] && [ "$(redis-cli -h 127.0.0.1 -p "$(cat "$PORT_FILE")" ping 2>/dev/null)" = "PONG" ]; then
  REDIS_PORT="$(cat "$PORT_FILE")"
  log "Redis is already running on 127.0.0.1:$REDIS_PORT"
else
  REDIS_PORT="${VOXCPM_REDIS_PORT:-56379}"
  while port_busy "$REDIS_PORT"; do
    [ -z "${VOXCPM_REDIS_PORT:-}" ] || die "port $REDIS_PORT is taken by another program; set VOXCPM_REDIS_PORT to a free port"
    REDIS_PORT=$((REDIS_PORT + 1))
    [ "$REDIS_PORT" -lt 56479 ] || die "no free port in 56379..56478; set VOXCPM_REDIS_PORT"
  done
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  # Loopback only, no snapshots and no append-only file: nothing is written to disk.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
    --pidfile "$PID_FILE" --logfile "$REDIS_HOME/server.log" --dir "$REDIS_HOME" >/dev/null
  for _ in $(seq 1 50); do
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] && break
    sleep 0.2
  done
  [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] ||
    { tail -n 20 "$REDIS_HOME/server.log" >&2 || true; die "Redis did not start (log above)"; }
  echo "$REDIS_PORT" >"$PORT_FILE"
fi

write_connection_file "127.0.0.1:$REDIS_PORT"
log "address written to ${CONNECTION_FILE#"$REPO_ROOT"/}"
echo "127.0.0.1:$REDIS_PORT"
