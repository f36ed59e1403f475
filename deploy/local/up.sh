#!/usr/bin/env bash
# `make up`: the whole platform on this machine, in the background, each component under
# supervisord, which restarts one that exits (with back-off) and keeps its log. Its config,
# socket and the logs are under CS_STACK_DIR (var/): a second stack with its own ports,
# CS_DB_PREFIX, vhost and CS_STACK_DIR runs beside the first. `make down` stops it all.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=${VENV:-.venv}
export PATH="$PWD/$VENV/bin:$PATH"
export CS_GATEWAY_BIND=${CS_GATEWAY_BIND:-127.0.0.1:8000}
export CS_RATE_LIMIT_STORAGE=${CS_RATE_LIMIT_STORAGE:-redis://127.0.0.1:6379/0}
export CS_SEARCH_CACHE_URL=${CS_SEARCH_CACHE_URL:-redis://127.0.0.1:6379/1}
STACK=${CS_STACK_DIR:-var}
mkdir -p "$STACK/log" "$STACK/run"

deploy/local/down.sh >/dev/null 2>&1 || true
deploy/local/ensure-infra.sh
python -m chassis.broker setup
python -m chassis.migrations

deploy/local/supervisord-conf.sh "$(realpath "$STACK")" "$PWD/$VENV/bin" >"$STACK/supervisord.conf"
supervisord -c "$STACK/supervisord.conf"

url="http://$CS_GATEWAY_BIND"
ready() { python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' "$url/readyz" 2>/dev/null; }
for _ in $(seq 60); do ready && break; sleep 1; done
if ! ready; then
  supervisorctl -c "$STACK/supervisord.conf" status >&2 || true
  echo "The platform did not become ready within a minute; see $STACK/log/*.log. $url/readyz says:" >&2
  python -c 'import sys, urllib.request, urllib.error
try: urllib.request.urlopen(sys.argv[1], timeout=5)
except urllib.error.HTTPError as e: print(e.read().decode())
except OSError as e: print(e)' "$url/readyz" >&2
  exit 1
fi

python -m gateway seed
cat <<EOF

Community Space is running: $url
  API docs:  $url/api/docs      readiness: $url/readyz
  programs:  $url/api/v1/programs   (the demo lottery is drawn within a minute of the seed)
  metrics:   curl -H "Authorization: Bearer $(python -c 'from gateway.settings import GatewaySettings as S; print(S().metrics_token)')" $url/metrics
  logs:      $STACK/log/           stop:      make down
  processes: $VENV/bin/supervisorctl -c $STACK/supervisord.conf status
EOF
