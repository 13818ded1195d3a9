#!/usr/bin/env bash
# Start and stop a PostgreSQL server in a temporary directory, on loopback and a free port.
# initdb and pg_ctl refuse to run as root, so they run as the postgres user when we are root.

pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_throwaway_start() {
  local pgbin="$1"
  PG_DIR=$(mktemp -d /tmp/portal-pg.XXXXXX)
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  PG_BIN="$pgbin"
  if [ "$(id -u)" = "0" ]; then chown postgres "$PG_DIR"; fi
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U portal >/dev/null
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  PG_URL="postgresql+psycopg://portal@127.0.0.1:$PG_PORT/postgres"
  export PG_DIR PG_PORT PG_BIN PG_URL
  echo "PostgreSQL running at $PG_URL"
}

pg_throwaway_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null || true
    rm -rf "$PG_DIR"
  fi
}
