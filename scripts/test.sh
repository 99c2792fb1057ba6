#!/usr/bin/env bash
# Runs every test suite of Shop against real servers: installs what is missing, starts the local
# servers, builds with warnings as errors, runs each test project in turn and prints a summary.
# Exits non-zero if anything fails. Servers it had to start are stopped again at the end.
#
#   scripts/test.sh [--filter EXPRESSION] [--keep-servers]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILTER="" KEEP_SERVERS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) FILTER=$2; shift 2 ;;
    --keep-servers) KEEP_SERVERS=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '\n[test] %s\n' "$*" >&2; }
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required: https://dot.net" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

started_servers=()
for server in postgres redis kafka; do
  if [[ "$("$ROOT/scripts/servers.sh" status "$server")" == *" down"* ]]; then started_servers+=("$server"); fi
done
stop_servers() {
  if [ "$KEEP_SERVERS" = 0 ] && [ ${#started_servers[@]} -gt 0 ]; then
    "$ROOT/scripts/servers.sh" stop "${started_servers[@]}" || true
  fi
}
trap stop_servers EXIT

log "starting servers"
"$ROOT/scripts/servers.sh" start

log "validating compose.yml"
command -v docker-compose >/dev/null || {
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
  else sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; fi
}
compose_status=passed
# The default (full system, from .env) and each profile on its own must be a valid file.
for profile in "" infra full observability load; do
  args=(-f compose.yml); [ -n "$profile" ] && args+=(--profile "$profile")
  (cd "$ROOT" && COMPOSE_PROFILES="${profile:-full}" docker-compose "${args[@]}" config -q) \
    || { echo "compose.yml is invalid with profile '${profile:-default}'" >&2; compose_status=FAILED; }
done

log "building (warnings are errors)"
dotnet build "$ROOT/Shop.sln" -c Debug -warnaserror -nologo -clp:ErrorsOnly

declare -a summary=("$(printf '%-28s %-7s %s' compose.yml "$compose_status" 'docker-compose config -q, default and each profile')")
failed=0; [ "$compose_status" = passed ] || failed=1
for project in "$ROOT"/tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log "running $name"
  args=(test "$project" --no-build -c Debug --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS"
        --logger "console;verbosity=minimal")
  [ -n "$FILTER" ] && args+=(--filter "$FILTER")
  if dotnet "${args[@]}" 2>&1 | tee "$RESULTS/$name.log"; then status=passed; else status=FAILED; failed=1; fi
  line=$(grep -E '(Passed|Failed)!? +- ' "$RESULTS/$name.log" | tail -n 1 | sed -E 's/^ +//')
  summary+=("$(printf '%-28s %-7s %s' "$name" "$status" "${line:-no summary (did it build?)}")")
done

log "summary"
printf '%s\n' "${summary[@]}"
echo "test results (trx): $RESULTS"
if [ "$failed" != 0 ]; then echo "SOME TESTS FAILED"; exit 1; fi
echo "ALL TESTS PASSED"
