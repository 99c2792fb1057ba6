#!/usr/bin/env bash
# Renders the Grafana dashboard with live data from a local topology, without Docker or Grafana (neither can run
# on the build machines): 2 orders + 1 payments replica on scratch databases and topics of their own, Debian's
# Prometheus scraping them every 2 s, a checkout load with some unaffordable orders and a few open SSE streams,
# then deploy/observability/render_dashboard.py draws every panel of the dashboard (same PromQL) and headless
# Chromium takes the picture. The local servers must be running (scripts/servers.sh start).
#
#   scripts/dashboard-snapshot.sh [--orders-port P] [--payments-port P] [--prometheus-port P] [--seconds N]
#                                 [--configuration Debug|Release] [--out docs/images/dashboard.png]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORDERS_PORT=5131 PAYMENTS_PORT=5231 PROM_PORT=9390 SECONDS_OF_LOAD=150 CONFIGURATION=Debug OUT="$ROOT/docs/images/dashboard.png"
while [ $# -gt 0 ]; do
  case "$1" in
    --orders-port) ORDERS_PORT=$2; shift 2 ;;
    --payments-port) PAYMENTS_PORT=$2; shift 2 ;;
    --prometheus-port) PROM_PORT=$2; shift 2 ;;
    --seconds) SECONDS_OF_LOAD=$2; shift 2 ;;
    --configuration) CONFIGURATION=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
log() { printf '[snapshot] %s\n' "$*" >&2; }
. "$ROOT/scripts/lib.sh"
for tool in prometheus chromium jq psql curl python3; do
  command -v "$tool" >/dev/null || { log "$tool is missing (apt-get install prometheus chromium jq postgresql-client curl)"; exit 1; }
done

WORK="$(mktemp -d /tmp/shop-snapshot.XXXXXX)"
RUN="snap$(date +%s)"
BIN="$ROOT/Host/bin/$CONFIGURATION/net10.0"
[ -f "$BIN/Shop.Host.dll" ] || dotnet build "$ROOT/Host/Host.csproj" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >/dev/null
export PGPASSWORD=postgres
psql_admin() { psql -h 127.0.0.1 -p 15432 -U postgres -d postgres -qAt -c "$1"; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql_admin "drop database if exists orders_$RUN with (force)" || true
  psql_admin "drop database if exists payments_$RUN with (force)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

psql_admin "create database orders_$RUN owner orders"
psql_admin "create database payments_$RUN owner payments"
start_host() { # name role port
  shop_host "$BIN" "$2" "$3" \
    "ConnectionStrings__Orders=Host=127.0.0.1;Port=15432;Database=orders_$RUN;Username=orders;Password=orders_dev_password" \
    "ConnectionStrings__Payments=Host=127.0.0.1;Port=15432;Database=payments_$RUN;Username=payments;Password=payments_dev_password" \
    "Topics__OrdersEvents=orders-events-$RUN" "Topics__PaymentsEvents=payments-events-$RUN" >"$WORK/$1.log" 2>&1 </dev/null &
  pids+=($!)
}
start_host orders-1 orders "$ORDERS_PORT"
start_host orders-2 orders $((ORDERS_PORT + 1))
start_host payments-1 payments "$PAYMENTS_PORT"
cat >"$WORK/prometheus.yml" <<YAML
global: { scrape_interval: 2s }
scrape_configs:
  - job_name: orders
    metrics_path: /orders-api/metrics
    static_configs: [{ targets: ["127.0.0.1:$ORDERS_PORT", "127.0.0.1:$((ORDERS_PORT + 1))"] }]
  - job_name: payments
    metrics_path: /payments-api/metrics
    static_configs: [{ targets: ["127.0.0.1:$PAYMENTS_PORT"] }]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
pids+=($!)

wait_ready() { wait_url "$1" 90 || { log "not ready: $1"; tail -20 "$WORK"/*.log >&2; exit 1; }; }
wait_ready "http://127.0.0.1:$ORDERS_PORT/orders-api/health/ready"
wait_ready "http://127.0.0.1:$((ORDERS_PORT + 1))/orders-api/health/ready"
wait_ready "http://127.0.0.1:$PAYMENTS_PORT/payments-api/health/ready"
wait_ready "http://127.0.0.1:$PROM_PORT/-/ready"
log "topology ready; load for ${SECONDS_OF_LOAD}s"

PAY="http://127.0.0.1:$PAYMENTS_PORT/payments-api"
new_user() { curl -fsS -XPOST "$PAY/accounts"; }
for i in 1 2 3 4; do # a few open streams, on both orders replicas
  user="$(new_user)"
  curl -sN -H "Authorization: Bearer $(jq -r .token <<<"$user")" \
    "http://127.0.0.1:$((ORDERS_PORT + i % 2))/orders-api/orders/stream" >/dev/null 2>&1 &
  pids+=($!)
done
worker() {
  local end=$((SECONDS + SECONDS_OF_LOAD)) n=0
  while [ $SECONDS -lt "$end" ]; do
    local user id token
    user="$(new_user)"; id="$(jq -r .userId <<<"$user")"; token="$(jq -r .token <<<"$user")"
    if [ $((RANDOM % 5)) -ne 0 ]; then # one user in five has no money at all
      curl -fsS -o /dev/null -XPOST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{"amount":1500}' "$PAY/accounts/$id/topup"
    fi
    for _ in 1 2 3; do
      n=$((n + 1))
      curl -sS -o /dev/null -XPOST -H "Authorization: Bearer $token" "http://127.0.0.1:$((ORDERS_PORT + n % 2))/orders-api/orders"
    done
  done
}
workers=()
for _ in 1 2 3; do worker & workers+=($!); done
for pid in "${workers[@]}"; do wait "$pid"; done
sleep 6 # two more scrapes after the load, so the panels show it settle

python3 "$ROOT/deploy/observability/render_dashboard.py" --prometheus "http://127.0.0.1:$PROM_PORT" \
  --minutes "$(python3 -c "print(round(($SECONDS_OF_LOAD + 40) / 60, 1))")" --out "$WORK/dashboard.html" \
  --subtitle "Every panel of deploy/observability/grafana/dashboards/shop-overview.json, its PromQL run by Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') over a local run (2 orders + 1 payments replica, 3 checkout workers, 4 open streams), drawn by render_dashboard.py: Grafana cannot be installed here"
mkdir -p "$(dirname "$OUT")"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$WORK/chromium" --hide-scrollbars \
  --window-size=1410,1500 --screenshot="$OUT" "file://$WORK/dashboard.html" >/dev/null 2>&1
log "wrote $OUT"
