# Sourced by the scripts that run the simulator behind nginx (nginx-test.sh, nginx-serve.sh).
# They define `die`.

# Starts target/native/voipms-sim on 127.0.0.1:$1, writing to the log $2, with the flags
# that follow; sets sim_pid, and returns once it answers HTTP (a generated store can take a
# while on a first run).
start_simulator() {
  local port=$1 log=$2 code=000
  shift 2
  target/native/voipms-sim --port "$port" "$@" >"$log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 600); do
    kill -0 "$sim_pid" 2>/dev/null || die "the simulator exited (see $log)"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/api/v1/rest.php" || true)
    [ "$code" != 000 ] && return 0
    sleep 0.2
  done
  die "the simulator did not answer within 120 s"
}
