#!/usr/bin/env bats
# scripts/run.sh as a user runs it: the whole topology (its own servers in a scratch data folder, on free ports) from
# the Debug build scripts/test.sh made, stopped the way a user stops it.

setup() {
  REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  DATA="$BATS_TEST_TMPDIR/data"
  BASE=$(free_ports 10)
  ARGS=(--no-build --configuration Debug --data "$DATA" --port "$BASE" --orders-port $((BASE + 1)) --payments-port $((BASE + 3))
        --dashboard-port $((BASE + 4)) --Topology:PostgresPort=$((BASE + 6)) --Topology:RedisPort=$((BASE + 7))
        --Topology:ZooKeeperPort=$((BASE + 8)) --Topology:KafkaPort=$((BASE + 9)))
}

teardown() { # a failed test leaves nothing running either
  [ -z "${RUN_PID:-}" ] || kill -KILL "$RUN_PID" 2>/dev/null || true
  pkill -KILL -f "$DATA" 2>/dev/null || true
}

log() { :; }
. "$BATS_TEST_DIRNAME/../../scripts/lib.sh"

# What is left of the topology: its processes (the servers name the data folder, the hosts their ports) and its ports.
leftovers() {
  local port
  pgrep -af -- "$DATA" || true
  pgrep -af -- "127.0.0.1:$((BASE + 1))|127.0.0.1:$((BASE + 2))|127.0.0.1:$((BASE + 3))|urls http://127.0.0.1:$BASE\b" || true
  for port in $(seq "$BASE" $((BASE + 9))); do port_open "$port" && echo "port $port is open"; done
  return 0
}

nothing_left() { [ -z "$(leftovers)" ]; }

wait_for() { # seconds command...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.5; done
}

@test "started with SIGINT ignored, as a background start is, run.sh serves the shop and Ctrl-C leaves no process behind" {
  (trap '' INT; exec "$REPO/scripts/run.sh" "${ARGS[@]}") >"$BATS_TEST_TMPDIR/run.log" 2>&1 &
  RUN_PID=$!

  wait_for 240 grep -q "Shop is ready at http://127.0.0.1:$BASE/" "$BATS_TEST_TMPDIR/run.log" || { tail -n 40 "$BATS_TEST_TMPDIR/run.log"; false; }
  grep -q "dashboard http://127.0.0.1:$((BASE + 4))/" "$BATS_TEST_TMPDIR/run.log"
  curl -fsS "http://127.0.0.1:$BASE/orders-api/health/ready" >/dev/null
  curl -fsS "http://127.0.0.1:$BASE/payments-api/health/ready" >/dev/null
  [ -n "$(leftovers)" ]

  kill -INT "$RUN_PID"
  wait_for 60 bash -c "! kill -0 $RUN_PID 2>/dev/null"
  wait "$RUN_PID"; status=$?

  # The orchestrator stops what the AppHost started as it exits; on a loaded machine Kafka may take a while.
  wait_for 60 nothing_left || true
  echo "exit status $status; left: $(leftovers)"
  [ "$status" -eq 0 ]
  [ -z "$(leftovers)" ]
}

@test "run.sh refuses an option it does not know, and says which" {
  run "$REPO/scripts/run.sh" --no-build --configuration Debug --ordrs 3

  echo "$output"
  [ "$status" -eq 2 ]
  grep -q -- "Unknown option(s) --ordrs" <<<"$output"
}
