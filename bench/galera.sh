#!/usr/bin/env bash
# bench/galera.sh - what a 3-node Galera costs against one MariaDB, same machine, same run: closed-loop
# durable /im/send through the whole stack, and the bare send transaction (im-mysql-tx) on every node.
# Usage: bench/galera.sh   (GB_SECONDS per measurement, default 10; GB_CONC concurrency, default 16)
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly BUILD="${IM_BUILD_DIR:-$ROOT/build}"
readonly GB_SECONDS="${GB_SECONDS:-10}" GB_CONC="${GB_CONC:-16}" RECIPIENTS=1000
# im-loadgen's senders are the users after its --polls recipients.
readonly USERS=$((RECIPIENTS + GB_CONC))
RUN="$(mktemp -d /tmp/im-galera-bench.XXXXXX)"
readonly RUN
NODES=2 NGINX_WORKERS=2 FCGI_WORKERS=6
# The benchmark's ports, environment and cleanup (bench/lib/stack.sh), its users (fixtures.sh).
for part in stack fixtures measure; do source "$ROOT/bench/lib/$part.sh"; done
export IM_GALERA_PORT="$(free_ports 13)" IM_MYSQL_BUFFER_POOL=256M

# CPU seconds (user + system) used so far by every process whose command line names $IM_VAR.
cpu_s() {
  local pid total=0 tick
  tick="$(getconf CLK_TCK)"
  for pid in $(pgrep -f -- "$IM_VAR"); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")))
  done
  awk -v t="$total" -v k="$tick" 'BEGIN { printf "%.2f", t / k }'
}

# Client ports of the engine's nodes: one for the single server, three for Galera.
node_ports() {
  if [ "$IM_MYSQL" = galera ]; then echo "$IM_GALERA_PORT $((IM_GALERA_PORT + 4)) $((IM_GALERA_PORT + 8))"
  else echo "$IM_MYSQL_PORT"; fi
}

# The bare send transaction on every node at once, the threads split between them: tx/s summed.
bare_tx() {
  local pw port n=0 threads pids=() total=0 retries=0 file
  pw="$(sed -n 's/^mysql\.password=//p' "$IM_VAR/secrets")"
  read -ra ports <<<"$(node_ports)"
  threads=$((GB_CONC / ${#ports[@]})); ((threads >= 1)) || threads=1
  for port in "${ports[@]}"; do
    "$BUILD/bench/im-mysql-tx" "tcp://127.0.0.1:$port" im "$pw" im "$threads" "$GB_SECONDS" 1 "$RECIPIENTS" \
      >"$RUN/tx.$n" &
    pids+=($!); n=$((n + 1))
  done
  wait "${pids[@]}"
  for file in "$RUN"/tx.*; do
    total="$(jq -n --argjson a "$total" --argjson b "$(jq .tx_per_s "$file")" '$a + $b')"
    retries=$((retries + $(jq .retries "$file")))
  done
  rm -f "$RUN"/tx.*
  printf '%.0f (%d conflicts)' "$total" "$retries"
}

measure() {
  export IM_MYSQL=$1
  "$ROOT/im" up >"$RUN/up.log" 2>&1 || { tail -30 "$RUN/up.log"; exit 1; }
  make_users >/dev/null
  local before after out sends db
  before="$(cpu_s)"
  out="$(loadgen --mode=closed --method=POST --path=/im/send --body='{"to":{to},"body":"bench {ts}"}' \
    --polls="$RECIPIENTS" --senders="$GB_CONC" --send-conns="$GB_CONC" --duration="$GB_SECONDS")"
  after="$(cpu_s)"
  sends="$(jq .ok_per_s <<<"$out")"
  echo "$out" >"$RUN/loadgen.$1.json"
  db="$(bare_tx)"
  printf '%-8s %10.0f %18s %22s %10s\n' "$1" "$sends" \
    "$(awk -v a="$before" -v b="$after" -v s="$sends" -v t="$GB_SECONDS" 'BEGIN { printf "%.0f", (b - a) * 1e6 / (s * t) }')" \
    "$db" "$(jq '.send.p99_us / 1000' <<<"$out")"
  "$ROOT/im" down >/dev/null 2>&1
  rm -rf "$IM_VAR"
}

cmake -S "$ROOT" -B "$BUILD" -DIM_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD" -j "${IM_JOBS:-2}" --target im-fcgi im-pushd im-loadgen im-mysql-tx >/dev/null
echo "closed loop, $GB_CONC senders, ${GB_SECONDS}s each; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %10s %18s %22s %10s\n' engine "sends/s" "CPU us/send (all)" "bare tx/s" "p99 ms"
measure single
measure galera
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
