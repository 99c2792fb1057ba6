#!/usr/bin/env bash
# Runs every test suite of Shop against real servers: installs what is missing, starts the local
# servers, builds with warnings as errors, runs each test project in turn and prints a summary.
# Exits non-zero if anything fails. Servers it had to start are stopped again at the end.
#
#   scripts/test.sh [--filter EXPRESSION] [--keep-servers]
#   --filter runs every test project with that dotnet test filter (one without a match: "skipped"; none: fails),
#   and skips the scripts', k8s, alert rules, web and fault suites.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILTER="" KEEP_SERVERS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) FILTER=$2; shift 2 ;;
    --keep-servers) KEEP_SERVERS=1; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '\n[test] %s\n' "$*" >&2; }
. "$ROOT/scripts/lib.sh"
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required: https://dot.net" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

# The servers the suites share: AppHost/'s servers alone (PostgreSQL, Redis, ZooKeeper, Kafka), fresh each run in a
# folder of their own, on the topology's ports; stopped at the end unless --keep-servers.
"$ROOT/scripts/install.sh"
SERVERS_DATA="$ROOT/.local/test-servers"
log "starting the servers (AppHost --shape None; log: $RESULTS/servers.log)"
dotnet build "$ROOT/AppHost/AppHost.csproj" -c Debug -nologo -v quiet -clp:ErrorsOnly >"$RESULTS/apphost-build.log" 2>&1 \
  || { cat "$RESULTS/apphost-build.log"; exit 1; }
rm -rf "$SERVERS_DATA"
env --default-signal=INT dotnet "$ROOT/AppHost/bin/Debug/net10.0/Shop.AppHost.dll" --shape None --data "$SERVERS_DATA" \
  >"$RESULTS/servers.log" 2>&1 </dev/null &
SERVERS_PID=$!
stop_servers() {
  if [ "$KEEP_SERVERS" = 1 ]; then log "the servers keep running (pid $SERVERS_PID; kill -INT $SERVERS_PID stops them)"; return; fi
  kill -INT "$SERVERS_PID" 2>/dev/null && wait "$SERVERS_PID" 2>/dev/null || true
}
trap stop_servers EXIT
servers_ready() { grep -q '^Servers are ready' "$RESULTS/servers.log"; }

log "validating compose.yml"
command -v docker-compose >/dev/null || apt_install docker-compose
compose_status=passed
# The default (full system, from .env) and each profile on its own must be a valid file, given the keys it requires
# (placeholders: config only interpolates them); without a signing key it must refuse.
for profile in "" infra full observability load; do
  args=(-f compose.yml); [ -n "$profile" ] && args+=(--profile "$profile")
  (cd "$ROOT" && COMPOSE_PROFILES="${profile:-full}" SHOP_SIGNING_KEY=placeholder SHOP_ADMIN_KEY=placeholder \
    docker-compose "${args[@]}" config -q) \
    || { echo "compose.yml is invalid with profile '${profile:-default}'" >&2; compose_status=FAILED; }
done
(cd "$ROOT" && env -u SHOP_SIGNING_KEY SHOP_ADMIN_KEY=placeholder docker-compose -f compose.yml config -q 2>/dev/null) \
  && { echo "compose.yml starts without SHOP_SIGNING_KEY" >&2; compose_status=FAILED; }

log "building (warnings are errors)"
dotnet build "$ROOT/Shop.sln" -c Debug -warnaserror -nologo -clp:ErrorsOnly

deadline=$((SECONDS + 180))
until servers_ready; do
  if ! kill -0 "$SERVERS_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    tail -n 30 "$RESULTS/servers.log" >&2; echo "the servers did not get ready (see $RESULTS/servers.log)" >&2; exit 1
  fi
  sleep 0.5
done
log "$(grep '^Servers are ready' "$RESULTS/servers.log")"

declare -a summary=("$(printf '%-28s %-7s %s' compose.yml "$compose_status" 'docker-compose config -q, default and each profile')")
failed=0 ran=0; [ "$compose_status" = passed ] || failed=1
for project in "$ROOT"/tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log "running $name"
  args=(test "$project" --no-build -c Debug --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS"
        --logger "console;verbosity=minimal")
  [ -n "$FILTER" ] && args+=(--filter "$FILTER")
  if dotnet "${args[@]}" 2>&1 | tee "$RESULTS/$name.log"; then status=passed; else status=FAILED; failed=1; fi
  # grep finds nothing when no test ran: under pipefail that is a failed assignment, which would end the script.
  line=$(grep -E '(Passed|Failed)!? +- ' "$RESULTS/$name.log" | tail -n 1 | sed -E 's/^ +//' || true)
  if [ -z "$line" ] && [ "$status" = passed ] && grep -q '^No test matches the given testcase filter' "$RESULTS/$name.log"; then
    status=skipped line="no test matches the filter"
  else
    ran=1
  fi
  summary+=("$(printf '%-28s %-7s %s' "$name" "$status" "${line:-no summary (did it build?)}")")
done

