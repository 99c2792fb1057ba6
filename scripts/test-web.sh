#!/usr/bin/env bash
# The web app's tests: installs what is missing (Node 22 from web/.nvmrc, npm packages, Debian's Chromium), runs the
# unit tests (vitest), lints (ESLint, no warning allowed), builds the SPA, then runs the end-to-end suite (Playwright in Chromium) against a topology that
# scripts/run.sh starts on free ports and stops at the end. Writes one summary line per stage to SUMMARY_FILE.
# Exits non-zero if anything fails.
#
#   scripts/test-web.sh [SUMMARY_FILE]
#   E2E_RUN_ARGS="--configuration Debug --no-build"   options for run.sh (test.sh: use its Debug build)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUMMARY="${1:-/dev/null}"
RESULTS="$ROOT/artifacts/test-results"
mkdir -p "$RESULTS" && : >"$SUMMARY"
export CI="${CI:-true}" NO_COLOR=1 FORCE_COLOR=0

log() { printf '\n[test-web] %s\n' "$*" >&2; }
. "$ROOT/scripts/lib.sh"
line() { printf '%-28s %-7s %s\n' "$1" "$2" "$3" >>"$SUMMARY"; }
plain() { sed -E 's/\x1b\[[0-9;]*[A-Za-z]//g'; }

failed=0
cd "$ROOT/web" || exit 1

log "installing what is missing"
command -v npm >/dev/null || { line web FAILED "npm is required"; exit 1; }
web_packages || { line web FAILED "npm ci failed"; exit 1; }
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  apt_install chromium || { line web FAILED "could not install Debian's chromium"; exit 1; }
fi

log "generated API types (openapi-typescript over web/src/api/openapi, which Host.Tests holds to the served documents)"
if node_modules/.bin/vitest run src/api/generated.test.ts 2>&1 | plain >"$RESULTS/web-api-types.log"; then
  line web-api-types passed "web/src/api/generated is what npm run api:generate makes"
else
  failed=1; cat "$RESULTS/web-api-types.log"; line web-api-types FAILED "stale web/src/api/generated: run npm run api:generate in web/"
fi

log "web unit tests (vitest)"
if node_modules/.bin/vitest run --reporter=default --reporter=junit --outputFile.junit="$RESULTS/web-unit.xml" 2>&1 | plain | tee "$RESULTS/web-unit.log"; then
  status=passed; else status=FAILED; failed=1; fi
line web-unit "$status" "$(grep -E '^ +Tests +' "$RESULTS/web-unit.log" | tail -n 1 | sed -E 's/^ +//; s/ +/ /g')"

log "linting (ESLint)"
if npm run --silent lint 2>&1 | plain >"$RESULTS/web-lint.log"; then status=passed; else status=FAILED; failed=1; cat "$RESULTS/web-lint.log"; fi
problems=$(grep -E '^✖ [0-9]+ problems?' "$RESULTS/web-lint.log" | sed -E 's/^✖ //')
line web-lint "$status" "eslint . --max-warnings 0: ${problems:-0 problems}"

log "building the SPA"
if npm run build 2>&1 | plain >"$RESULTS/web-build.log"; then status=passed; else status=FAILED; failed=1; cat "$RESULTS/web-build.log"; fi
line web-build "$status" "tsc + vite build -> web/dist (Node $(node -v))"

if [ "$status" = passed ]; then
  log "web end-to-end tests (Playwright, Chromium, topology from scripts/run.sh)"
  if node_modules/.bin/playwright test 2>&1 | plain | tee "$RESULTS/web-e2e.log"; then status=passed; else status=FAILED; failed=1; fi
  counts=$(grep -E '^ +[0-9]+ (passed|failed|flaky|skipped|did not run)' "$RESULTS/web-e2e.log" | sed -E 's/^ +//' | paste -sd ',' | sed 's/,/, /g')
  line web-e2e "$status" "${counts:-no summary (see $RESULTS/web-e2e.log)}"
fi

exit "$failed"
