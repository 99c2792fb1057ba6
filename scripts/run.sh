#!/usr/bin/env bash
# Runs the whole of Shop locally, without Docker, as AppHost/ describes it: PostgreSQL, Redis, ZooKeeper and Kafka,
# N orders and M payments replicas (or one process with both) and the gateway serving the web app, under the Aspire
# dashboard. Installs what is missing and builds first. Prints the shop's URL and the dashboard's; Ctrl-C stops it all.
#
#   scripts/run.sh [--orders N] [--payments M] [--shape Replicas|OneProcess] [--port GATEWAY_PORT]
#                  [--orders-port FIRST] [--payments-port FIRST] [--dashboard-port PORT] [--data DIR]
#                  [--configuration Release|Debug] [--no-build] [--servers Own|Shared] [--prefix NAME]
#                  [--host-build DIR (another build's Host output)] [--pool-size N (connections per host and database)]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIGURATION=Release BUILD=1 args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --configuration) CONFIGURATION=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

log() { printf '[run] %s\n' "$*" >&2; }
. "$ROOT/scripts/lib.sh"
"$ROOT/scripts/install.sh"
if [ "$BUILD" = 1 ]; then
  log "building ($CONFIGURATION)"
  for project in AppHost Host; do
    out=$(dotnet build "$ROOT/$project/$project.csproj" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly 2>&1) \
      || { printf '%s\n' "$out" >&2; log "building $project failed"; exit 1; }
  done
  log "building the web app"
  web_node
  (cd "$ROOT/web" && npm run build) >"$ROOT/.local/web-build.log" 2>&1 || { log "web build failed; see .local/web-build.log"; exit 1; }
fi

# Started in the background or with nohup, this shell inherits an ignored SIGINT, which it can neither trap nor pass
# on; the AppHost gets it back, so that Ctrl-C (or kill -INT) stops it and everything it started.
exec env --default-signal=INT dotnet "$ROOT/AppHost/bin/$CONFIGURATION/net10.0/Shop.AppHost.dll" --configuration "$CONFIGURATION" "${args[@]}"
