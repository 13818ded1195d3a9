#!/usr/bin/env bash
# Development server: the app, a loopback mail sink, and the outbox worker, stopped together with Ctrl+C.
set -euo pipefail
BIN=.venv/bin
export FLASK_APP=wsgi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

$BIN/flask dev-mail-sink --host 127.0.0.1 --port "${MAIL_PORT:-1025}" &
pids+=($!)
# The worker starts once the sink listens, so no message is tried (and reported undelivered) before it is up.
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/${MAIL_PORT:-1025}") 2>/dev/null && break
  sleep 0.1
done
$BIN/flask outbox worker --interval 2 &
pids+=($!)
# The scheduled jobs, once a minute (in production they run from cron; see the README).
( while true; do
    $BIN/flask triage sla-alerts >/dev/null || true
    $BIN/flask triage deadline-reminders >/dev/null || true
    $BIN/flask support send-offers >/dev/null || true
    $BIN/flask surveys send >/dev/null || true
    $BIN/flask jobs run hearing-reminders >/dev/null || true
    $BIN/flask insight refresh >/dev/null || true
    sleep 60
  done ) &
pids+=($!)

echo
echo "Portal:  http://127.0.0.1:5000"
echo "Mailbox: http://127.0.0.1:5000/dev/mail/  (the emails, text messages and letters the service sent; development only)"
echo
$BIN/flask run --host 127.0.0.1 --port 5000
