#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh - `./im bench`: brings up a dedicated stack with `./im up` (own IM_VAR under /tmp, free ports),
# runs the scenarios (latency, fanout, throughput + ceilings, hold, Nchan anchor), prints a table per
# scenario, writes bench/results/<date>.json and stops everything it started. IM_BENCH_SMOKE=1: tiny sizes.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly BUILD="${IM_BENCH_BUILD_DIR:-$ROOT/build-bench}"
readonly SMOKE="${IM_BENCH_SMOKE:-0}"
readonly ONLY="${IM_BENCH_ONLY:-latency fanout throughput hello hold nchan}"  # scenario subset
readonly RUN="$(mktemp -d /tmp/im-bench.XXXXXX)"
readonly RESULTS="$ROOT/bench/results"
readonly FD_LIMIT="$(ulimit -Hn)"

if [ "$SMOKE" = 1 ]; then
  HOLD_SIZES=(200); LAT_POLLS=200; LAT_RATE=100; LAT_SECONDS=3; TP_SECONDS=2; TP_CONC=(1 16)
  FAN_MEMBERS=100; FAN_ROUNDS=3; NODES=2; NGINX_WORKERS=2; FCGI_WORKERS=4; CONNECT_RATE=1000
else
  read -ra HOLD_SIZES <<<"${IM_BENCH_HOLD_SIZES:-10000 50000 100000}"; LAT_POLLS=10000; LAT_RATE=1000; LAT_SECONDS=30; TP_SECONDS=10
  TP_CONC=(1 16 64); FAN_MEMBERS=1000; FAN_ROUNDS=20; NODES=6; NGINX_WORKERS=16; FCGI_WORKERS=16
  CONNECT_RATE=1500  # new polls/s: what 16 fcgi workers sustain while 50k+ are held (at 3,000/s the 100k ramp collapsed)
fi
MAX_POLLS=0
for n in "${HOLD_SIZES[@]}" "$LAT_POLLS"; do [ "$n" -gt "$MAX_POLLS" ] && MAX_POLLS=$n; done
readonly TP_USERS=$((MAX_POLLS < 1000 ? MAX_POLLS : 1000))  # throughput: random recipients 1..this
readonly SENDERS=64                       # users after the pollers: senders in every scenario
readonly USERS=$((MAX_POLLS + SENDERS))
readonly POLLS_PER_PROC=16000             # a generator process stays under the 20,000-file cap

log() { echo "bench: $*" >&2; }
has() { [[ " $ONLY " == *" $1 "* ]]; }

# ---------------------------------------------------------------- ports, stack, cleanup

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

export IM_VAR="$RUN/var" IM_BUILD_DIR="$BUILD" IM_SKIP_BUILD=1
export IM_PORT="$(free_ports 1)" IM_MYSQL_PORT="$(free_ports 1)" IM_REDIS_PORT="$(free_ports 1)"
export IM_PUSHD_PORT="$(free_ports "$NODES")" IM_PUSHD_NODES="$NODES"
export IM_NGINX_WORKERS="$NGINX_WORKERS" IM_FCGI_WORKERS="$FCGI_WORKERS" IM_MYSQL_BUFFER_POOL=1G
# No send rate limit (the bench is one client sending for many), quiet logs.
export IM_EXTRA_CONFIG=$'limits.send_per_user = 0\nlog.level = warning\nfcgi.max_requests = 1000000'
readonly HELLO_PORT="$(free_ports 1)" NCHAN_PORT="$(free_ports 1)"

STARTED=()  # pids of what this script started besides the stack
cleanup() {
  local pid
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
  cmake --build "$BUILD" -j "${IM_JOBS:-2}" --target im-fcgi im-pushd im-loadgen im-fcgi-hello im-mysql-tx >/dev/null
}

sql() { mariadb --no-defaults --socket="$IM_VAR/run/mysql.sock" -uroot --batch --skip-column-names im "$@"; }

