#!/usr/bin/env bash
# Every headline figure of docs/benchmarks.md in one run: Shop (this tree), the Wolverine peer and, with --baseline, Shop
# built from an older revision, side by side on the same servers, each on databases and topics of its own.
#
#   perf/bench.sh [--baseline GIT_REV] [--rounds N] [--quick] [--shared-servers] [--out DIR] [-- more options of the bench verb]
#
# It builds this tree in Release (and the baseline's Host in a temporary git worktree), starts the servers through the
# AppHost (--shape None, fresh in .local/bench-servers, on the topology's ports; --shared-servers: those another
# checkout runs there), Shop and the baseline through the AppHost (--servers Shared --shape OneProcess, prefixes bench
# and benchbase) and the peer, waits until they are ready, and runs `perf/Load bench`, which measures and writes one
# report, DIR/<time>-bench/bench.md (DIR: perf/Load/results). Everything it started is stopped when it ends, Ctrl-C
# included. --quick: a smoke run of a few minutes (short runs, 2 rounds, coarse steps).
# Ports: SHOP_BENCH_PORT (8290) Shop's process, +1 the peer, +2 the baseline's process, +3 to +10 gateways and dashboards.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
. "$ROOT/scripts/lib.sh"

COMMAND="perf/bench.sh $*"
BASELINE="" ROUNDS="" QUICK="" SERVERS=(--data .local/bench-servers) OUT="$ROOT/perf/Load/results" EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) BASELINE="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --shared-servers) SERVERS=(--servers Shared); shift ;;
    --out) OUT="$(realpath -m "$2")"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

PORT="${SHOP_BENCH_PORT:-8290}"
SHOP_PORT=$PORT PEER_PORT=$((PORT + 1)) BASE_PORT=$((PORT + 2))
APPHOST="$ROOT/AppHost/bin/Release/net10.0/Shop.AppHost.dll"
LOGS="$(mktemp -d /tmp/shop-bench-logs.XXXXXX)"
STARTED=() BASE_TREE="" # "pid signal name", in the order started

# Stops the last started first, each until it has exited: the servers, started first, go last. An AppHost stops
# everything it started on SIGINT and returns once its ports are free.
stop_all() {
  local i pid signal name
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    read -r pid signal name <<<"${STARTED[i]}"
    kill "-$signal" "$pid" 2>/dev/null || continue
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "$name did not stop within 60 s: killing it"; kill -KILL "$pid"; }
  done
  STARTED=()
  if [ -n "$BASE_TREE" ]; then
    git -C "$ROOT" worktree remove --force "$BASE_TREE" 2>/dev/null || rm -rf "$BASE_TREE"
    git -C "$ROOT" worktree prune
  fi
}
trap stop_all EXIT
trap 'log "interrupted"; exit 130' INT TERM

# started NAME SIGNAL COMMAND...: runs COMMAND in the background, its output in $LOGS/NAME.log. A background job of a
# script ignores SIGINT; env gives it back, so that an AppHost stops on it.
started() {
  local name=$1 signal=$2; shift 2
  env --default-signal=INT "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  STARTED+=("$! $signal $name")
}

# alive NAME: fails, with the end of its log, if NAME has stopped (an AppHost refuses ports that are taken at once).
alive() {
  local pid
  pid=$(printf '%s\n' "${STARTED[@]}" | awk -v n="$1" '$3 == n { print $1 }')
  kill -0 "$pid" 2>/dev/null || { tail -n 30 "$LOGS/$1.log" >&2; die "$1 stopped (log: $LOGS/$1.log)"; }
}

# ready NAME LINE: until NAME's log has a line starting with LINE; fails if NAME stops first, or after 240 s.
ready() {
  local deadline=$((SECONDS + 240))
  until grep -q "^$2" "$LOGS/$1.log"; do
    alive "$1"
    [ $SECONDS -lt $deadline ] || { tail -n 30 "$LOGS/$1.log" >&2; die "$1 was not ready within 240 s (log: $LOGS/$1.log)"; }
    sleep 0.5
  done
}

for port in $(seq "$PORT" $((PORT + 10))); do
  port_open "$port" && die "port $port is taken; choose others with SHOP_BENCH_PORT"
done
read -r load _ < /proc/loadavg
log "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores$(awk -v l="$load" 'BEGIN { if (l > 3) print " (busy: the figures will be lower and noisier)" }')"
log "a full run takes about 40 minutes, --quick about 7; the bench verb prints its own estimate when it starts measuring"

