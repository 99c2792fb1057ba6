#!/usr/bin/env bash
# Runs the whole of Shop locally, without Docker: the servers, N orders replicas, M payments replicas
# and the gateway in front of them. Prints the URL; Ctrl-C (or SIGTERM) stops everything it started.
#
#   scripts/run.sh [--orders N] [--payments M] [--port GATEWAY_PORT]
#                  [--orders-port FIRST] [--payments-port FIRST] [--configuration Release|Debug] [--no-build]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORDERS=2 PAYMENTS=1 GATEWAY_PORT=8080 ORDERS_PORT=5101 PAYMENTS_PORT=5201 CONFIGURATION=Release BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) ORDERS=$2; shift 2 ;;
    --payments) PAYMENTS=$2; shift 2 ;;
    --port) GATEWAY_PORT=$2; shift 2 ;;
    --orders-port) ORDERS_PORT=$2; shift 2 ;;
    --payments-port) PAYMENTS_PORT=$2; shift 2 ;;
    --configuration) CONFIGURATION=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[run] %s\n' "$*" >&2; }
. "$ROOT/scripts/lib.sh"
command -v dotnet >/dev/null || { log "the .NET 10 SDK is required: https://dot.net"; exit 1; }

DATA="${SHOP_DATA_DIR:-$ROOT/.local}"
LOGS="${SHOP_RUN_LOGS:-$DATA/logs/run}"
mkdir -p "$LOGS"

# Stop only the servers this script had to start.
started_servers=()
for server in postgres redis kafka; do
  if [[ "$("$ROOT/scripts/servers.sh" status "$server")" == *" down"* ]]; then started_servers+=("$server"); fi
done
"$ROOT/scripts/servers.sh" start >/dev/null

if [ "$BUILD" = 1 ]; then
  log "building ($CONFIGURATION)"
  dotnet build "$ROOT/Host/Host.csproj" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi
# The SPA the gateway serves; Gateway__SpaRoot in the environment points it elsewhere.
SPA_ROOT="${Gateway__SpaRoot:-$ROOT/web/dist}"
if [ "$BUILD" = 1 ] && [ -f "$ROOT/web/package.json" ]; then
  command -v npm >/dev/null || { log "npm is required to build the web app (web/)"; exit 1; }
  log "building the web app"
  { web_packages && (cd "$ROOT/web" && npm run build); } >"$LOGS/web-build.log" 2>&1 || { log "web build failed; see $LOGS/web-build.log"; exit 1; }
fi
BIN="$ROOT/Host/bin/$CONFIGURATION/net10.0"
[ -f "$BIN/Shop.Host.dll" ] || { log "no build in $BIN (drop --no-build)"; exit 1; }

pids=() names=()
stopping=0
cleanup() {
  [ "$stopping" = 1 ] && return; stopping=1
  log "stopping ${#pids[@]} process(es)"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  local deadline=$((SECONDS + 12))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ ${#started_servers[@]} -gt 0 ]; then "$ROOT/scripts/servers.sh" stop "${started_servers[@]}"; fi
  log "stopped"
}
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

# The hosts talk to the servers servers.sh runs (SHOP_PG_PORT, SHOP_REDIS_PORT, SHOP_KAFKA_PORT pick a private set);
# a setting already in the environment (e.g. another database, as perf/Load/local-topology.sh gives) wins.
servers_env

start_host() { # name role port [extra env...]
  local name=$1 role=$2 port=$3; shift 3
  shop_host "$BIN" "$role" "$port" "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  pids+=($!) names+=("$name")
}

proxy_env=()
for i in $(seq 1 "$ORDERS"); do
  start_host "orders-$i" orders $((ORDERS_PORT + i - 1))
  proxy_env+=("ReverseProxy__Clusters__orders__Destinations__orders-${i}__Address=http://127.0.0.1:$((ORDERS_PORT + i - 1))/")
done
for i in $(seq 1 "$PAYMENTS"); do
  start_host "payments-$i" payments $((PAYMENTS_PORT + i - 1))
  proxy_env+=("ReverseProxy__Clusters__payments__Destinations__payments-${i}__Address=http://127.0.0.1:$((PAYMENTS_PORT + i - 1))/")
done
start_host gateway gateway "$GATEWAY_PORT" "Gateway__SpaRoot=$SPA_ROOT" "${proxy_env[@]}"

exited_host() { # prints the index of a started host that is no longer running
  for idx in "${!pids[@]}"; do
    if ! kill -0 "${pids[$idx]}" 2>/dev/null; then echo "$idx"; return 0; fi
  done
  return 1
}

wait_ready() { # name url [text the answer must contain]
  local deadline=$((SECONDS + 90))
  until curl -fsS "$2" 2>/dev/null | grep -qF -- "${3:-}"; do
    if [ $SECONDS -ge $deadline ]; then log "$1 not ready after 90 s; see $LOGS/$1.log"; exit 1; fi
    if idx=$(exited_host); then # it will not get ready: say so at once, with the errors from its log
      log "${names[$idx]} exited while starting; see $LOGS/${names[$idx]}.log:"
      grep -m 3 -E "Exception|crit:|fail:" "$LOGS/${names[$idx]}.log" >&2 || tail -n 5 "$LOGS/${names[$idx]}.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  log "$1 ready ($2${3:+ answers $3})"
}
for i in $(seq 1 "$ORDERS"); do wait_ready "orders-$i" "http://127.0.0.1:$((ORDERS_PORT + i - 1))/orders-api/health/ready"; done
for i in $(seq 1 "$PAYMENTS"); do wait_ready "payments-$i" "http://127.0.0.1:$((PAYMENTS_PORT + i - 1))/payments-api/health/ready"; done
wait_ready gateway "http://127.0.0.1:$GATEWAY_PORT/health/ready"
# Ready means one replica per cluster; a replica its first probes found starting is back within a probe interval.
wait_ready gateway "http://127.0.0.1:$GATEWAY_PORT/health/ready" '"status":"Healthy"'
wait_ready "orders via gateway" "http://127.0.0.1:$GATEWAY_PORT/orders-api/health/ready"
wait_ready "payments via gateway" "http://127.0.0.1:$GATEWAY_PORT/payments-api/health/ready"

echo "Shop is ready at http://127.0.0.1:$GATEWAY_PORT/ ($ORDERS orders, $PAYMENTS payments replica(s); logs in $LOGS). Ctrl-C stops it."

while true; do
  while idx=$(exited_host); do
    log "${names[$idx]} exited; see $LOGS/${names[$idx]}.log"
    unset 'pids[idx]' 'names[idx]'
  done
  sleep 1 & wait $! || true
done