# Users, counters and sessions straight into MariaDB: the token is ours, its SHA-256 is the
# sessions row (fcgi/store/SessionStore), so no Argon2 login per user. Users file: "uid token".
make_users() {
  local salt
  salt="$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')"
  sql <<EOF
INSERT INTO users (id, username, password_hash, created_at)
  SELECT seq, CONCAT('bench_', seq), 'bench-fixture-no-login', UTC_TIMESTAMP(3) FROM seq_1_to_$USERS;
INSERT INTO inbox_counters (user_id, last_seq) SELECT seq, 0 FROM seq_1_to_$USERS;
INSERT INTO sessions (user_id, token_hash, device, acked_seq, created_at, last_used_at)
  SELECT seq, UNHEX(SHA2(CONCAT('bt', seq, '.', '$salt'), 256)), 'bench', 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
  FROM seq_1_to_$USERS;
EOF
  awk -v n="$USERS" -v s="$salt" 'BEGIN { for (i = 1; i <= n; i++) print i, "bt" i "." s }' >"$RUN/users"
}

# A group of users 1..members plus the fan-out sender (user members+1, the first sender).
make_group() {
  local members=$1
  sql <<EOF
INSERT INTO chat_groups (name, created_by, created_at) VALUES ('bench', $((members + 1)), UTC_TIMESTAMP(3));
INSERT INTO group_members (group_id, user_id, joined_at)
  SELECT LAST_INSERT_ID(), seq, UTC_TIMESTAMP(3) FROM seq_1_to_$((members + 1));
EOF
  sql -e "SELECT MAX(id) FROM chat_groups"
}

