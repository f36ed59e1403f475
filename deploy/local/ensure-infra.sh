#!/usr/bin/env bash
# Make sure PostgreSQL, RabbitMQ and Redis answer on 127.0.0.1, starting them if they are
# installed but stopped. Used by `make up`, `make test` and CI.
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }

postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
rabbitmq_up() { rabbitmqctl -q status >/dev/null 2>&1; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }

wait_for() {  # wait_for CHECK SECONDS
  local check=$1 seconds=$2
  for _ in $(seq "$seconds"); do "$check" && return 0; sleep 1; done
  return 1
}

if ! postgres_up; then
  if command -v pg_ctlcluster >/dev/null; then
    say "PostgreSQL is down; starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  else
    say "PostgreSQL is not running and pg_ctlcluster is not installed."
    say "Install PostgreSQL 15 or newer (Debian: apt-get install postgresql postgresql-contrib), or start it yourself on 127.0.0.1:5432."
    exit 1
  fi
  wait_for postgres_up 30 || { say "PostgreSQL did not come up on 127.0.0.1:5432"; exit 1; }
fi

if ! rabbitmq_up; then
  if command -v rabbitmq-server >/dev/null; then
    say "RabbitMQ is down; starting it"
    rabbitmq-server -detached
    wait_for rabbitmq_up 60 || { say "RabbitMQ did not come up"; exit 1; }
    rabbitmqctl -q await_startup
  else
    say "RabbitMQ is not running and rabbitmq-server is not installed."
    say "Install RabbitMQ 3.10 or newer (Debian: apt-get install rabbitmq-server), or start it yourself on 127.0.0.1:5672."
    exit 1
  fi
fi
if ! redis_up; then
  if command -v redis-server >/dev/null; then
    say "Redis is down; starting it"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    wait_for redis_up 10 || { say "Redis did not come up"; exit 1; }
  else
    say "Redis is not running and redis-server is not installed."
    say "Install Redis 6 or newer (Debian: apt-get install redis-server), or start it yourself on 127.0.0.1:6379."
    exit 1
  fi
fi
say "PostgreSQL, RabbitMQ and Redis are up"
