#!/usr/bin/env bash
# What PostgreSQL does per checkout, while a checkout run is going on a target of local-topology.sh: logs every
# statement for a few seconds (log_min_duration_statement = 0, reset afterwards) and prints each statement's count per
# placed order, with the transactions committed per placed order over the same seconds.
#   perf/Load/statements.sh [SECONDS] [DATABASE PREFIX]      e.g. perf/Load/statements.sh 4 perfsingle
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${SHOP_DATA_DIR:-$ROOT/.local}"
WINDOW="${1:-4}"
PREFIX="${2:-perf}"
LOG="$DATA/postgres/logs/postgres.log"
admin=(psql -X -q -At "host=127.0.0.1 port=${SHOP_PG_PORT:-15432} dbname=postgres user=postgres password=postgres")
commits() { "${admin[@]}" -c "select coalesce(sum(xact_commit), 0) from pg_stat_database where datname like '${PREFIX}\_%'"; }
restore() {
  "${admin[@]}" -c "alter system reset log_min_duration_statement" -c "alter system reset log_line_prefix" -c "select pg_reload_conf()" >/dev/null
}

first=$(($(wc -l <"$LOG") + 1))
before=$(commits)
trap restore EXIT
"${admin[@]}" -c "alter system set log_min_duration_statement = 0" -c "alter system set log_line_prefix = '%d|'" -c "select pg_reload_conf()" >/dev/null
sleep "$WINDOW" # the sampling window, not a wait for something to happen
restore
trap - EXIT
after=$(commits)

# One line per executed statement: "database|text". Extended-protocol parse and bind lines are not executions.
statements="$(tail -n +"$first" "$LOG" |
  sed -nE "s/^(${PREFIX}_[a-z]+)\|LOG:  duration: [0-9.]+ ms  (execute [^:]*|statement): (.*)$/\1|\3/p" | cut -c1-110)"
orders=$(grep -c "|insert into orders " <<<"$statements" || true)
if [ "$orders" -eq 0 ]; then
  echo "no order was placed on ${PREFIX}_orders in ${WINDOW} s: is a checkout run going?" >&2
  exit 1
fi

echo "orders placed while logging: $orders; statements per order: $(awk -v n="$orders" 'END { printf "%.1f", NR / n }' <<<"$statements")"
echo "transactions committed per order (both databases, the logging seconds and the psql calls around them): $(awk -v d="$((after - before))" -v n="$orders" 'BEGIN { printf "%.1f", d / n }')"
echo
echo "| per order | database | statement |"
echo "|---:|---|---|"
sort <<<"$statements" | uniq -c | sort -rn |
  awk -v n="$orders" '{
    count = $1; $1 = ""; line = substr($0, 2); bar = index(line, "|")
    text = substr(line, bar + 1); gsub(/\|/, "\\|", text)
    printf "| %.2f | %s | `%s` |\n", count / n, substr(line, 1, bar - 1), text
  }'