pushd_urls() {
  local i
  for ((i = 0; i < NODES; i++)); do echo "--held-url=127.0.0.1:$((IM_PUSHD_PORT + i))/stats"; done
}
held_total() {
  local i sum=0 n
  for ((i = 0; i < NODES; i++)); do
    n="$(curl -fsS --max-time 2 "http://127.0.0.1:$((IM_PUSHD_PORT + i))/stats" | jq .held_polls)" || n=0
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
procs_for() { echo $((($1 + POLLS_PER_PROC - 1) / POLLS_PER_PROC)); }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
nfds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
pushd_pids() { local f; for f in "$IM_VAR"/run/pushd-*.pid; do tr -dc 0-9 <"$f"; echo; done; }
nginx_worker_pids() { pgrep -P "$(tr -dc 0-9 <"$IM_VAR/run/nginx.pid")"; }
sum_rss() { local p s=0; for p in "$@"; do s=$((s + $(rss_kib "$p"))); done; echo "$s"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

JSON="$RUN/results.json"
echo '{}' >"$JSON"
# put PATH JSON_VALUE: sets .PATH in the results.
put() { jq --argjson v "$2" "$1 = \$v" "$JSON" >"$JSON.tmp" && mv "$JSON.tmp" "$JSON"; }

# ---------------------------------------------------------------- scenarios

scenario_latency() {
  wait_drained
  log "latency: $LAT_POLLS held polls, $LAT_RATE sends/s for ${LAT_SECONDS}s"
  local out stats p50 p99
  out="$(loadgen --mode=latency --polls="$LAT_POLLS" --senders=32 --send-conns=32 --send-rate="$LAT_RATE" \
    --duration="$LAT_SECONDS" --procs="$(procs_for "$LAT_POLLS")" --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  # The push leg from pushd's own ring (popped from Redis -> answer written): worst node's p99.
  stats="$(for ((i = 0; i < NODES; i++)); do curl -fsS "http://127.0.0.1:$((IM_PUSHD_PORT + i))/stats"; done | jq -s .)"
  p50="$(jq '[.[].push_latency_p50_us] | sort | .[length / 2 | floor]' <<<"$stats")"
  p99="$(jq '[.[].push_latency_p99_us] | max' <<<"$stats")"
  put .latency "$(jq --argjson s "$stats" --argjson p50 "$p50" --argjson p99 "$p99" \
    '. + {push_leg: {p50_us: $p50, p99_us: $p99, nodes: $s}}' <<<"$out")"
  jq -r '"held \(.held)/\(.polls)  sends/s \(.ok_per_s | floor)  deliveries \(.delivery.count)",
    "send->receive  p50 \(.delivery.p50_us) us  p90 \(.delivery.p90_us) us  p99 \(.delivery.p99_us) us  max \(.delivery.max_us) us",
    "send answered  p50 \(.send.p50_us) us  p99 \(.send.p99_us) us",
    "push leg (pushd)  p50 \(.push_leg.p50_us) us  p99 \(.push_leg.p99_us) us",
    "counters \(.counters)"' <<<"$(jq .latency "$JSON")"
}

scenario_fanout() {
  wait_drained
  local group out
  group="$(make_group "$FAN_MEMBERS")"
  log "fanout: group $group of $FAN_MEMBERS held members, $FAN_ROUNDS sends"
  out="$(loadgen --mode=fanout --polls="$FAN_MEMBERS" --senders=1 --send-conns=1 --group="$group" \
    --rounds="$FAN_ROUNDS" --procs=1 --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  put .fanout "$out"
  jq -r '"send -> last of \(.polls) members answered: median \(.fanout.p50_us) us  max \(.fanout.max_us) us  rounds \(.fanout.count)  \(.counters)"' <<<"$out"
}

scenario_throughput() {
  wait_drained
  local c out db pw
  pw="$(sed -n 's/^mysql\.password=//p' "$IM_VAR/secrets")"
  printf '%-12s %14s %16s %8s\n' concurrency "sends/s (http)" "bare MariaDB tx/s" ratio
  for c in "${TP_CONC[@]}"; do
    out="$(loadgen --mode=closed --method=POST --path=/im/send --body='{"to":{to},"body":"bench {ts}"}' \
      --polls="$TP_USERS" --senders="$c" --send-conns="$c" --duration="$TP_SECONDS")"
    db="$("$BUILD/bench/im-mysql-tx" "tcp://127.0.0.1:$IM_MYSQL_PORT" im "$pw" im "$c" "$TP_SECONDS" 1 "$TP_USERS")"
    put ".throughput.c$c" "$(jq -n --argjson h "$out" --argjson d "$db" '{http: $h, mariadb: $d}')"
    printf '%-12s %14.0f %16.0f %8s\n' "$c" "$(jq .ok_per_s <<<"$out")" "$(jq .tx_per_s <<<"$db")" \
      "$(ratio "$(jq .ok_per_s <<<"$out")" "$(jq .tx_per_s <<<"$db")")"
  done
  echo "durable: innodb_flush_log_at_trx_commit=$(jq .innodb_flush_log_at_trx_commit <<<"$db") (every commit is flushed)"
}

# The fcgi ceiling: the same nginx settings in front of im-fcgi-hello (bench/nginx-hello.conf.in).
scenario_hello() {
  local dir="$RUN/hello" c=16 ours health bare
  mkdir -p "$dir/log" "$dir/tmp"
  "$BUILD/bench/im-fcgi-hello" "$dir/hello.sock" "$FCGI_WORKERS" 2>>"$dir/log/hello.log" &
  STARTED+=($!)
  local user_line="# not root: nginx runs as the invoking user"
  [ "$(id -u)" = 0 ] && user_line="user root;"  # as ./im renders the stack's nginx.conf
  sed -e "s|@USER_LINE@|$user_line|" -e "s|@WORKERS@|$NGINX_WORKERS|" -e "s|@PREFIX@|$dir|g" -e "s|@PORT@|$HELLO_PORT|" \
    "$ROOT/bench/nginx-hello.conf.in" >"$dir/nginx.conf"
  for _ in $(seq 50); do [ -S "$dir/hello.sock" ] && break; sleep 0.1; done
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/log/error.log"
  ours="$(loadgen --mode=closed --path=/im/bench-trivial --send-conns=$c --duration="$TP_SECONDS")"
  health="$(loadgen --mode=closed --path=/im/health --send-conns=$c --duration="$TP_SECONDS")"
  bare="$("$BUILD/bench/im-loadgen" --mode=closed --port="$HELLO_PORT" --path=/hello --send-conns=$c \
    --duration="$TP_SECONDS")"
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/log/error.log" -s quit || true
  # Only real answers count: an earlier version timed nginx's 502s (socket permission) as the ceiling.
  [ "$(jq '.counters.send_status_200 // 0' <<<"$bare")" -gt 0 ] && [ "$(jq '[.counters | to_entries[] |
    select(.key | startswith("send_status_") and . != "send_status_200")] | length' <<<"$bare")" = 0 ] ||
    log "hello: im-fcgi-hello did not answer every request with 200: $(jq -c .counters <<<"$bare")"
  [ "$(jq '[.counters | to_entries[] | select(.key | startswith("send_status_") and . != "send_status_404")] |
    length' <<<"$ours")" = 0 ] || log "hello: the trivial route answered something else than 404: $(jq -c .counters <<<"$ours")"
  put .hello "$(jq -n --argjson o "$ours" --argjson h "$health" --argjson b "$bare" '{trivial: $o, health: $h, bare: $b}')"
  printf '%-34s %10s %8s\n' "route (concurrency $c)" "req/s" ratio
  printf '%-34s %10.0f %8s\n' "bare libfcgi hello" "$(jq .answered_per_s <<<"$bare")" 1.00
  printf '%-34s %10.0f %8s\n' "im-fcgi trivial (router 404)" "$(jq .answered_per_s <<<"$ours")" \
    "$(ratio "$(jq .answered_per_s <<<"$ours")" "$(jq .answered_per_s <<<"$bare")")"
  printf '%-34s %10.0f %8s\n' "im-fcgi /im/health (MySQL+Redis)" "$(jq .answered_per_s <<<"$health")" \
    "$(ratio "$(jq .answered_per_s <<<"$health")" "$(jq .answered_per_s <<<"$bare")")"
}

scenario_hold() {
  local n ready out pushd_idle nginx_idle pushd_held nginx_held held fds maxfd p
  printf '%-8s %8s %12s %16s %16s %14s\n' polls held "held after" "pushd B/poll" "nginx B/poll" "max pushd fds"
  for n in "${HOLD_SIZES[@]}"; do
    wait_drained
    pushd_idle="$(sum_rss $(pushd_pids))"; nginx_idle="$(sum_rss $(nginx_worker_pids))"
    ready="$RUN/ready.$n"
    loadgen --mode=hold --polls="$n" --procs="$(procs_for "$n")" --connect-rate="$CONNECT_RATE" --hold=3 \
      --wait-held=$((n / 1000 + 60)) --ready-file="$ready" $(pushd_urls) >"$RUN/hold.$n.json" &
    local gen=$!
    STARTED+=("$gen")
    while [ ! -e "$ready" ] && kill -0 "$gen" 2>/dev/null; do sleep 0.2; done
    sleep 1
    pushd_held="$(sum_rss $(pushd_pids))"; nginx_held="$(sum_rss $(nginx_worker_pids))"
    maxfd=0
    for p in $(pushd_pids); do fds="$(nfds "$p")"; [ "$fds" -gt "$maxfd" ] && maxfd=$fds; done
    wait "$gen" || true
    out="$(cat "$RUN/hold.$n.json")"
    held="$(jq .held <<<"$out")"
    put ".hold.p$n" "$(jq --argjson pi "$pushd_idle" --argjson ph "$pushd_held" --argjson ni "$nginx_idle" \
      --argjson nh "$nginx_held" --argjson fd "$maxfd" --argjson lim "$FD_LIMIT" \
      '. + {pushd_rss_kib: {idle: $pi, held: $ph}, nginx_rss_kib: {idle: $ni, held: $nh},
            pushd_max_fds: $fd, fd_limit: $lim,
            pushd_bytes_per_poll: (if .held > 0 then ($ph - $pi) * 1024 / .held else null end),
            nginx_bytes_per_poll: (if .held > 0 then ($nh - $ni) * 1024 / .held else null end)}' <<<"$out")"
    jq -r --arg n "$n" '.hold["p" + $n] | [.polls, .held, (.held_after_s | floor | tostring) + " s",
      (.pushd_bytes_per_poll // 0 | floor), (.nginx_bytes_per_poll // 0 | floor),
      "\(.pushd_max_fds)/\(.fd_limit)"] | @tsv' "$JSON" |
      awk -F'\t' '{ printf "%-8s %8s %12s %16s %16s %14s\n", $1, $2, $3, $4, $5, $6 }'
    [ "$held" -ge "$n" ] || log "hold $n: only $held held; counters: $(jq -c .counters <<<"$out")"
  done
}

# The anchor: Nchan (libnginx-mod-nchan) on its own nginx, same worker count, a channel per user.
scenario_nchan() {
  local module=/usr/lib/nginx/modules/ngx_nchan_module.so dir="$RUN/nchan" out n
  [ -e "$module" ] || { log "nchan: $module missing (apt-get install libnginx-mod-nchan); skipped"; return 0; }
  mkdir -p "$dir/log" "$dir/tmp"
  sed -e "s|@WORKERS@|$NGINX_WORKERS|" -e "s|@PREFIX@|$dir|g" -e "s|@PORT@|$NCHAN_PORT|" -e "s|@MODULE@|$module|" \
    "$ROOT/bench/nginx-nchan.conf.in" >"$dir/nginx.conf"
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/log/error.log"
  local stat="--held-url=127.0.0.1:$NCHAN_PORT/nchan_status" key="--held-key=subscribers"
  log "nchan latency: $LAT_POLLS subscribers, $LAT_RATE publishes/s for ${LAT_SECONDS}s"
  out="$("$BUILD/bench/im-loadgen" --protocol=nchan --mode=latency --port="$NCHAN_PORT" --users="$RUN/users" \
    --polls="$LAT_POLLS" --senders=32 --send-conns=32 --send-rate="$LAT_RATE" --duration="$LAT_SECONDS" \
    --procs="$(procs_for "$LAT_POLLS")" --connect-rate="$CONNECT_RATE" "$stat" "$key")"
  put .nchan.latency "$out"
  jq -r '"nchan publish->receive  p50 \(.delivery.p50_us) us  p90 \(.delivery.p90_us) us  p99 \(.delivery.p99_us) us  max \(.delivery.max_us) us  (\(.delivery.count) deliveries)"' <<<"$out"
  n="${HOLD_SIZES[-1]}"
  local idle ready="$RUN/nchan.ready" gen held
  idle="$(sum_rss $(pgrep -P "$(cat "$dir/nginx.pid")"))"
  "$BUILD/bench/im-loadgen" --protocol=nchan --mode=hold --port="$NCHAN_PORT" --users="$RUN/users" --polls="$n" \
    --procs="$(procs_for "$n")" --connect-rate="$CONNECT_RATE" --hold=3 --wait-held=$((n / 1000 + 60)) \
    --ready-file="$ready" "$stat" "$key" >"$RUN/nchan.hold.json" &
  gen=$!
  STARTED+=("$gen")
  while [ ! -e "$ready" ] && kill -0 "$gen" 2>/dev/null; do sleep 0.2; done
  sleep 1
  held="$(sum_rss $(pgrep -P "$(cat "$dir/nginx.pid")"))"
  wait "$gen" || true
  put .nchan.hold "$(jq --argjson i "$idle" --argjson h "$held" \
    '. + {nginx_rss_kib: {idle: $i, held: $h}, nginx_bytes_per_sub: (if .held > 0 then ($h - $i) * 1024 / .held else null end)}' \
    "$RUN/nchan.hold.json")"
  jq -r '.nchan.hold | "nchan hold: \(.held)/\(.polls) subscribers, nginx \(.nginx_bytes_per_sub // 0 | floor) B/subscriber"' "$JSON"
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/log/error.log" -s quit || true
}

# ---------------------------------------------------------------- main

main() {
  log "building into $BUILD"
  build
  log "built in $SECONDS s"
  log "stack: $RUN/var, nginx :$IM_PORT ($NGINX_WORKERS workers), pushd x$NODES from :$IM_PUSHD_PORT, fcgi x$FCGI_WORKERS"
  "$ROOT/im" up >/dev/null
  log "up after $SECONDS s"
  ulimit -n "$FD_LIMIT"
  log "creating $USERS users"
  make_users
  put .meta "$(jq -n --arg d "$(date -u +%FT%TZ)" --arg c "$(git -C "$ROOT" rev-parse --short HEAD)" \
    --argjson smoke "$SMOKE" --arg cpu "$(nproc) cores" --argjson fd "$FD_LIMIT" \
    '{date: $d, commit: $c, smoke: ($smoke == 1), machine: $cpu, fd_limit: $fd}')"
  local s
  for s in latency fanout throughput hello hold nchan; do
    has "$s" || continue
    echo "== $s"
    local t0=$SECONDS
    "scenario_$s"
    log "$s took $((SECONDS - t0)) s"
  done
  mkdir -p "$RESULTS"
  local suffix=""
  [ "$SMOKE" = 1 ] && suffix=-smoke
  local file="$RESULTS/$(date -u +%Y-%m-%dT%H%M%S)$suffix.json"
  cp "$JSON" "$file"
  log "results: $file"
}

main "$@"
