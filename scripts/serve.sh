#!/usr/bin/env bash
# A production-like local run: gunicorn on PostgreSQL, with Redis for shared rate limits.
# Uses DATABASE_URL and REDIS_URL when they are set and answer; otherwise starts Debian's postgresql and
# redis-server on loopback with throwaway data directories, stopped again on exit.
set -euo pipefail
BIN=.venv/bin
export FLASK_APP=wsgi PORTAL_ENV=${PORTAL_ENV:-production}
export SECRET_KEY=${SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:8000}
# Loopback over plain HTTP: secure-only cookies and the HTTPS redirect would lock a browser out.
export HTTPS_ONLY=${HTTPS_ONLY:-false}

cleanup() {
  if [ -n "${REDIS_DIR:-}" ]; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$REDIS_DIR"
  fi
  if declare -F pg_throwaway_stop >/dev/null; then pg_throwaway_stop; fi
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [ -z "${DATABASE_URL:-}" ] || ! $BIN/python -c "
import os, sqlalchemy
sqlalchemy.create_engine(os.environ['DATABASE_URL']).connect().close()" 2>/dev/null; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$PGBIN" ] || { echo "PostgreSQL is needed: apt-get install postgresql, or set DATABASE_URL" >&2; exit 1; }
  # shellcheck source=scripts/pg-throwaway.sh
  source scripts/pg-throwaway.sh
  pg_throwaway_start "$PGBIN"
  export DATABASE_URL="$PG_URL"
fi

if [ -z "${REDIS_URL:-}" ] || ! $BIN/python -c "
import os, redis
redis.Redis.from_url(os.environ['REDIS_URL']).ping()" 2>/dev/null; then
  command -v redis-server >/dev/null || { echo "Redis is needed: apt-get install redis-server, or set REDIS_URL" >&2; exit 1; }
  REDIS_DIR=$(mktemp -d /tmp/portal-redis.XXXXXX)
  REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --save "" --appendonly no --daemonize yes \
    --logfile "$REDIS_DIR/log" >/dev/null
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "Redis running at $REDIS_URL"
fi

$BIN/flask db upgrade
# Two RQ workers and one scheduler beside the app, as in production (README: background jobs).
JOB_PIDS=()
for _ in 1 2; do $BIN/flask jobs worker >/dev/null 2>&1 & JOB_PIDS+=($!); done
$BIN/flask jobs scheduler >/dev/null 2>&1 & JOB_PIDS+=($!)
stop_jobs() { for pid in "${JOB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; cleanup; }
trap stop_jobs EXIT INT TERM
echo "Portal (gunicorn): $PUBLIC_BASE_URL, with 2 job workers and a scheduler on Redis"
echo "Email goes to MAIL_SERVER:MAIL_PORT (${MAIL_SERVER:-127.0.0.1}:${MAIL_PORT:-1025}); it waits in the outbox until that answers."
$BIN/gunicorn --config gunicorn.conf.py wsgi:app
