#!/usr/bin/env bash
# The whole suite: first on SQLite, then on PostgreSQL.
# PostgreSQL comes from TEST_DATABASE_URL if set; otherwise a throwaway local server is started
# when Debian's postgresql binaries are installed. Extra arguments go to pytest.
set -euo pipefail
BIN=.venv/bin

echo "== Test pass 1: SQLite"
env -u TEST_DATABASE_URL $BIN/pytest "$@"

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== Test pass 2: PostgreSQL at TEST_DATABASE_URL"
  $BIN/pytest "$@"
  exit 0
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PGBIN" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not installed, and CI must test on it." >&2
    exit 1
  fi
  echo "== Test pass 2: PostgreSQL not installed here (apt-get install postgresql); SQLite pass only."
  exit 0
fi

echo "== Test pass 2: PostgreSQL (throwaway server from $PGBIN)"
# shellcheck source=scripts/pg-throwaway.sh
source scripts/pg-throwaway.sh
pg_throwaway_start "$PGBIN"
trap pg_throwaway_stop EXIT
TEST_DATABASE_URL="$PG_URL" $BIN/pytest "$@"
