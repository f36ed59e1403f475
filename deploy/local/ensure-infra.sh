#!/usr/bin/env bash
# Make sure the PostgreSQL, RabbitMQ and Redis that the configuration names answer:
# CS_PG_URL, CS_AMQP_URI, and the Redis of CS_RATE_LIMIT_STORAGE and CS_SEARCH_CACHE_URL
# (this machine's 6379 when neither is a Redis URL: the tests use it). A server on its
# default port of 127.0.0.1 that is installed but stopped is started, and that broker gets
# its management API, through which `python -m chassis.broker setup` configures it. Any
# other address belongs to someone else (a second stack, a shared server): only checked.
# Used by `make up`, `make test` and CI.
set -euo pipefail

say() { printf '%s\n' "$@" >&2; }
fail() { say "$@"; exit 1; }

host_port() {  # host_port URL DEFAULT_PORT: prints "HOST PORT" of scheme://[user[:password]@]host[:port][/...]
  local rest=${1#*://}
  rest=${rest%%/*}
  rest=${rest##*@}
  case $rest in
    *:*) echo "${rest%:*} ${rest##*:}" ;;
    *) echo "$rest $2" ;;
  esac
}
local_default() { [[ $1 == 127.0.0.1 || $1 == localhost ]] && [ "$2" = "$3" ]; }  # HOST PORT DEFAULT_PORT
port_open() { timeout 2 bash -c ">/dev/tcp/$1/$2" 2>/dev/null; }
wait_for() {  # wait_for SECONDS COMMAND...
  local seconds=$1
  shift
  for _ in $(seq "$seconds"); do "$@" && return 0; sleep 1; done
  return 1
}

read -r pg_host pg_port < <(host_port "${CS_PG_URL:-postgresql://postgres@127.0.0.1:5432}" 5432)
read -r mq_host mq_port < <(host_port "${CS_AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/community_space}" 5672)
redis=()  # "HOST PORT VARIABLE"
for variable in CS_RATE_LIMIT_STORAGE CS_SEARCH_CACHE_URL; do
  url=${!variable:-}
  [[ $url == redis://* || $url == rediss://* ]] && redis+=("$(host_port "$url" 6379) $variable")
done
[ ${#redis[@]} -gt 0 ] || redis=("127.0.0.1 6379 default")

postgres_up() { pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; }
if ! postgres_up; then
  local_default "$pg_host" "$pg_port" 5432 || fail "PostgreSQL does not answer at $pg_host:$pg_port (CS_PG_URL)."
  command -v pg_ctlcluster >/dev/null || fail "PostgreSQL is not running and pg_ctlcluster is not installed." \
    "Install PostgreSQL 15 or newer (Debian: apt-get install postgresql postgresql-contrib), or start it yourself on 127.0.0.1:5432."
  say "PostgreSQL is down; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  wait_for 30 postgres_up || fail "PostgreSQL did not come up on 127.0.0.1:5432"
fi

if ! port_open "$mq_host" "$mq_port"; then
  local_default "$mq_host" "$mq_port" 5672 || fail "RabbitMQ does not answer at $mq_host:$mq_port (CS_AMQP_URI)."
  command -v rabbitmq-server >/dev/null || fail "RabbitMQ is not running and rabbitmq-server is not installed." \
    "Install RabbitMQ 3.10 or newer (Debian: apt-get install rabbitmq-server), or start it yourself on 127.0.0.1:5672."
  say "RabbitMQ is down; starting it"
  # Every socket and open file counts against its limit; at the default 1024, a test run's
  # connections can leave none for a new vhost's message stores, which then waits. Debian's
  # wrapper switches to the rabbitmq user through su, which resets the limit, so as root the
  # node is started as that user directly, with the limit raised to the hard one.
  if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1 && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    su rabbitmq -s /bin/sh -c 'ulimit -n "$(ulimit -Hn)"; cd /var/lib/rabbitmq && /usr/lib/rabbitmq/bin/rabbitmq-server -detached'
  else
    rabbitmq-server -detached
  fi
  wait_for 60 port_open "$mq_host" "$mq_port" || fail "RabbitMQ did not come up on 127.0.0.1:5672"
  rabbitmqctl -q await_startup
fi
if local_default "$mq_host" "$mq_port" 5672 && [ -z "${CS_RABBITMQ_MANAGEMENT_URL:-}" ] && ! port_open 127.0.0.1 15672; then
  say "Enabling RabbitMQ's management API (127.0.0.1:15672), through which the broker is set up"
  rabbitmq-plugins -q enable rabbitmq_management >/dev/null
  wait_for 30 port_open 127.0.0.1 15672 || fail "RabbitMQ's management API did not come up on 127.0.0.1:15672"
fi

redis_up() { redis-cli -h "$1" -p "$2" ping >/dev/null 2>&1; }
for address in "${redis[@]}"; do
  read -r host port variable <<<"$address"
  redis_up "$host" "$port" && continue
  local_default "$host" "$port" 6379 || fail "Redis does not answer at $host:$port ($variable)."
  command -v redis-server >/dev/null || fail "Redis is not running and redis-server is not installed." \
    "Install Redis 6 or newer (Debian: apt-get install redis-server), or start it yourself on 127.0.0.1:6379."
  say "Redis is down; starting it"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_for 10 redis_up "$host" "$port" || fail "Redis did not come up"
done
say "PostgreSQL ($pg_host:$pg_port), RabbitMQ ($mq_host:$mq_port) and Redis are up"
