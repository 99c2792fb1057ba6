#!/usr/bin/env bash
# Renders the Grafana dashboard with live data from a local topology, without Docker or Grafana (neither can run
# on the build machines): 2 orders + 1 payments replica on scratch databases and topics of their own, Debian's
# Prometheus scraping them every 2 s, a checkout load with some unaffordable orders and a few open SSE streams,
# then deploy/observability/render_dashboard.py draws every panel of the dashboard (same PromQL) and headless
# Chromium takes the picture. The topology is the AppHost's (scripts/run.sh), with servers of its own on free ports.
#
#   scripts/dashboard-snapshot.sh [--seconds N] [--configuration Debug|Release] [--out docs/images/dashboard.png]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_OF_LOAD=150 CONFIGURATION=Debug OUT="$ROOT/docs/images/dashboard.png"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_OF_LOAD=$2; shift 2 ;;
    --configuration) CONFIGURATION=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
log() { printf '[snapshot] %s\n' "$*" >&2; }
. "$ROOT/scripts/lib.sh"
for tool in prometheus chromium jq curl python3; do
  command -v "$tool" >/dev/null || { log "$tool is missing (apt-get install prometheus chromium jq curl)"; exit 1; }
done

WORK="$(mktemp -d /tmp/shop-snapshot.XXXXXX)"
BASE=$(free_ports 12)
GATEWAY_PORT=$BASE ORDERS_PORT=$((BASE + 1)) PAYMENTS_PORT=$((BASE + 3)) PROM_PORT=$((BASE + 4))

pids=() topology=""
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$topology" ]; then kill -INT "$topology" 2>/dev/null; wait "$topology" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Account creation is not limited: the load creates a user per three orders.
"$ROOT/scripts/run.sh" --configuration "$CONFIGURATION" --data "$WORK/data" --port "$GATEWAY_PORT" --orders-port "$ORDERS_PORT" \
  --payments-port "$PAYMENTS_PORT" --dashboard-port $((BASE + 5)) --Topology:PostgresPort=$((BASE + 7)) \
  --Topology:RedisPort=$((BASE + 8)) --Topology:ZooKeeperPort=$((BASE + 9)) --Topology:KafkaPort=$((BASE + 10)) \
  --Topology:Settings:RateLimiting__AccountCreation__PermitLimit=1000000 >"$WORK/topology.log" 2>&1 &
topology=$!
deadline=$((SECONDS + 300))
until grep -aq "Shop is ready" "$WORK/topology.log"; do
  kill -0 "$topology" 2>/dev/null && [ $SECONDS -lt $deadline ] || { tail -n 30 "$WORK/topology.log" >&2; log "the topology did not start"; exit 1; }
  sleep 0.5
done
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

wait_url "http://127.0.0.1:$PROM_PORT/-/ready" 90 || { log "Prometheus is not ready"; tail -20 "$WORK/prometheus.log" >&2; exit 1; }
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
