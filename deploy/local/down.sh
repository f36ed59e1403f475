#!/usr/bin/env bash
# `make down`: stop what `make up` started. PostgreSQL and RabbitMQ keep running.
set -uo pipefail
cd "$(dirname "$0")/../.."

for pidfile in var/run/*.pid; do
  [ -e "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $(basename "$pidfile" .pid)"
  fi
  rm -f "$pidfile"
done
