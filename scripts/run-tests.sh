#!/usr/bin/env bash
# The whole suite: first on SQLite, then on PostgreSQL with Redis. Both passes always run, so a failure in the
# first does not hide the second; the script exits non-zero if either failed.
# PostgreSQL comes from TEST_DATABASE_URL if set; otherwise a throwaway local server is started when Debian's
# postgresql binaries are installed. Redis comes from TEST_REDIS_URL, or a throwaway redis-server.
# Extra arguments go to pytest.
set -uo pipefail
BIN=.venv/bin
unset TEST_TIER  # every property test tries all of its examples here (TEST_TIER=fast is make test-fast's)
failed=()

echo "== Test pass 1: SQLite, without Redis"
env -u TEST_DATABASE_URL -u TEST_REDIS_URL $BIN/pytest "$@" || failed+=("SQLite")

cleanup() {
  if declare -F pg_throwaway_stop >/dev/null; then pg_throwaway_stop; fi
  if [ -n "${REDIS_DIR:-}" ]; then kill "$(cat "$REDIS_DIR/pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$REDIS_DIR"; fi
}
trap cleanup EXIT

finish() {
  if [ ${#failed[@]} -gt 0 ]; then
    echo "== Failed: ${failed[*]}" >&2
    exit 1
  fi
  echo "== Every pass passed"
  exit 0
}

# The second pass has Redis beside PostgreSQL.
if [ -z "${TEST_REDIS_URL:-}" ]; then
  if command -v redis-server >/dev/null; then
    REDIS_DIR=$(mktemp -d /tmp/portal-redis.XXXXXX)
    REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --save "" --appendonly no \
      --daemonize yes --pidfile "$REDIS_DIR/pid" --logfile "$REDIS_DIR/log" >/dev/null
    export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    for _ in $(seq 100); do [ -s "$REDIS_DIR/pid" ] && break; sleep 0.1; done
  elif [ "${CI:-}" = "true" ]; then
    echo "redis-server is not installed, and CI must test with Redis." >&2
    failed+=("Redis missing")
    finish
  else
    echo "== redis-server not installed here (apt-get install redis-server): the second pass runs without Redis."
  fi
fi

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PGBIN" ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "PostgreSQL is not installed, and CI must test on it." >&2
      failed+=("PostgreSQL missing")
    else
      echo "== Test pass 2: PostgreSQL not installed here (apt-get install postgresql); SQLite pass only."
    fi
    finish
  fi
  # shellcheck source=scripts/pg-throwaway.sh
  source scripts/pg-throwaway.sh
  pg_throwaway_start "$PGBIN"
  export TEST_DATABASE_URL="$PG_URL"
fi

echo "== Test pass 2: PostgreSQL at $TEST_DATABASE_URL, Redis at ${TEST_REDIS_URL:-none}"
$BIN/pytest "$@" || failed+=("PostgreSQL")
finish
