#!/usr/bin/env bash
# The fault scenario: a checkout load through the gateway (tools/Shop.Fault) while replicas are killed -9 and
# restarted, Kafka and PostgreSQL restart and Redis stops for 15 s; then every order must be terminal, every
# invariant must hold (tools/Shop.Check) and every SSE client's final view must equal the database.
# It runs on a private server set (never the shared one): its data is reset at the start.
#
#   scripts/fault.sh [--orders N] [--rate R] [--users U] [--rounds K] [--settle SECONDS] [--keep-servers]
#                    [--configuration Release|Debug] [--no-build]
#     defaults: the full scenario, 5000 orders at 20/s and fault rounds until the load ends;
#     CI runs the bounded one: --orders 600 --rate 4 --rounds 1 (one fault of each kind, while the load runs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib.sh"
ORDERS=5000 RATE=20 USERS=100 ROUNDS=0 SETTLE=240 KEEP_SERVERS=0 BUILD=1 CONFIGURATION=Release
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) ORDERS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --keep-servers) KEEP_SERVERS=1; shift ;;
    --configuration) CONFIGURATION=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

export SHOP_DATA_DIR="${SHOP_FAULT_DATA_DIR:-$ROOT/.local-fault}"
SERVERS="$ROOT/scripts/servers.sh"
# Its own servers from an earlier run go first (reset works by data folder, not by port).
"$SERVERS" reset >/dev/null 2>&1

# The ports of the task (PostgreSQL 25432, Redis 26379, ZooKeeper 22181, Kafka 29092, gateway 8480, replicas 5141+
# and 5241+), or the next free ones when another checkout's scenario holds them. Never the shared servers' ports.
free_port() { # first [count]
  local port=$1 n
  while :; do
    for ((n = 0; n < ${2:-1}; n++)); do port_open $((port + n)) && break; done
    [ "$n" = "${2:-1}" ] && { echo "$port"; return; }
    port=$((port + 10))
  done
}
export SHOP_PG_PORT="${SHOP_FAULT_PG_PORT:-$(free_port 25432)}" SHOP_REDIS_PORT="${SHOP_FAULT_REDIS_PORT:-$(free_port 26379)}"
export SHOP_ZK_PORT="${SHOP_FAULT_ZK_PORT:-$(free_port 22181)}" SHOP_KAFKA_PORT="${SHOP_FAULT_KAFKA_PORT:-$(free_port 29092)}"
GATEWAY_PORT="${SHOP_FAULT_GATEWAY_PORT:-$(free_port 8480)}"
ORDERS_PORT="${SHOP_FAULT_ORDERS_PORT:-$(free_port 5141 2)}" PAYMENTS_PORT="${SHOP_FAULT_PAYMENTS_PORT:-$(free_port 5241 2)}"
[ "$SHOP_PG_PORT" != 15432 ] && [ "$SHOP_KAFKA_PORT" != 19092 ] && [ "$SHOP_REDIS_PORT" != 16379 ] \
  || { echo "fault.sh restarts its servers: never point it at the shared ones" >&2; exit 2; }