if [ -n "$FILTER" ] && [ "$ran" = 0 ]; then
  summary+=("$(printf '%-28s %-7s %s' "--filter" FAILED "no test in any project matches $FILTER")"); failed=1
fi

# --- scripts: test.sh's own logic (bats, tests/scripts/*.bats), with stubs for dotnet and the servers ---
if [ -z "$FILTER" ]; then
  log "running the scripts' tests (bats)"
  command -v bats >/dev/null || apt_install bats
  mkdir -p "$RESULTS/scripts"
  if bats --tap --report-formatter junit --output "$RESULTS/scripts" "$ROOT"/tests/scripts/*.bats 2>&1 | tee "$RESULTS/scripts.log"
  then status=passed; else status=FAILED; failed=1; fi
  passed=$(grep -c '^ok ' "$RESULTS/scripts.log" || true) not_passed=$(grep -c '^not ok ' "$RESULTS/scripts.log" || true)
  summary+=("$(printf '%-28s %-7s %s' scripts "$status" "bats: $passed passed, $not_passed failed")")
fi
# --- end of scripts ---

# --- deployment files (issue 22): k8s/check renders every overlay of k8s/ and validates each object against the
# Kubernetes schemas (vitest); promtool checks the alert rules Prometheus loads and runs their unit tests ---
if [ -z "$FILTER" ]; then
  log "rendering and validating the Kubernetes overlays (k8s/check)"
  if (npm_packages "$ROOT/k8s/check" && cd "$ROOT/k8s/check" && npm test) 2>&1 | tee "$RESULTS/k8s.log"
  then status=passed; else status=FAILED; failed=1; fi
  line=$(sed -E 's/\x1b\[[0-9;]*m//g' "$RESULTS/k8s.log" | grep -E '^ +Tests +[0-9]' | tail -n 1 | sed -E 's/^ +//' || true)
  summary+=("$(printf '%-28s %-7s %s' k8s "$status" "vitest: ${line:-no summary (see k8s.log)}, every overlay rendered and validated")")

  log "checking and testing the Prometheus alert rules (promtool)"
  OBSERVABILITY="$ROOT/deploy/observability"
  if (cd "$OBSERVABILITY" && promtool check config prometheus.yml && promtool check rules alerts.yml) >"$RESULTS/alert-rules.log" 2>&1
  then status=passed; else status=FAILED; failed=1; cat "$RESULTS/alert-rules.log" >&2; fi
  line=$(grep -oE '[0-9]+ rules found' "$RESULTS/alert-rules.log" | tail -n 1 || true)
  summary+=("$(printf '%-28s %-7s %s' alert-rules "$status" "promtool check config + check rules: ${line:-see alert-rules.log}")")
  if (cd "$OBSERVABILITY" && promtool test rules alerts.test.yml) 2>&1 | tee "$RESULTS/alert-tests.log"
  then status=passed; else status=FAILED; failed=1; fi
  line=$(grep -cE '^  - name:' "$OBSERVABILITY/alerts.test.yml" || true)
  summary+=("$(printf '%-28s %-7s %s' alert-tests "$status" "promtool test rules: $line test groups of alerts.test.yml")")
fi
# --- end of deployment files ---

# --- web app (issue 7): unit tests, lint, build, end-to-end tests (with axe-core) in Chromium; see scripts/test-web.sh ---
if [ -z "$FILTER" ]; then
  log "running the web app's tests"
  E2E_RUN_ARGS="--configuration Debug --no-build" "$ROOT/scripts/test-web.sh" "$RESULTS/web-summary.txt" || failed=1
  while IFS= read -r web_line; do summary+=("$web_line"); done <"$RESULTS/web-summary.txt"
fi
# --- end of web app ---

# ---- Fault scenario (issue 9) -------------------------------------------------------------------------------------
# The bounded form of scripts/fault.sh: 600 orders while one replica of each role is killed -9, Kafka and PostgreSQL
# restart and Redis stops for 15 s. It runs on a private server set that it starts and stops itself, never the
# servers above. Skipped with --filter (a subset run) or SHOP_SKIP_FAULT=1.
if [ -z "$FILTER" ] && [ "${SHOP_SKIP_FAULT:-0}" != 1 ]; then
  log "running the bounded fault scenario"
  if "$ROOT/scripts/fault.sh" --orders 600 --rate 4 --rounds 1 --configuration Debug --no-build 2>&1 | tee "$RESULTS/fault-scenario.log"
  then fault_status=passed; else fault_status=FAILED; failed=1; fi
  line=$(grep -o 'FAULT SCENARIO [A-Z]* .*' "$RESULTS/fault-scenario.log" | tail -n 1 || true)
  summary+=("$(printf '%-28s %-7s %s' fault-scenario "$fault_status" "${line:-no summary (see fault-scenario.log)}")")
fi

log "summary"
printf '%s\n' "${summary[@]}"
echo "test results (trx): $RESULTS"
if [ "$failed" != 0 ]; then echo "SOME TESTS FAILED"; exit 1; fi
echo "ALL TESTS PASSED"
