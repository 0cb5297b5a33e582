# SPDX-License-Identifier: MIT
# lib/stack.sh - the benchmark's own stack: free ports, the ./im environment, build, cleanup, and what pushd holds.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

port_free() { ! ss -Htln "sport = :$1" | grep -q .; }
# free_ports COUNT: the first of COUNT consecutive free ports in 20000-29999.
free_ports() {
  local base i ok
  while true; do
    base=$((20000 + RANDOM % 9900)); ok=1
    for ((i = 0; i < $1; i++)); do port_free $((base + i)) || { ok=0; break; }; done
    [ $ok = 1 ] && { echo "$base"; return; }
  done
}

# The stack `./im up` starts with its defaults (sized to the machine: workers, nodes, limits), the
# one users run. What differs, and why (bench/README.md "The stack"): its own IM_VAR and free
# ports (beside a developer's stack); no supervisor (fdlimit stops nodes on purpose, and a
# supervisor would start them again); limits.send_per_user = 0 (one bench client sends for
# thousands of users).
export IM_VAR="$RUN/var" IM_BUILD_DIR="$BUILD" IM_SKIP_BUILD=1 IM_SUPERVISE=0
export IM_PORT="$(free_ports 1)" IM_MYSQL_PORT="$(free_ports 1)" IM_REDIS_PORT="$(free_ports 1)"
export IM_PUSHD_PORT="$(free_ports "$("$ROOT/im" sizing | sed -n 's/^PUSHD_NODES=//p')")"  # ./im's own node count
# The load has no send limit; an operator's IM_EXTRA_CONFIG lines (an A/B: fcgi.send_batch = 1) follow.
export IM_EXTRA_CONFIG="limits.send_per_user = 0${IM_EXTRA_CONFIG:+$'\n'$IM_EXTRA_CONFIG}"
readonly HELLO_PORT="$(free_ports 1)" NCHAN_PORT="$(free_ports 1)" NCHAN_REDIS_PORT="$(free_ports 1)"

STARTED=()      # pids of what this script started besides the stack
NGINX_DIRS=()   # prefixes of the extra nginx instances (hello, Nchan): daemons, stopped by prefix
cleanup() {
  local pid dir
  for dir in "${NGINX_DIRS[@]}"; do nginx_stop "$dir"; done
  for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$ROOT/im" down >/dev/null 2>&1 || true
  [ "${IM_BENCH_KEEP:-0}" = 1 ] || rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # so that Ctrl-C / kill still runs cleanup

# RelWithDebInfo (-O2 -g), the project default: GCC 12 at -O3 (Release) reports a false -Wrestrict in
# fcgi/Presence.cc, and the symbols serve perf.
build() {
  cmake -S "$ROOT" -B "$BUILD" -DIM_BUILD_BENCH=ON -DIM_BUILD_TESTS=ON -DCMAKE_BUILD_TYPE="${IM_BENCH_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  cmake --build "$BUILD" -j "${IM_JOBS:-2}" --target im-fcgi im-pushd im-admin im-loadgen im-fcgi-hello im-mysql-tx >/dev/null
}

admin() { "$BUILD/admin/im-admin" --config="$IM_VAR/im.properties" "$@"; }
# The live push nodes, from the product's own registry (im-admin nodes): "host:port" a line.
live_nodes() { admin --json nodes | jq -r '.[] | select(.up) | .node'; }

# What `./im up` sized the stack to, read from the running stack: NODES (live pushd nodes),
# NGINX_WORKERS, FCGI_WORKERS (the processes under each master).
stack_sizes() {
  NODES="$(live_nodes | wc -l)"
  NGINX_WORKERS="$(pgrep -c -P "$(tr -dc 0-9 <"$IM_VAR/run/nginx.pid")")"
  FCGI_WORKERS="$(pgrep -c -P "$(tr -dc 0-9 <"$IM_VAR/run/fcgi.pid")")"
}

pushd_urls() {
  local i
  for ((i = 0; i < NODES; i++)); do echo "--held-url=127.0.0.1:$((IM_PUSHD_PORT + i))/stats"; done
}
held_total() {
  local i sum=0 n
  for ((i = 0; i < NODES; i++)); do
    n="$(curl -fsS --max-time 2 "http://127.0.0.1:$((IM_PUSHD_PORT + i))/stats" 2>/dev/null | jq .held_polls)" || n=0
    [ -n "$n" ] || n=0  # a stopped node (fdlimit)
    sum=$((sum + n))
  done
  echo "$sum"
}
# Between scenarios: the previous generator's polls must be gone from pushd.
wait_drained() {
  local i
  for ((i = 0; i < 300; i++)); do [ "$(held_total)" = 0 ] && return 0; sleep 0.2; done
  log "warning: $(held_total) polls still held"
}

loadgen() { "$BUILD/bench/im-loadgen" --port="$IM_PORT" --users="$RUN/users" "$@"; }
