# Helpers the scripts share. Source it (`. "$ROOT/scripts/lib.sh"`) after setting ROOT and defining log.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# apt_install [apt-get options] PACKAGE...: one apt-get update per script run.
APT_UPDATED=""
apt_install() {
  [ -n "$APT_UPDATED" ] || { log "apt-get update"; as_root apt-get update -qq >/dev/null; APT_UPDATED=1; }
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# free_ports N: the first of N consecutive loopback ports nothing listens on, from 20000-32000 (below the ports the
# kernel hands out for connections, so none is taken before it is used).
free_ports() {
  local base i
  while :; do
    base=$((20000 + RANDOM % 12000))
    for ((i = 0; i < $1; i++)); do port_open $((base + i)) && continue 2; done
    echo "$base"; return
  done
}

# wait_url URL SECONDS: until the URL answers 2xx; fails after SECONDS.
wait_url() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done
}

# npm_packages DIR: npm ci in DIR unless node_modules already matches package-lock.json.
npm_packages() {
  (
    cd "$1"
    [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] && exit 0
    npm ci --no-audit --no-fund
  )
}

# web_packages: the web app's packages (web/).
web_packages() { npm_packages "$ROOT/web"; }
