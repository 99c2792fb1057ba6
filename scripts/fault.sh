#!/usr/bin/env bash
# The fault scenario (tools/Shop.Fault): the whole topology with servers of its own, a checkout load through the gateway
# while replicas are killed -9, paused and partitioned and the servers restart, then the invariants (tools/Shop.Check).
# The tool starts and injures the topology through the AppHost's orchestrator; this script installs and builds.
#
#   scripts/fault.sh [--orders N] [--rate R] [--users U] [--rounds K] [--settle SECONDS] [--keep-servers]
#                    [--configuration Release|Debug] [--no-build] [--soak MINUTES] [--data DIR]
#     defaults: the full scenario, 5000 orders at 20/s and fault rounds until the load ends;
#     CI runs the bounded one: --orders 600 --rate 4 --rounds 1 (one fault of each kind, while the load runs).
#     --soak MINUTES: mixed load for that long with every fault but kill -9; resources must stay flat.
#     The tool's own --help says more.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIGURATION=Release BUILD=1 args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --configuration) CONFIGURATION=$2; args+=("$1" "$2"); shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

log() { printf '[fault %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
if [ "$BUILD" = 1 ]; then
  "$ROOT/scripts/install.sh"
  log "building the host and the tools ($CONFIGURATION)"
  for project in Host/Host.csproj tools/Shop.Fault tools/Shop.Check; do
    out=$(dotnet build "$ROOT/$project" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly 2>&1) \
      || { printf '%s\n' "$out" >&2; log "building $project failed"; exit 1; }
  done
fi

# Ctrl-C (or kill -INT) reaches the tool even when this shell was started in the background, and stops the topology.
exec env --default-signal=INT dotnet "$ROOT/tools/Shop.Fault/bin/$CONFIGURATION/net10.0/Shop.Fault.dll" "${args[@]}"
