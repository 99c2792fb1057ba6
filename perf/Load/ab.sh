#!/usr/bin/env bash
# A/B of two builds, side by side: runs of the checkout scenario alternate between two running topologies, and the
# summary gives each one's median over the rounds of throughput, create → paid p50/p99 and CPU ms per checkout by
# process group. Each side is NAME=URL=ROOT, ROOT being the checkout whose Host/bin/Release build that topology runs.
#   perf/Load/ab.sh after=http://127.0.0.1:8282/=/work/main before=http://127.0.0.1:8283/=/work/before \
#     [--rate 100] [--rounds 3] [--duration 30] [--warmup 20]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RATE=100 ROUNDS=3 DURATION=30 WARMUP=20 SIDES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    *=*=*) SIDES+=("$1"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ ${#SIDES[@]} -eq 2 ] || { echo "usage: $0 NAME=URL=ROOT NAME=URL=ROOT [--rate N] [--rounds N] [--duration S] [--warmup S]" >&2; exit 2; }

LOAD=(dotnet "$ROOT/perf/Load/bin/Release/net10.0/Shop.Load.dll")
[ -f "${LOAD[1]}" ] || dotnet build "$ROOT/perf/Load" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
CPU=(--cpu "postgres=postgres: " --cpu "kafka=kafka.Kafka" --cpu "redis=redis-server")
for side in "${SIDES[@]}"; do
  name="${side%%=*}" root="${side##*=}"
  for role in orders payments gateway; do
    CPU+=(--cpu "$name $role=$root/Host/bin/Release/net10.0/Shop.Host.dll --role $role")
  done
done

OUT="$ROOT/perf/Load/results/$(date -u +%Y%m%d-%H%M%S)-ab"
mkdir -p "$OUT"
target() { echo "${1%=*}"; }  # NAME=URL
for side in "${SIDES[@]}"; do
  "${LOAD[@]}" run --target "$(target "$side")" --rate "$RATE" --duration "$WARMUP" --warmup 0 --out "$OUT/warm-up" "${CPU[@]}" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for side in "${SIDES[@]}"; do
    "${LOAD[@]}" run --target "$(target "$side")" --rate "$RATE" --duration "$DURATION" --warmup 5 --out "$OUT/round-$round" "${CPU[@]}" >/dev/null
  done
done

# One line per report: name, then key=value pairs; the medians follow.
for report in "$OUT"/round-*/*/report.md; do
  name=$(head -n 1 "$report" | sed -E 's/.* against ([^ ]+) .*/\1/')
  awk -v name="$name" -F'|' '
    /^- iterations completed/ { match($0, /throughput [0-9.]+/); printf "%s throughput=%s", name, substr($0, RSTART + 11, RLENGTH - 11) }
    /^\| create → paid \|/ { gsub(/ /, "", $4); gsub(/ /, "", $6); printf " p50=%s p99=%s", $4, $6 }
    /^## CPU by process group/ { cpu = 1 }
    cpu && /^\| [a-z]/ && $2 !~ /process group/ { g = $2; gsub(/^ +| +$/, "", g); gsub(/ /, "_", g); v = $5; gsub(/ /, "", v); printf " %s=%s", g, v }
    /^Over / { cpu = 0 }
    END { print "" }' "$report"
done >"$OUT/rounds.txt"

{
  echo "# A/B at $RATE checkouts/s: $ROUNDS rounds of $DURATION s, alternating ($(date -u '+%Y-%m-%d %H:%M') UTC)"
  echo
  echo "Medians over the rounds; CPU in ms per completed checkout. Raw lines: rounds.txt; reports: round-*/."
  echo
  awk -v order="${SIDES[0]%%=*} ${SIDES[1]%%=*}" '
    { side = $1; for (i = 2; i <= NF; i++) { split($i, kv, "="); if (!(kv[1] in seen)) { seen[kv[1]] = 1; keys[++nk] = kv[1] } vals[side, kv[1], ++n[side, kv[1]]] = kv[2] } }
    function median(side, k,   m, i, j, t, a) {
      m = n[side, k]; if (m == 0) return "";
      for (i = 1; i <= m; i++) a[i] = vals[side, k, i] + 0;
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    END {
      split(order, sides, " ");
      printf "| measure | %s | %s |\n|---|---:|---:|\n", sides[1], sides[2];
      for (i = 1; i <= nk; i++) printf "| %s | %s | %s |\n", keys[i], median(sides[1], keys[i]), median(sides[2], keys[i])
    }' "$OUT/rounds.txt"
} >"$OUT/ab.md"
cat "$OUT/ab.md"
