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

# web_node: puts the web app's Node (web/.nvmrc) first on PATH. A node on PATH of that major version, not older, is used
# as it is; otherwise (Debian's and the CI machines' Node is 20) the official binary, which npm carries as node-linux-<arch>, is
# fetched once into .local/node. npm itself stays the one installed: it runs on whichever node is first on PATH.
web_node() {
  local want have arch dir="$ROOT/.local/node" tmp
  want=$(tr -d ' \n' <"$ROOT/web/.nvmrc")
  have=$(node -p process.versions.node 2>/dev/null || true)
  if [ "${have%%.*}" = "${want%%.*}" ] && [ "$(printf '%s\n' "$want" "$have" | sort -V | head -n 1)" = "$want" ]; then return 0; fi
  if [ "$(cat "$dir/.version" 2>/dev/null)" != "$want" ]; then
    command -v npm >/dev/null || { log "npm is needed to fetch Node $want"; return 1; }
    case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) log "no Node $want binary for $(uname -m)"; return 1 ;; esac
    log "fetching Node $want from npm (node-linux-$arch@$want) into .local/node"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$want" >/dev/null && tar xzf node-linux-*.tgz) || { rm -rf "$tmp"; return 1; }
    rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
    echo "$want" >"$dir/.version"
  fi
  export PATH="$dir/bin:$PATH"
}

# web_packages: npm ci in web/, with the web app's Node.
web_packages() { web_node && npm_packages "$ROOT/web"; }

# npm_packages DIR: npm ci in DIR unless node_modules already matches package-lock.json.
npm_packages() {
  (
    cd "$1"
    [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] && exit 0
    npm ci --no-audit --no-fund
  )
}
