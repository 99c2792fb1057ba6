#!/usr/bin/env bash
# What PostgreSQL does per checkout, while a checkout run is going on a target on databases of its own (the AppHost's
# --prefix): counts every statement for a few seconds (pg_stat_statements, which the AppHost's PostgreSQL loads) and
# prints each statement's count per placed order, with the transactions committed per placed order over the same seconds.
#   perf/Load/statements.sh [SECONDS] [DATABASE PREFIX] [DATA FOLDER]      e.g. perf/Load/statements.sh 4 perf
# DATA FOLDER is the servers' AppHost --data (default .local; perf/bench.sh's is .local/bench-servers): PostgreSQL's
# port is read from its postmaster.pid there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WINDOW="${1:-4}"
PREFIX="${2:-perf}"
PID_FILE="$(realpath -m "$ROOT/${3:-.local}")/postgres/data/postmaster.pid"
[ -r "$PID_FILE" ] || { echo "no PostgreSQL of the AppHost's is running on data in ${3:-.local} (no $PID_FILE)" >&2; exit 1; }
admin=(psql -X -q -At "host=127.0.0.1 port=$(sed -n 4p "$PID_FILE") dbname=postgres user=postgres password=postgres")
commits() { "${admin[@]}" -c "select coalesce(sum(xact_commit), 0) from pg_stat_database where datname like '${PREFIX}\_%'"; }

PGOPTIONS='--client-min-messages=warning' "${admin[@]}" -c "create extension if not exists pg_stat_statements"
before=$(commits)
"${admin[@]}" -c "select pg_stat_statements_reset()" >/dev/null
sleep "$WINDOW" # the sampling window, not a wait for something to happen
# One line per statement: "calls|database|text".
statements="$("${admin[@]}" -F '|' -c "select s.calls, d.datname, left(regexp_replace(s.query, '\s+', ' ', 'g'), 110)
  from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname like '${PREFIX}\_%' and s.calls > 0")"
after=$(commits)

orders=$(awk -F '|' -v db="${PREFIX}_orders" '$2 == db && $3 ~ /^insert into orders / { n += $1 } END { print n + 0 }' <<<"$statements")
if [ "$orders" -eq 0 ]; then
  echo "no order was placed on ${PREFIX}_orders in ${WINDOW} s: is a checkout run going?" >&2
  exit 1
fi

echo "orders placed while counting: $orders; statements per order: $(awk -F '|' -v n="$orders" '{ s += $1 } END { printf "%.1f", s / n }' <<<"$statements")"
echo "transactions committed per order (both databases, the counting seconds and the psql calls around them): $(awk -v d="$((after - before))" -v n="$orders" 'BEGIN { printf "%.1f", d / n }')"
echo
echo "| per order | database | statement |"
echo "|---:|---|---|"
sort -t '|' -k1,1 -rn <<<"$statements" |
  awk -F '|' -v n="$orders" '{
    text = substr($0, length($1) + length($2) + 3); gsub(/\|/, "\\|", text)
    printf "| %.2f | %s | `%s` |\n", $1 / n, $2, text
  }'
