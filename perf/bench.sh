#!/usr/bin/env bash
# Every headline figure of docs/benchmarks.md in one run: Shop (this tree), the Wolverine peer and, with --baseline, Shop
# built from an older revision, side by side on the same servers, each on databases and topics of its own.
#
#   perf/bench.sh [--baseline GIT_REV] [--rounds N] [--quick] [--out DIR] [-- more options of the bench verb]
#
# It starts the servers (scripts/servers.sh, installing what is missing), builds this tree in Release (and the baseline
# in a temporary git worktree), starts the targets, waits until they are ready, and runs `perf/Load bench`, which
# measures and writes one report, DIR/<time>-bench/bench.md (DIR: perf/Load/results). Everything it started is
# stopped when it ends, Ctrl-C included. --quick: a smoke run of a few minutes (short runs, 2 rounds, coarse steps).
# Ports: SHOP_BENCH_PORT (8290) for Shop, +1 the peer, +2 the baseline.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SHOP_DATA_DIR="${SHOP_DATA_DIR:-$ROOT/.local}"
DATA="$SHOP_DATA_DIR"
log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
. "$ROOT/scripts/lib.sh"

COMMAND="perf/bench.sh $*"
BASELINE="" ROUNDS="" QUICK="" OUT="$ROOT/perf/Load/results" EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) BASELINE="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --out) OUT="$(realpath -m "$2")"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

PORT="${SHOP_BENCH_PORT:-8290}"
SHOP_PORT=$PORT PEER_PORT=$((PORT + 1)) BASE_PORT=$((PORT + 2))
PG_ADMIN="host=127.0.0.1 port=${SHOP_PG_PORT:-15432} dbname=postgres user=postgres password=postgres"
PEER_DB="Host=127.0.0.1;Port=${SHOP_PG_PORT:-15432};Database=bench_peer;Username=postgres;Password=postgres;Maximum Pool Size=25;Max Auto Prepare=64"
LOGS="$(mktemp -d /tmp/shop-bench-logs.XXXXXX)"
PIDS=() BASE_TREE=""

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  PIDS=()
  if [ -n "$BASE_TREE" ]; then
    git -C "$ROOT" worktree remove --force "$BASE_TREE" 2>/dev/null || rm -rf "$BASE_TREE"
    git -C "$ROOT" worktree prune
  fi
}
trap stop_all EXIT
trap 'log "interrupted"; exit 130' INT TERM

for port in $SHOP_PORT $PEER_PORT $BASE_PORT; do
  port_open "$port" && die "port $port is taken; choose others with SHOP_BENCH_PORT"
done
read -r load _ < /proc/loadavg
log "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores$(awk -v l="$load" 'BEGIN { if (l > 3) print " (busy: the figures will be lower and noisier)" }')"
log "a full run takes about 40 minutes, --quick about 7; the bench verb prints its own estimate when it starts measuring"

"$ROOT/scripts/servers.sh" start
log "building this tree in Release (Host, perf/Load, perf/Wolverine.Peer)"
for project in Host/Host.csproj perf/Load/Load.csproj perf/Wolverine.Peer/Wolverine.Peer.csproj; do
  dotnet build -c Release -nologo -v q "$ROOT/$project" >"$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log" >&2; die "build of $project failed"; }
done
if [ -n "$BASELINE" ]; then
  BASE_TREE="$(mktemp -d /tmp/shop-bench-baseline.XXXXXX)"
  log "baseline: $BASELINE in $BASE_TREE, built in Release"
  git -C "$ROOT" worktree add --detach --force "$BASE_TREE" "$BASELINE" >/dev/null 2>&1 || die "git worktree add $BASELINE failed"
  grep -q -- '--one-process' "$BASE_TREE/perf/Load/local-topology.sh" 2>/dev/null ||
    die "$BASELINE has no perf/Load/local-topology.sh --one-process to start it with"
  dotnet build -c Release -nologo -v q "$BASE_TREE/Host/Host.csproj" >"$LOGS/build-baseline.log" 2>&1 ||
    { cat "$LOGS/build-baseline.log" >&2; die "build of the baseline failed"; }
fi

# Fresh databases for every run: earlier runs' rows would make the tables, and so the figures, drift.
for db in bench_orders bench_payments benchbase_orders benchbase_payments bench_peer; do
  PGOPTIONS='--client-min-messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$PG_ADMIN" -c "drop database if exists $db with (force)" >/dev/null
done
kafka_topics 12 bench-peer-orders-events bench-peer-payments-events

log "starting Shop on $SHOP_PORT, the peer on $PEER_PORT${BASELINE:+, the baseline on $BASE_PORT} (logs in $LOGS)"
SHOP_LOAD_PREFIX=bench "$ROOT/perf/Load/local-topology.sh" --one-process "$SHOP_PORT" >"$LOGS/shop.log" 2>&1 &
PIDS+=($!)
dotnet "$ROOT/perf/Wolverine.Peer/bin/Release/net10.0/Shop.Wolverine.Peer.dll" --urls "http://127.0.0.1:$PEER_PORT" --hop kafka-raw \
  --topics bench-peer --db "$PEER_DB" --kafka "127.0.0.1:${SHOP_KAFKA_PORT:-19092}" >"$LOGS/peer.log" 2>&1 &
PIDS+=($!)
if [ -n "$BASELINE" ]; then
  SHOP_LOAD_PREFIX=benchbase "$BASE_TREE/perf/Load/local-topology.sh" --one-process "$BASE_PORT" >"$LOGS/baseline.log" 2>&1 &
  PIDS+=($!)
fi

ready() { # name URL
  wait_url "$2" 180 || { tail -n 30 "$LOGS/$1.log" >&2; die "$1 was not ready within 180 s ($2)"; }
}
ready shop "http://127.0.0.1:$SHOP_PORT/orders-api/health/ready"
ready shop "http://127.0.0.1:$SHOP_PORT/payments-api/health/ready"
ready peer "http://127.0.0.1:$PEER_PORT/health"
if [ -n "$BASELINE" ]; then
  ready baseline "http://127.0.0.1:$BASE_PORT/orders-api/health/ready"
  ready baseline "http://127.0.0.1:$BASE_PORT/payments-api/health/ready"
fi
log "all ready"

args=(bench --shop "http://127.0.0.1:$SHOP_PORT/" --peer "http://127.0.0.1:$PEER_PORT/" --builds "shop=$ROOT" --out "$OUT" --command "$COMMAND")
[ -z "$BASELINE" ] || args+=(--baseline "http://127.0.0.1:$BASE_PORT/" --builds "baseline=$BASE_TREE")
[ -z "$QUICK" ] || args+=(--duration 5 --warmup 2 --step-duration 5 --settle 5 --start 100 --step 150 --stream-connections 500 --stream-rate 50 --stream-duration 5)
args+=(--rounds "${ROUNDS:-$([ -n "$QUICK" ] && echo 2 || echo 3)}")
cd "$ROOT"
# In the background, so that a signal to this script runs its trap at once (which stops the runner too).
dotnet "$ROOT/perf/Load/bin/Release/net10.0/Shop.Load.dll" "${args[@]}" "${EXTRA[@]}" </dev/null &
PIDS+=($!)
wait $!