"$ROOT/scripts/install.sh"
build() { # PROJECT LOG
  dotnet build -c Release -nologo -v q "$1" >"$LOGS/$2" 2>&1 || { cat "$LOGS/$2" >&2; die "build of $1 failed"; }
}
build "$ROOT/AppHost/AppHost.csproj" build-apphost.log
# Fresh servers every run: earlier runs' rows would make the tables, and so the figures, drift. They start while the
# rest builds. Their prefix makes the peer's topics (and two databases it does not use): the broker's auto-creation does
# not answer its subscription (perf/Wolverine.Peer/README.md).
rm -rf "$ROOT/.local/bench-servers"
started servers INT dotnet "$APPHOST" --shape None "${SERVERS[@]}" --prefix benchpeer --dashboard-port $((PORT + 3))
log "building this tree in Release (Host, perf/Load, perf/Wolverine.Peer)"
for project in Host/Host.csproj perf/Load/Load.csproj perf/Wolverine.Peer/Wolverine.Peer.csproj; do
  alive servers
  build "$ROOT/$project" build.log
done
alive servers
if [ -n "$BASELINE" ]; then
  BASE_TREE="$(mktemp -d /tmp/shop-bench-baseline.XXXXXX)"
  log "baseline: $BASELINE in $BASE_TREE, built in Release"
  git -C "$ROOT" worktree add --detach --force "$BASE_TREE" "$BASELINE" >/dev/null 2>&1 || die "git worktree add $BASELINE failed"
  build "$BASE_TREE/Host/Host.csproj" build-baseline.log
fi

ready servers "Servers are ready"
log "$(grep '^Servers are ready' "$LOGS/servers.log")"
# The servers' ports, as the AppHost announced them: "... PostgreSQL 127.0.0.1:PORT, ..."
server_port() { sed -nE "s/^Servers are ready: .*$1 127\.0\.0\.1:([0-9]+).*/\1/p" "$LOGS/servers.log"; }
PG_PORT=$(server_port PostgreSQL) KAFKA_PORT=$(server_port Kafka)
# Shared servers keep the last run's databases: drop them.
for db in bench_orders bench_payments benchbase_orders benchbase_payments bench_peer; do
  PGOPTIONS='--client-min-messages=warning' psql -X -q -v ON_ERROR_STOP=1 -c "drop database if exists $db with (force)" \
    "host=127.0.0.1 port=$PG_PORT dbname=postgres user=postgres password=postgres" >/dev/null
done

# shop NAME PREFIX PORT GATEWAY_PORT [AppHost options]: Shop as one process on PORT, behind its gateway (idle: the runner
# targets the process). 25 connections per host and database, as the peer's pool; no rate limit on account creation;
# no OTLP export (the dashboard's collection would be measured too, and the peer has none).
shop() {
  started "$1" INT dotnet "$APPHOST" --servers Shared --shape OneProcess --prefix "$2" --orders-port "$3" --port "$4" \
    --dashboard-port $(($4 + 1)) --pool-size 25 --Topology:Settings:RateLimiting__AccountCreation__PermitLimit=100000000 \
    --Topology:Settings:OTEL_EXPORTER_OTLP_ENDPOINT= "${@:5}"
}
log "starting Shop on $SHOP_PORT, the peer on $PEER_PORT${BASELINE:+, the baseline on $BASE_PORT} (logs in $LOGS)"
shop shop bench "$SHOP_PORT" $((PORT + 5))
started peer TERM dotnet "$ROOT/perf/Wolverine.Peer/bin/Release/net10.0/Shop.Wolverine.Peer.dll" --urls "http://127.0.0.1:$PEER_PORT" \
  --hop kafka-raw --topics benchpeer --kafka "127.0.0.1:$KAFKA_PORT" \
  --db "Host=127.0.0.1;Port=$PG_PORT;Database=bench_peer;Username=postgres;Password=postgres;Maximum Pool Size=25;Max Auto Prepare=64"
[ -z "$BASELINE" ] || shop baseline benchbase "$BASE_PORT" $((PORT + 8)) --host-build "$BASE_TREE/Host/bin/Release/net10.0"

ready shop "Shop is ready"
wait_url "http://127.0.0.1:$PEER_PORT/health" 180 || { tail -n 30 "$LOGS/peer.log" >&2; die "the peer was not ready within 180 s"; }
[ -z "$BASELINE" ] || ready baseline "Shop is ready"
log "all ready"

args=(bench --shop "http://127.0.0.1:$SHOP_PORT/" --peer "http://127.0.0.1:$PEER_PORT/" --builds "shop=$ROOT" --out "$OUT" --command "$COMMAND")
[ -z "$BASELINE" ] || args+=(--baseline "http://127.0.0.1:$BASE_PORT/" --builds "baseline=$BASE_TREE")
[ -z "$QUICK" ] || args+=(--duration 5 --warmup 2 --step-duration 5 --settle 5 --start 100 --step 150 --stream-connections 500 --stream-rate 50 --stream-duration 5)
args+=(--rounds "${ROUNDS:-$([ -n "$QUICK" ] && echo 2 || echo 3)}")
cd "$ROOT"
# In the background, so that a signal to this script runs its trap at once (which stops the runner too).
dotnet "$ROOT/perf/Load/bin/Release/net10.0/Shop.Load.dll" "${args[@]}" "${EXTRA[@]}" </dev/null &
STARTED+=("$! TERM load")
wait $!
