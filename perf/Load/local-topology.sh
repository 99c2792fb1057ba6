#!/usr/bin/env bash
# Starts Shop's local topology (scripts/run.sh) for load runs, on databases and topics of its own (perf_orders,
# perf_payments, perf-orders-events, perf-payments-events): it then shares no table, topic or consumer group with
# another run.sh on the same shared servers. Account creation is not rate limited. Other arguments go to run.sh, e.g.
#   perf/Load/local-topology.sh --port 8280 --orders-port 5121 --payments-port 5221
# or, with --one-process PORT, both modules in one Host process (role orders,payments; Release build) without a gateway:
#   perf/Load/local-topology.sh --one-process 8284
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${SHOP_DATA_DIR:-$ROOT/.local}"
PREFIX="${SHOP_LOAD_PREFIX:-perf}"
# Each host process keeps at most this many connections: the server is shared, and two cores gain nothing from more.
POOL="${SHOP_LOAD_POOL:-25}"
# How the hosts reach PostgreSQL: over TCP (127.0.0.1), or through its Unix socket, given as its directory ($DATA/postgres/run).
PG_HOST="${SHOP_LOAD_PG_HOST:-127.0.0.1}"
log() { printf '[local-topology] %s\n' "$*" >&2; }
. "$ROOT/scripts/lib.sh"
"$ROOT/scripts/servers.sh" start >/dev/null

admin=(psql -X -q -v ON_ERROR_STOP=1 "host=127.0.0.1 port=15432 dbname=postgres user=postgres password=postgres")
for module in orders payments; do
  db="${PREFIX}_${module}"
  if [ -z "$("${admin[@]}" -Atc "select 1 from pg_database where datname = '$db'")" ]; then
    "${admin[@]}" -c "create database $db owner $module"
  fi
done

kafka_topics 12 "$PREFIX-orders-events" "$PREFIX-payments-events"

export ConnectionStrings__Orders="Host=$PG_HOST;Port=15432;Database=${PREFIX}_orders;Username=orders;Password=orders_dev_password;Maximum Pool Size=$POOL"
export ConnectionStrings__Payments="Host=$PG_HOST;Port=15432;Database=${PREFIX}_payments;Username=payments;Password=payments_dev_password;Maximum Pool Size=$POOL"
export Topics__OrdersEvents="$PREFIX-orders-events" Topics__PaymentsEvents="$PREFIX-payments-events"
export RateLimiting__AccountCreation__PermitLimit="${RateLimiting__AccountCreation__PermitLimit:-100000000}"
if [ "${1:-}" = --one-process ]; then
  servers_env
  shop_host "$ROOT/Host/bin/Release/net10.0" orders,payments "$2"
fi
exec "$ROOT/scripts/run.sh" "$@"