log() { printf '[fault %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# One log folder for run.sh's replicas and the ones restarted here.
export SHOP_RUN_LOGS="${SHOP_RUN_LOGS:-$SHOP_DATA_DIR/logs/run}"
LOGS="$SHOP_RUN_LOGS" OUT="$SHOP_DATA_DIR/fault"
BIN="$ROOT/Host/bin/$CONFIGURATION/net10.0"
TOOLS=(tools/Shop.Fault tools/Shop.Check)

run_pid="" driver_pid="" restarted=()
cleanup() {
  set +e
  [ -n "$driver_pid" ] && kill -TERM "$driver_pid" 2>/dev/null
  for pid in "${restarted[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  if [ -n "$run_pid" ]; then kill -TERM "$run_pid" 2>/dev/null; wait "$run_pid" 2>/dev/null; fi
  for pid in "${restarted[@]}"; do
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  [ "$KEEP_SERVERS" = 1 ] || "$SERVERS" stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "private servers in $SHOP_DATA_DIR (PostgreSQL $SHOP_PG_PORT, Redis $SHOP_REDIS_PORT, Kafka $SHOP_KAFKA_PORT), fresh data"
"$SERVERS" start >/dev/null
eval "$("$SERVERS" env)"
mkdir -p "$OUT" "$LOGS"

if [ "$BUILD" = 1 ]; then
  log "building the host and the tools ($CONFIGURATION)"
  dotnet build "$ROOT/Host/Host.csproj" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >/dev/null
  for tool in "${TOOLS[@]}"; do dotnet build "$ROOT/$tool" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >/dev/null; done
fi

# Tests and loads create many accounts: the account-creation rate limit is raised for this run.
export RateLimiting__AccountCreation__PermitLimit=1000000
"$ROOT/scripts/run.sh" --orders 2 --payments 2 --port "$GATEWAY_PORT" --orders-port "$ORDERS_PORT" \
  --payments-port "$PAYMENTS_PORT" --configuration "$CONFIGURATION" --no-build >"$OUT/run.log" 2>&1 &
run_pid=$!
deadline=$((SECONDS + 240))
until grep -q "Shop is ready" "$OUT/run.log"; do
  kill -0 "$run_pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { cat "$OUT/run.log" >&2; log "the system did not start"; exit 1; }
  sleep 0.5
done
log "system ready: 2 orders, 2 payments replicas behind http://127.0.0.1:$GATEWAY_PORT"

# ---------- faults ----------
replica_port() { if [ "$1" = orders ]; then echo $((ORDERS_PORT + $2 - 1)); else echo $((PAYMENTS_PORT + $2 - 1)); fi; }
pid_on_port() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2; }
kill_replica() { # role
  local i=$((RANDOM % 2 + 1)) port pid
  port=$(replica_port "$1" "$i"); pid=$(pid_on_port "$port")
  [ -n "$pid" ] || { log "no $1-$i on port $port"; return 1; }
  log "FAULT kill -9 $1-$i (pid $pid)"
  kill -KILL "$pid"
  sleep 2
  shop_host "$BIN" "$1" "$port" >>"$LOGS/$1-$i.log" 2>&1 </dev/null &
  restarted+=($!); disown $!
  wait_url "http://127.0.0.1:$port/$1-api/health/ready" 90 || { log "$1-$i did not come back"; return 1; }
  log "  $1-$i restarted and ready"
}
restart_server() { # name [seconds down]
  if [ -n "${2:-}" ]; then log "FAULT stop $1 for $2 s"; else log "FAULT restart $1"; fi
  "$SERVERS" stop "$1" >/dev/null
  sleep "${2:-2}"
  "$SERVERS" start "$1" >/dev/null
  log "  $1 back"
}
progress() { local n; n=$(cat "$OUT/progress" 2>/dev/null || true); [[ "$n" =~ ^[0-9]+$ ]] && echo "$n" || echo 0; }
driver_running() { kill -0 "$driver_pid" 2>/dev/null && [ "$(progress)" -lt "$ORDERS" ]; }

log "load: $ORDERS orders at $RATE/s by $USERS users, 20 of them watching on two SSE streams each"
rm -f "$OUT/progress"
dotnet "$ROOT/tools/Shop.Fault/bin/$CONFIGURATION/net10.0/Shop.Fault.dll" --gateway "http://127.0.0.1:$GATEWAY_PORT" \
  --orders-db "$ConnectionStrings__Orders" --orders "$ORDERS" --rate "$RATE" --users "$USERS" --settle "$SETTLE" \
  --progress "$OUT/progress" > >(tee "$OUT/driver.log") 2>&1 &
driver_pid=$!
until [ "$(progress)" -gt 0 ] || ! kill -0 "$driver_pid" 2>/dev/null; do sleep 0.5; done

faults=0 round=0
while driver_running && { [ "$ROUNDS" = 0 ] || [ "$round" -lt "$ROUNDS" ]; }; do
  round=$((round + 1))
  for fault in "kill_replica orders" "kill_replica payments" "restart_server kafka" "restart_server postgres" "restart_server redis 15"; do
    { [ "$round" = 1 ] || driver_running; } || break
    $fault; faults=$((faults + 1))
    sleep 3
  done
done
log "$faults fault(s) injected in $round round(s); placed $(progress) orders so far"

driver_rc=0; wait "$driver_pid" || driver_rc=$?
driver_pid=""

log "checking invariants"
check_rc=1 deadline=$((SECONDS + 60))
while :; do
  check_rc=0
  dotnet "$ROOT/tools/Shop.Check/bin/$CONFIGURATION/net10.0/Shop.Check.dll" >"$OUT/check.log" 2>&1 || check_rc=$?
  [ "$check_rc" = 0 ] || [ $SECONDS -ge $deadline ] && break
  sleep 2
done
cat "$OUT/check.log"

summary="$faults faults, $(grep -o 'placed [0-9]* orders in [0-9]* s[^,]*' "$OUT/driver.log" | head -n 1)"
if [ "$driver_rc" = 0 ] && [ "$check_rc" = 0 ]; then
  log "FAULT SCENARIO PASSED ($summary)"
else
  log "FAULT SCENARIO FAILED (driver exit $driver_rc, checker exit $check_rc; logs in $OUT and $LOGS)"
  exit 1
fi
