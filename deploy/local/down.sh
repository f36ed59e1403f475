#!/usr/bin/env bash
# `make down`: stop what `make up` started: supervisord stops every program (SIGTERM, then
# SIGKILL to the program's process group after its stopwaitsecs) and then exits itself.
# The stack is the one in CS_STACK_DIR (var/). PostgreSQL, RabbitMQ and Redis keep running.
set -uo pipefail
cd "$(dirname "$0")/../.."

STACK=${CS_STACK_DIR:-var}
[ -e "$STACK/supervisord.conf" ] || exit 0
pid=$(cat "$STACK/run/supervisord.pid" 2>/dev/null)
# through its own socket, so a stale pid file can never make this signal another process
"${VENV:-.venv}/bin/supervisorctl" -c "$STACK/supervisord.conf" shutdown >/dev/null 2>&1 || exit 0
for _ in $(seq 90); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then
  echo "supervisord ($pid) is still stopping its programs; see $STACK/log/supervisord.log" >&2
  exit 1
fi
echo "stopped the stack in $STACK"
