#!/usr/bin/env bash
# `make up`: the whole platform on this machine, in the background, each component under
# supervisord, which restarts one that exits (with back-off) and keeps its log: the four
# services, the gateway (CS_GATEWAY_BIND) and the residents' web client (CS_WEB_BIND), which
# calls the gateway at CS_WEB_GATEWAY_URL. Its config, socket and the logs are under
# CS_STACK_DIR (var/): a second stack with its own ports, CS_DB_PREFIX, vhost and
# CS_STACK_DIR runs beside the first. `make down` stops it all.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=${VENV:-.venv}
export PATH="$PWD/$VENV/bin:$PATH"
export CS_GATEWAY_BIND=${CS_GATEWAY_BIND:-127.0.0.1:8000}
export CS_RATE_LIMIT_STORAGE=${CS_RATE_LIMIT_STORAGE:-redis://127.0.0.1:6379/0}
export CS_SEARCH_CACHE_URL=${CS_SEARCH_CACHE_URL:-redis://127.0.0.1:6379/1}
export CS_WEB_BIND=${CS_WEB_BIND:-127.0.0.1:8080}
export CS_WEB_GATEWAY_URL=${CS_WEB_GATEWAY_URL:-http://$CS_GATEWAY_BIND}
export CS_WEB_SESSION_URL=${CS_WEB_SESSION_URL:-redis://127.0.0.1:6379/2}  # the residents' sessions
STACK=${CS_STACK_DIR:-var}
mkdir -p "$STACK/log" "$STACK/run"

deploy/local/down.sh >/dev/null 2>&1 || true
deploy/local/ensure-infra.sh
python -m chassis.broker setup
python -m chassis.migrations

deploy/local/supervisord-conf.sh "$(realpath "$STACK")" "$PWD/$VENV/bin" >"$STACK/supervisord.conf"
supervisord -c "$STACK/supervisord.conf"

url="http://$CS_GATEWAY_BIND"
web="http://$CS_WEB_BIND"
answers() { python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' "$1" 2>/dev/null; }
for _ in $(seq 60); do answers "$url/readyz" && break; sleep 1; done
if ! answers "$url/readyz"; then
  supervisorctl -c "$STACK/supervisord.conf" status >&2 || true
  echo "The platform did not become ready within a minute; see $STACK/log/*.log. $url/readyz says:" >&2
  python -c 'import sys, urllib.request, urllib.error
try: urllib.request.urlopen(sys.argv[1], timeout=5)
except urllib.error.HTTPError as e: print(e.read().decode())
except OSError as e: print(e)' "$url/readyz" >&2
  exit 1
fi
# The web client started beside the gateway; it needs nothing else to answer its /healthz.
for _ in $(seq 30); do answers "$web/healthz" && break; sleep 1; done
if ! answers "$web/healthz"; then
  supervisorctl -c "$STACK/supervisord.conf" status >&2 || true
  echo "The web client does not answer at $web/healthz; see $STACK/log/web.log" >&2
  exit 1
fi

python -m gateway seed
cat <<EOF

Community Space is running: $web (web), API: $url
  residents: $web/login as a demo citizen above (citizen1@demo.community-space.kr / demo-citizen-1)
  API docs:  $url/api/docs      readiness: $url/readyz
  programs:  $url/api/v1/programs   (the demo lottery is drawn within a minute of the seed)
  metrics:   curl -H "Authorization: Bearer $(python -c 'from gateway.settings import GatewaySettings as S; print(S().metrics_token)')" $url/metrics
  logs:      $STACK/log/           stop:      make down
  processes: $VENV/bin/supervisorctl -c $STACK/supervisord.conf status
EOF
