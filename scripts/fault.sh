#!/usr/bin/env bash
# The fault scenario: a checkout load through the gateway (tools/Shop.Fault) while replicas are killed -9 and
# restarted, paused past the consumer session timeout and cut off from PostgreSQL and Kafka, Kafka and PostgreSQL
# restart and Redis stops for 15 s; then every order must be terminal, every invariant must hold (tools/Shop.Check)
# and every SSE client's final view must equal the database. Partitions need root, iptables and cgroup v2.
# It runs on a private server set (never the shared one): its data is reset at the start.
#
#   scripts/fault.sh [--orders N] [--rate R] [--users U] [--rounds K] [--settle SECONDS] [--keep-servers]
#                    [--configuration Release|Debug] [--no-build] [--soak MINUTES]
#     defaults: the full scenario, 5000 orders at 20/s and fault rounds until the load ends;
#     CI runs the bounded one: --orders 600 --rate 4 --rounds 1 (one fault of each kind, while the load runs).
#     --soak MINUTES: mixed load for that long (checkouts at --rate, cancels, 10 reads/s, SSE streams) with every
#     fault but kill -9 (so each process lives throughout), retention shortened to minutes; every process's memory
#     and descriptors, the connections and every bookkeeping table must stay flat from the warm-up to the end, and no
#     request may fail outside a fault.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib.sh"
ORDERS=5000 RATE=20 USERS=100 ROUNDS=0 SETTLE=240 KEEP_SERVERS=0 BUILD=1 CONFIGURATION=Release SOAK=0 RATE_SET=0
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) ORDERS=$2; shift 2 ;;
    --rate) RATE=$2; RATE_SET=1; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --keep-servers) KEEP_SERVERS=1; shift ;;
    --configuration) CONFIGURATION=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --soak) SOAK=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$SOAK" != 0 ]; then
  [ "$RATE_SET" = 1 ] || RATE=10
  ORDERS=$((RATE * 60 * SOAK)) ROUNDS=0
  # Retention of minutes, so that the bookkeeping tables reach their steady state early in the run.
  export Messaging__Outbox__Retention=00:02:00 Messaging__Inbox__Retention=00:05:00 Messaging__Cleanup__Interval=00:00:15 \
    Messaging__Inbox__DeadLetterRetention=00:05:00 Retention__IdempotencyKeys=00:05:00 Retention__Interval=00:00:15 \
    Orders__ChangeRetention=00:05:00
fi

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

