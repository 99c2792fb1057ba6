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

# wait_url URL SECONDS: until the URL answers 2xx; fails after SECONDS.
wait_url() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done
}

# kafka_topics PARTITIONS TOPIC...: creates those of the topics that do not exist yet, through ZooKeeper (the local
# 0.9 broker's AdminClient cannot create topics), with the Kafka distribution of scripts/servers.sh in $DATA.
kafka_topics() {
  local partitions=$1 existing topic; shift
  topics() { java -Xmx128m -cp "$DATA/dist/kafka/libs/*" kafka.admin.TopicCommand --zookeeper "127.0.0.1:${SHOP_ZK_PORT:-12181}" "$@" 2>/dev/null; }
  existing="$(topics --list)"
  for topic in "$@"; do
    grep -qx "$topic" <<<"$existing" || topics --create --topic "$topic" --partitions "$partitions" --replication-factor 1 >/dev/null
  done
}

# web_packages: npm ci in web/ unless node_modules already matches package-lock.json.
web_packages() {
  (
    cd "$ROOT/web"
    [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] && exit 0
    npm ci --no-audit --no-fund
  )
}

# servers_env: exports the connection settings of scripts/servers.sh, except those the environment already has.
servers_env() {
  local setting name
  while IFS= read -r setting; do
    name=${setting#export }; name=${name%%=*}
    [ -n "${!name:-}" ] || eval "$setting"
  done < <("$ROOT/scripts/servers.sh" env)
}

# shop_host BIN ROLE PORT [NAME=VALUE...]: the Host build in BIN in ROLE on 127.0.0.1:PORT with the settings given.
# It replaces the calling shell, so that $! is the host's pid: start it with & (or as a script's last command).
shop_host() {
  local bin=$1 role=$2 port=$3; shift 3
  exec env ASPNETCORE_ENVIRONMENT=Development "$@" dotnet "$bin/Shop.Host.dll" --role "$role" --contentRoot "$bin" --urls "http://127.0.0.1:$port"
}
