#!/usr/bin/env bash
# `make up`: the whole platform on this machine, in the background.
# Logs go to var/log/, process ids to var/run/. `make down` stops it all.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=${VENV:-.venv}
export PATH="$PWD/$VENV/bin:$PATH"
export CS_GATEWAY_BIND=${CS_GATEWAY_BIND:-127.0.0.1:8000}
export CS_RATE_LIMIT_STORAGE=${CS_RATE_LIMIT_STORAGE:-redis://127.0.0.1:6379/0}
export CS_SEARCH_CACHE_URL=${CS_SEARCH_CACHE_URL:-redis://127.0.0.1:6379/1}
SERVICES=(spaces reservations programs notifications)
mkdir -p var/log var/run

deploy/local/down.sh >/dev/null 2>&1 || true
deploy/local/ensure-infra.sh
python -m chassis.broker setup
python -m chassis.migrations

start() {  # start NAME COMMAND...
  local name=$1; shift
  nohup "$@" >"var/log/$name.log" 2>&1 &
  echo $! >"var/run/$name.pid"
}
for service in "${SERVICES[@]}"; do
  start "$service" nameko run --config "services/$service/config.yaml" "services.$service.service"
done
start gateway python -m gateway.serve

url="http://$CS_GATEWAY_BIND"
ready() { python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' "$url/readyz" 2>/dev/null; }
for _ in $(seq 60); do ready && break; sleep 1; done
if ! ready; then
  echo "The platform did not become ready within a minute; see var/log/*.log. $url/readyz says:" >&2
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
  metrics:   curl -H "Authorization: Bearer $(python -c 'from gateway.settings import GatewaySettings as S; print(S().metrics_token)')" $url/metrics
  logs:      var/log/           stop:      make down
EOF