run_pid="" driver_pid="" restarted=() paused="" cut=()
cleanup() {
  set +e
  [ -n "$paused" ] && kill -CONT "$paused" 2>/dev/null
  [ ${#cut[@]} -gt 0 ] && iptables -D "${cut[@]}" 2>/dev/null
  [ -n "$driver_pid" ] && kill -TERM "$driver_pid" 2>/dev/null
  for pid in "${restarted[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  if [ -n "$run_pid" ]; then kill -TERM "$run_pid" 2>/dev/null; wait "$run_pid" 2>/dev/null; fi
  for pid in "${restarted[@]}"; do
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  [ "$KEEP_SERVERS" = 1 ] || "$SERVERS" stop >/dev/null 2>&1
  [ -n "${SHOP_CGROUP:-}" ] && { rmdir "$SHOP_CGROUP"/*/ 2>/dev/null; rmdir "$SHOP_CGROUP" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A partition cuts one replica off from PostgreSQL and Kafka while it keeps running: each replica runs in a cgroup of
# its own (scripts/lib.sh), and iptables drops whatever that cgroup sends to the two servers' ports.
CGROUP_NAME="shop-fault-$$" partition_error=""
cgroup_root=$(findmnt -t cgroup2 -n -o TARGET 2>/dev/null | head -n 1 || true)
if [ -z "$cgroup_root" ]; then
  partition_error="no cgroup v2 hierarchy is mounted"
elif ! command -v iptables >/dev/null; then
  partition_error="iptables is not installed"
elif ! partition_error=$(mkdir -p "$cgroup_root/$CGROUP_NAME" 2>&1 \
    && iptables -A OUTPUT -m cgroup --path "$CGROUP_NAME" -p tcp --dport "$SHOP_PG_PORT" -j DROP 2>&1 \
    && iptables -D OUTPUT -m cgroup --path "$CGROUP_NAME" -p tcp --dport "$SHOP_PG_PORT" -j DROP 2>&1); then
  rmdir "$cgroup_root/$CGROUP_NAME" 2>/dev/null || true
else
  partition_error="" && export SHOP_CGROUP="$cgroup_root/$CGROUP_NAME"
fi
if [ -n "$partition_error" ]; then
  # The full run is the evidence and needs every fault; the bounded one (CI) says loudly what it leaves out.
  [ "$ROUNDS" = 0 ] && { log "cannot partition a replica here: $partition_error"; exit 1; }
  log "WARNING: no partitions in this run, cannot partition a replica here: $partition_error"
fi

log "private servers in $SHOP_DATA_DIR (PostgreSQL $SHOP_PG_PORT, Redis $SHOP_REDIS_PORT, Kafka $SHOP_KAFKA_PORT), fresh data"
"$SERVERS" start >/dev/null
eval "$("$SERVERS" env)"
mkdir -p "$OUT" "$LOGS"

if [ "$BUILD" = 1 ]; then
  log "building the host and the tools ($CONFIGURATION)"
  dotnet build "$ROOT/Host/Host.csproj" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >/dev/null
  for tool in "${TOOLS[@]}"; do dotnet build "$ROOT/$tool" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >/dev/null; done
fi

# Tests and loads create many accounts: the account-creation rate limit is raised for this run. The settings exported
# here go to the replicas the topology starts and to those restarted below alike.
export RateLimiting__AccountCreation__PermitLimit=1000000
settings=()
for name in RateLimiting__AccountCreation__PermitLimit Messaging__Outbox__Retention Messaging__Inbox__Retention \
  Messaging__Cleanup__Interval Messaging__Inbox__DeadLetterRetention Retention__IdempotencyKeys Retention__Interval Orders__ChangeRetention; do
  [ -z "${!name:-}" ] || settings+=("--Topology:Settings:$name=${!name}")
done
"$ROOT/scripts/run.sh" --orders 2 --payments 2 --port "$GATEWAY_PORT" --orders-port "$ORDERS_PORT" \
  --payments-port "$PAYMENTS_PORT" --dashboard-port "$(free_port 18988 2)" --configuration "$CONFIGURATION" --no-build \
  --servers Shared --Topology:PostgresPort="$SHOP_PG_PORT" --Topology:RedisPort="$SHOP_REDIS_PORT" \
  --Topology:KafkaPort="$SHOP_KAFKA_PORT" "${settings[@]}" >"$OUT/run.log" 2>&1 &
run_pid=$!
deadline=$((SECONDS + 240))
until grep -q "Shop is ready" "$OUT/run.log"; do
  kill -0 "$run_pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { cat "$OUT/run.log" >&2; log "the system did not start"; exit 1; }
  sleep 0.5
done
log "system ready: 2 orders, 2 payments replicas behind http://127.0.0.1:$GATEWAY_PORT"

# ---------- faults ----------
replica_port() { if [ "$1" = orders ]; then echo $((ORDERS_PORT + $2 - 1)); else echo $((PAYMENTS_PORT + $2 - 1)); fi; }
# Prints nothing when no process listens there; must not fail then (pipefail), or a caller's assignment ends the run.
pid_on_port() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true; }
# One file per process with its pid, for the soak's sampling; rewritten after every fault.
PIDS="$OUT/pids"
record_pids() {
  local name port pid
  mkdir -p "$PIDS"
  for name in orders-1 orders-2 payments-1 payments-2 gateway; do
    case $name in gateway) port=$GATEWAY_PORT ;; *) port=$(replica_port "${name%-*}" "${name#*-}") ;; esac
    pid=$(pid_on_port "$port"); [ -n "$pid" ] && echo "$pid" >"$PIDS/$name"
  done
  head -n 1 "$SHOP_DATA_DIR/postgres/data/postmaster.pid" >"$PIDS/postgres" 2>/dev/null || true
  cp "$SHOP_DATA_DIR/redis/redis.pid" "$PIDS/redis" 2>/dev/null || true
  cp "$SHOP_DATA_DIR/kafka/kafka.pid" "$PIDS/kafka" 2>/dev/null || true
  cp "$SHOP_DATA_DIR/kafka/zk.pid" "$PIDS/zookeeper" 2>/dev/null || true
}
record_pids

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
pause_replica() { # role seconds: SIGSTOP past the consumer session timeout (10 s), so its partitions move meanwhile
  local i=$((RANDOM % 2 + 1)) port pid
  port=$(replica_port "$1" "$i"); pid=$(pid_on_port "$port")
  [ -n "$pid" ] || { log "no $1-$i on port $port"; return 1; }
  log "FAULT pause $1-$i (pid $pid) for $2 s"
  kill -STOP "$pid"; paused=$pid
  sleep "$2"
  kill -CONT "$pid"; paused=""
  wait_url "http://127.0.0.1:$port/$1-api/health/ready" 90 || { log "$1-$i did not recover"; return 1; }
  log "  $1-$i resumed and ready"
}
partition_replica() { # role seconds: the replica keeps running, cut off from PostgreSQL and Kafka
  local i=$((RANDOM % 2 + 1)) port pid
  port=$(replica_port "$1" "$i") pid=$(pid_on_port "$port")
  [ -n "$pid" ] || { log "no $1-$i on port $port"; return 1; }
  # The orchestrator started it: it joins a cgroup of its own now (a replica restarted here is in one already).
  mkdir -p "$SHOP_CGROUP/$1-$port" && echo "$pid" >"$SHOP_CGROUP/$1-$port/cgroup.procs"
  cut=(OUTPUT -m cgroup --path "$CGROUP_NAME/$1-$port" -p tcp -m multiport --dports "$SHOP_PG_PORT,$SHOP_KAFKA_PORT" -j DROP)
  log "FAULT partition $1-$i from PostgreSQL and Kafka for $2 s"
  iptables -I "${cut[@]}"
  sleep "$2"
  iptables -D "${cut[@]}"; cut=()
  wait_url "http://127.0.0.1:$port/$1-api/health/ready" 90 || { log "$1-$i did not recover"; return 1; }
  log "  $1-$i healed and ready"
}
restart_server() { # name [seconds down]
  if [ -n "${2:-}" ]; then log "FAULT stop $1 for $2 s"; else log "FAULT restart $1"; fi
  "$SERVERS" stop "$1" >/dev/null
  sleep "${2:-2}"
  "$SERVERS" start "$1" >/dev/null
  log "  $1 back"
}
progress() { local n; n=$(cat "$OUT/progress" 2>/dev/null || true); [[ "$n" =~ ^[0-9]+$ ]] && echo "$n" || echo 0; }
driver_running() { kill -0 "$driver_pid" 2>/dev/null && [ ! -f "$OUT/progress.done" ] && [ "$(progress)" -lt "$ORDERS" ]; }

log "load: $ORDERS orders at $RATE/s by $USERS users, 20 of them watching on two SSE streams each"
rm -f "$OUT/progress" "$OUT/progress.done" "$OUT/faults.tsv" "$OUT/faults.tsv.done"
soak_args=()
if [ "$SOAK" != 0 ]; then
  warm=$((SOAK * 60 / 3)); [ "$warm" -ge 360 ] || warm=360 # past the longest retention (5 min) and a cleanup
  soak_args=(--browse-rate 10 --pids "$PIDS" --payments-db "$ConnectionStrings__Payments" --warm "$warm"
             --faults "$OUT/faults.tsv" --report "$OUT/soak.md")
  log "soak: $SOAK min, 10 reads/s besides the checkouts; resources must stay flat from minute $((warm / 60)) to the end"
fi
dotnet "$ROOT/tools/Shop.Fault/bin/$CONFIGURATION/net10.0/Shop.Fault.dll" --gateway "http://127.0.0.1:$GATEWAY_PORT" \
  --orders-db "$ConnectionStrings__Orders" --orders "$ORDERS" --rate "$RATE" --users "$USERS" --settle "$SETTLE" \
  --progress "$OUT/progress" "${soak_args[@]}" > >(tee "$OUT/driver.log") 2>&1 &
driver_pid=$!
until [ "$(progress)" -gt 0 ] || ! kill -0 "$driver_pid" 2>/dev/null; do sleep 0.5; done

FAULTS=()
[ "$SOAK" != 0 ] || FAULTS+=("kill_replica orders" "kill_replica payments")
FAULTS+=("pause_replica orders 15" "pause_replica payments 15")
[ -n "$partition_error" ] || FAULTS+=("partition_replica orders 20" "partition_replica payments 20")
FAULTS+=("restart_server kafka" "restart_server postgres" "restart_server redis 15")
faults=0 round=0
while driver_running && { [ "$ROUNDS" = 0 ] || [ "$round" -lt "$ROUNDS" ]; }; do
  round=$((round + 1))
  for fault in "${FAULTS[@]}"; do
    { [ "$round" = 1 ] || driver_running; } || break
    started=$(date +%s)
    $fault; faults=$((faults + 1))
    printf '%s\t%s\t%s\n' "$started" "$(date +%s)" "$fault" >>"$OUT/faults.tsv"
    record_pids
    sleep 3
  done
done
touch "$OUT/faults.tsv.done"
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

[ -f "$OUT/soak.md" ] && { log "soak resources (samples in $OUT/soak.tsv):"; cat "$OUT/soak.md"; }
placed=$(grep -o 'placed [0-9]* orders in [0-9]* s[^,]*' "$OUT/driver.log" | head -n 1 || true)
summary="$faults faults, ${placed:-no order count in $OUT/driver.log}"
if [ "$driver_rc" = 0 ] && [ "$check_rc" = 0 ]; then
  log "FAULT SCENARIO PASSED ($summary)"
else
  log "FAULT SCENARIO FAILED (driver exit $driver_rc, checker exit $check_rc; logs in $OUT and $LOGS)"
  exit 1
fi
