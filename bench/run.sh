#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh - `./im bench`: brings up a dedicated stack with `./im up` (own IM_VAR under /tmp, free ports),
# runs the scenarios (latency, fanout, throughput + ceilings, capacity, hold, one node's fd limit, the
# Nchan anchor), prints a table per scenario, writes bench/results/<date>.json and stops everything it
# started. IM_BENCH_SMOKE=1: tiny sizes.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly BUILD="${IM_BENCH_BUILD_DIR:-$ROOT/build-bench}"
readonly SMOKE="${IM_BENCH_SMOKE:-0}"
# capacity before throughput: throughput and im-mysql-tx leave ~200 inbox rows in each of users
# 1..1000, whose acknowledgement (DELETE) and purge then ran under capacity's steps (ours failed at
# 1,000/s after throughput, passed alone).
readonly SCENARIOS="latency fanout capacity throughput hello hold fdlimit nchan search"  # in this order
readonly ONLY="${IM_BENCH_ONLY:-$SCENARIOS}"  # scenario subset
readonly RUN="$(mktemp -d /tmp/im-bench.XXXXXX)"
readonly RESULTS="$ROOT/bench/results"
readonly FD_LIMIT="$(ulimit -Hn)"

# capacity: CAP_RATES offered sends/s, CAP_STEP s each then CAP_DRAIN s quiet, to CAP_POLLS held polls.
# fdlimit: one node filled to 96% of FILL_LIMIT (its own fds + held polls). FILL_LIMIT is
# the node's open-file limit (ulimit -Hn, 20,000 here); a node whose limit is higher (smoke: always)
# gets its soft limit lowered to FILL_LIMIT with prlimit, so the fill stays a few seconds' work.
if [ "$SMOKE" = 1 ]; then
  HOLD_SIZES=(200); LAT_POLLS=200; LAT_RATE=100; LAT_SECONDS=2; TP_SECONDS=1; TP_CONC=(1 16)
  FAN_MEMBERS=100; FAN_ROUNDS=3; NODES=2; NGINX_WORKERS=2; FCGI_WORKERS=4; CONNECT_RATE=1000
  CAP_POLLS=200; CAP_RATES="50,100"; CAP_STEP=1; CAP_DRAIN=0.5; FILL_LIMIT=400; HOLD_S=1.5; PROBE_S=0.5
  LAT_DRAIN=0.5
else
  read -ra HOLD_SIZES <<<"${IM_BENCH_HOLD_SIZES:-10000 50000 100000}"; LAT_POLLS=10000; LAT_RATE=1000; LAT_SECONDS=30; TP_SECONDS=10
  TP_CONC=(1 16 64); FAN_MEMBERS=1000; FAN_ROUNDS=20; NODES=6; NGINX_WORKERS=16; FCGI_WORKERS=16
  CONNECT_RATE=1500  # new polls/s: what 16 fcgi workers sustain while 50k+ are held (at 3,000/s the 100k ramp collapsed)
  # Past 9,000: Nchan passed every step up to 9,000 on a quiet machine, and a ratio needs its limit.
  CAP_POLLS=10000; CAP_RATES="${IM_BENCH_CAP_RATES:-500,1000,2000,3000,4500,6000,7500,9000,12000,15000}"
  CAP_STEP=8; CAP_DRAIN=1
  FILL_LIMIT=$((FD_LIMIT < 20000 ? FD_LIMIT : 20000))  # this machine's; a larger one is lowered to 20,000
  HOLD_S=3; PROBE_S=1  # hold: keep the polls this long once held; probe memory and fds this far in
  LAT_DRAIN=2          # latency: after the last send, wait this long for stragglers
fi
readonly NCHAN_CONNECT_RATE=5000  # Nchan takes new subscribers far faster than our fcgi: a shorter ramp
readonly FILL_FRACTION=96         # percent of the node's open-file limit held in fdlimit (target: >= 95)
readonly FILL_POLLS=$((FILL_LIMIT * FILL_FRACTION / 100))  # at most: less the node's own fds, at run time
MAX_POLLS=0
for n in "${HOLD_SIZES[@]}" "$LAT_POLLS" "$CAP_POLLS" "$FILL_POLLS"; do [ "$n" -gt "$MAX_POLLS" ] && MAX_POLLS=$n; done
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
  cmake --build "$BUILD" -j "${IM_JOBS:-2}" --target im-fcgi im-pushd im-loadgen im-fcgi-hello im-mysql-tx >/dev/null
}

sql() { mariadb --no-defaults --socket="$IM_VAR/run/mysql.sock" -uroot --batch --skip-column-names im "$@"; }

# Users, counters and sessions straight into MariaDB: the token is ours, its SHA-256 is the
# sessions row (fcgi/store/SessionStore), so no Argon2 login per user. users.base: "uid token";
# users (what im-loadgen reads): "uid token since", see refresh_cursors.
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
  awk -v n="$USERS" -v s="$salt" 'BEGIN { for (i = 1; i <= n; i++) print i, "bt" i "." s }' >"$RUN/users.base"
  refresh_cursors
}

# Before a scenario's polls: each user's cursor is its inbox's last seq, as a client that kept its
# last `next` resumes. From 0, the first polls re-read every row an earlier scenario left (throughput
# and im-mysql-tx write ~200 rows into each of users 1..1000): load during the next ramp, not traffic.
refresh_cursors() {
  sql -e "SELECT user_id, last_seq FROM inbox_counters" >"$RUN/cursors"
  awk 'NR == FNR { seq[$1] = $2; next } { print $1, $2, ($1 in seq ? seq[$1] : 0) }' "$RUN/cursors" \
    "$RUN/users.base" >"$RUN/users"
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
procs_for() { echo $((($1 + POLLS_PER_PROC - 1) / POLLS_PER_PROC)); }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# PSS: shared pages split among the processes mapping them. Nchan's memory store lives in shared
# memory that every worker touches; a plain RSS sum counts those pages once per worker.
pss_kib() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
nfds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
pushd_pids() { local f; for f in "$IM_VAR"/run/pushd-*.pid; do tr -dc 0-9 <"$f"; echo; done; }
nginx_worker_pids() { pgrep -P "$(tr -dc 0-9 <"$IM_VAR/run/nginx.pid")"; }
sum_rss() { local p s=0; for p in "$@"; do s=$((s + $(rss_kib "$p"))); done; echo "$s"; }
sum_pss() { local p s=0; for p in "$@"; do s=$((s + $(pss_kib "$p"))); done; echo "$s"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

JSON="$RUN/results.json"
echo '{}' >"$JSON"
# put PATH JSON_VALUE: sets .PATH in the results.
put() { jq --argjson v "$2" "$1 = \$v" "$JSON" >"$JSON.tmp" && mv "$JSON.tmp" "$JSON"; }

# ---------------------------------------------------------------- extra nginx instances, Nchan

# nginx_stop PREFIX: graceful quit, then TERM, and wait for the master to be gone (its port free for
# the next start, its memory out of the next idle baseline). No-op when not running.
nginx_stop() {
  local dir=$1 pid i
  pid="$(tr -dc 0-9 2>/dev/null <"$dir/nginx.pid")" || return 0
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/log/error.log" -s quit 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -TERM "$pid" 2>/dev/null || true  # held subscribers can keep a graceful quit waiting
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "warning: nginx $pid ($dir) did not stop"
}

readonly NCHAN_MODULE="${IM_BENCH_NCHAN_MODULE:-/usr/lib/nginx/modules/ngx_nchan_module.so}"  # a missing one: the skip path
readonly NCHAN_DIR="$RUN/nchan"
readonly NCHAN_FAN_CHANNEL=900000000  # fan-out's one channel: no user's id
NCHAN_REDIS_PID=""

# True (and says so on stdout) when Nchan is not installed: its rows are then skipped.
nchan_missing() {
  [ -e "$NCHAN_MODULE" ] && return 1
  echo "Nchan skipped: $NCHAN_MODULE missing (apt-get install libnginx-mod-nchan)"
}

# Nchan's own redis-server, started once: the stack's Redis stays pushd's alone (keys, load).
nchan_redis_start() {
  [ -n "$NCHAN_REDIS_PID" ] && return 0
  redis-server --bind 127.0.0.1 --port "$NCHAN_REDIS_PORT" --save '' --appendonly no --dir "$NCHAN_DIR" \
    --logfile "$NCHAN_DIR/log/redis.log" --maxclients 10000 &
  NCHAN_REDIS_PID=$!
  STARTED+=("$NCHAN_REDIS_PID")
  local i
  for ((i = 0; i < 50; i++)); do
    [ "$(redis-cli -p "$NCHAN_REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  log "nchan: redis-server on :$NCHAN_REDIS_PORT did not answer"
  return 1
}

# nchan_start memory|redis: a fresh Nchan nginx (and an emptied Redis), so no channel, buffered
# message or subscriber is left from the previous use and the idle memory baseline is clean.
nchan_start() {
  local store=$1 upstream="" pass="" i
  mkdir -p "$NCHAN_DIR/log" "$NCHAN_DIR/tmp"
  if [ "$store" = redis ]; then
    nchan_redis_start
    redis-cli -p "$NCHAN_REDIS_PORT" flushall >/dev/null
    upstream="upstream nchan_redis { nchan_redis_server redis://127.0.0.1:$NCHAN_REDIS_PORT; }"
    pass="nchan_redis_pass nchan_redis;"
  fi
  sed -e "s|@WORKERS@|$NGINX_WORKERS|" -e "s|@PREFIX@|$NCHAN_DIR|g" -e "s|@PORT@|$NCHAN_PORT|" \
    -e "s|@MODULE@|$NCHAN_MODULE|" -e "s|@STORE_UPSTREAM@|$upstream|" -e "s|@STORE@|$pass|" \
    "$ROOT/bench/nginx-nchan.conf.in" >"$NCHAN_DIR/nginx.conf"
  nginx -p "$NCHAN_DIR/" -c "$NCHAN_DIR/nginx.conf" -e "$NCHAN_DIR/log/error.log"
  NGINX_DIRS+=("$NCHAN_DIR")
  for ((i = 0; i < 50; i++)); do
    if [ "$store" = redis ]; then
      curl -fsS --max-time 1 "http://127.0.0.1:$NCHAN_PORT/nchan_status" 2>/dev/null |
        grep -q '^redis connected servers: [1-9]' && return 0
    else
      curl -fsS --max-time 1 "http://127.0.0.1:$NCHAN_PORT/nchan_status" >/dev/null 2>&1 && return 0
    fi
    sleep 0.1
  done
  log "nchan: $store store not ready after 5 s"
}
nchan_stop() { nginx_stop "$NCHAN_DIR"; }
nchan_loadgen() {
  "$BUILD/bench/im-loadgen" --protocol=nchan --port="$NCHAN_PORT" --users="$RUN/users" \
    --held-url="127.0.0.1:$NCHAN_PORT/nchan_status" --held-key=subscribers "$@"
}
nchan_worker_pids() { pgrep -P "$(tr -dc 0-9 <"$NCHAN_DIR/nginx.pid")"; }

# hold_start OUT READY LOADGEN...: a hold generator in the background (HOLD_GEN); returns once it
# reports its polls held (READY written) or it exited, plus 1 s: the caller probes while it holds.
hold_start() {
  local out=$1 ready=$2
  shift 2
  "$@" --mode=hold --hold="$HOLD_S" --ready-file="$ready" >"$out" &
  HOLD_GEN=$!
  STARTED+=("$HOLD_GEN")
  while [ ! -e "$ready" ] && kill -0 "$HOLD_GEN" 2>/dev/null; do sleep 0.2; done
  sleep "$PROBE_S"
}

# ---------------------------------------------------------------- scenarios

scenario_latency() {
  wait_drained
  refresh_cursors
  log "latency: $LAT_POLLS held polls, $LAT_RATE sends/s for ${LAT_SECONDS}s"
  local out stats p50 p99
  out="$(loadgen --mode=latency --polls="$LAT_POLLS" --senders=32 --send-conns=32 --send-rate="$LAT_RATE" \
    --duration="$LAT_SECONDS" --drain="$LAT_DRAIN" --procs="$(procs_for "$LAT_POLLS")" --connect-rate="$CONNECT_RATE" $(pushd_urls))"
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
  local group out nchan
  group="$(make_group "$FAN_MEMBERS")"
  refresh_cursors
  log "fanout: group $group of $FAN_MEMBERS held members, $FAN_ROUNDS sends"
  out="$(loadgen --mode=fanout --polls="$FAN_MEMBERS" --senders=1 --send-conns=1 --group="$group" \
    --rounds="$FAN_ROUNDS" --procs=1 --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  put .fanout "$out"
  jq -r '"ours:  send -> last of \(.polls) members answered: median \(.fanout.p50_us) us  max \(.fanout.max_us) us  rounds \(.fanout.count)  \(.counters)",
    "       send answered (after its commit and notification) -> last answered: median \(.fanout_after_answer.p50_us) us  max \(.fanout_after_answer.max_us) us",
    "       the send itself (group transaction, commit, notification): median \(.send.p50_us) us"' <<<"$out"
  nchan_missing && return 0
  # The same shape on Nchan (Redis store): every member subscribed to one channel, one publish a round.
  log "fanout: Nchan, $FAN_MEMBERS subscribers of one channel, $FAN_ROUNDS publishes"
  nchan_start redis
  nchan="$(nchan_loadgen --mode=fanout --polls="$FAN_MEMBERS" --senders=1 --send-conns=1 --group="$NCHAN_FAN_CHANNEL" \
    --rounds="$FAN_ROUNDS" --procs=1 --connect-rate="$NCHAN_CONNECT_RATE")"
  nchan_stop
  put .nchan.fanout "$nchan"
  jq -r '"Nchan: publish -> last of \(.polls) subscribers answered: median \(.fanout.p50_us) us  max \(.fanout.max_us) us  rounds \(.fanout.count)  \(.counters)"' <<<"$nchan"
  echo "ours / Nchan (median): $(ratio "$(jq .fanout.p50_us <<<"$out")" "$(jq .fanout.p50_us <<<"$nchan")")"
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

# capacity_table NAME JSON: a step per row; p99 "lost": more than 1% of the step's sends were not
# delivered before its drain ended.
capacity_table() {
  echo "$1 ($(jq .held <<<"$2")/$(jq .polls <<<"$2") held):"
  printf '  %10s %10s %14s %10s %10s %6s\n' "offered/s" written "delivered/s" "p50 ms" "p99 ms" pass
  jq -r '.steps[] | [.offered_per_s, .written, (.delivered_per_s | floor),
    (if .p50_us < 0 then "lost" else (.p50_us / 1000 * 100 | round / 100 | tostring) end),
    (if .p99_us < 0 then "lost" else (.p99_us / 1000 * 100 | round / 100 | tostring) end),
    (if .pass then "yes" else "no" end)] | @tsv' <<<"$2" |
    awk -F'\t' '{ printf "  %10s %10s %14s %10s %10s %6s\n", $1, $2, $3, $4, $5, $6 }'
  local all=""
  [ "$(jq '[.steps[] | select(.pass | not)] | length' <<<"$2")" = 0 ] && all=" (every step passed: a lower bound)"
  echo "  highest passing offered rate: $(best_rate "$2")/s$all  counters $(jq -c .counters <<<"$2")"
}
best_rate() { jq '[.steps[] | select(.pass) | .offered_per_s] | max // 0' <<<"$1"; }

# MariaDB's write counters (InnoDB fsyncs, INSERT/UPDATE/DELETE/COMMIT statements) as one JSON object.
db_writes() {
  sql -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_data_fsyncs', 'Com_insert', 'Com_update',
    'Com_delete', 'Com_commit')" | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") |
    {(.[0] | ascii_downcase): (.[1] | tonumber)}) | add'
}

# Sustained deliveries/s at p99 < 100 ms (CapacitySteps): the same stepped rates against ours and
# Nchan (Redis store), each send to a random held recipient.
scenario_capacity() {
  wait_drained
  refresh_cursors
  local common=(--mode=capacity --polls="$CAP_POLLS" --senders=64 --send-conns=64 --rates="$CAP_RATES"
    --step="$CAP_STEP" --drain="$CAP_DRAIN" --procs=1 --wait-held=$((CAP_POLLS / 1000 + 60)))
  local ours nchan ceiling how before after
  log "capacity: $CAP_POLLS held polls, offered $CAP_RATES sends/s, ${CAP_STEP} s a step"
  before="$(db_writes)"
  ours="$(loadgen "${common[@]}" --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  after="$(db_writes)"
  # Per delivery, over the whole run (the ramp's first polls write too: a slight overestimate).
  ours="$(jq --argjson b "$before" --argjson a "$after" '. as $r | ($r.counters.deliveries // 0) as $d |
    . + {mariadb_per_delivery: (if $d > 0 then ($a | with_entries(.value = ((.value - $b[.key]) / $d * 100 | round / 100)))
                                 else null end)}' <<<"$ours")"
  put .capacity.ours "$ours"
  capacity_table ours "$ours"
  # What bounds ours: a delivery is a durable send (a MariaDB transaction through nginx + fcgi) and
  # the recipient's re-poll, whose acknowledgement is a durable write too (UPDATE sessions, DELETE
  # inbox). The closed-loop durable sends/s of this run say how far sends alone go.
  ceiling="$(jq '[.throughput // {} | to_entries[] | .value.http.ok_per_s] | max // empty' "$JSON")"
  how="best of throughput's concurrencies"
  if [ -z "$ceiling" ]; then
    how="closed loop at concurrency 64 for ${TP_SECONDS} s, right after the steps"
    ceiling="$(loadgen --mode=closed --method=POST --path=/im/send --body='{"to":{to},"body":"bench {ts}"}' \
      --polls="$TP_USERS" --senders=64 --send-conns=64 --duration="$TP_SECONDS" | jq .ok_per_s)"
  fi
  put .capacity.durable_sends_per_s "$ceiling"
  printf '  bound: durable sends alone reach %.0f/s (%s); ours sustains %s of that.\n' "$ceiling" "$how" \
    "$(ratio "$(best_rate "$ours")" "$ceiling")"
  jq -r '.mariadb_per_delivery // empty | "  per delivery, MariaDB wrote \(.com_insert) INSERT, \(.com_update) UPDATE, \(.com_delete) DELETE, \(.com_commit) COMMIT, \(.innodb_data_fsyncs // "-") InnoDB fsyncs (send + the re-poll'"'"'s acknowledgement)"' <<<"$ours"
  nchan_missing && return 0
  log "capacity: Nchan (Redis store), the same steps"
  nchan_start redis
  nchan="$(nchan_loadgen "${common[@]}" --connect-rate="$NCHAN_CONNECT_RATE")"
  nchan_stop
  put .capacity.nchan "$nchan"
  capacity_table "Nchan, Redis store" "$nchan"
  echo "sustained deliveries/s at p99 < 100 ms, ours / Nchan: $(best_rate "$ours") / $(best_rate "$nchan") =" \
    "$(ratio "$(best_rate "$ours")" "$(best_rate "$nchan")") (target >= 1)"
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
  NGINX_DIRS+=("$dir")
  ours="$(loadgen --mode=closed --path=/im/bench-trivial --send-conns=$c --duration="$TP_SECONDS")"
  health="$(loadgen --mode=closed --path=/im/health --send-conns=$c --duration="$TP_SECONDS")"
  bare="$("$BUILD/bench/im-loadgen" --mode=closed --port="$HELLO_PORT" --path=/hello --send-conns=$c \
    --duration="$TP_SECONDS")"
  nginx_stop "$dir"
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
  local n out pushd_idle nginx_idle nginx_pss_idle pushd_held nginx_held nginx_pss_held held fds maxfd p
  printf '%-8s %8s %12s %14s %14s %14s %14s\n' polls held "held after" "pushd B/poll" "nginx B/poll" "(nginx PSS)" \
    "max pushd fds"
  for n in "${HOLD_SIZES[@]}"; do
    wait_drained
    pushd_idle="$(sum_rss $(pushd_pids))"; nginx_idle="$(sum_rss $(nginx_worker_pids))"
    nginx_pss_idle="$(sum_pss $(nginx_worker_pids))"
    refresh_cursors
    # Twice the ramp's length, plus a minute: with the poll back-off, 100k reached 97,553 of 100,000
    # at the earlier n / 1000 + 60 s (81k 503s retried on the way; no collapse).
    hold_start "$RUN/hold.$n.json" "$RUN/ready.$n" loadgen --polls="$n" --procs="$(procs_for "$n")" \
      --connect-rate="$CONNECT_RATE" --wait-held=$((n / 500 + 60)) $(pushd_urls)
    pushd_held="$(sum_rss $(pushd_pids))"; nginx_held="$(sum_rss $(nginx_worker_pids))"
    nginx_pss_held="$(sum_pss $(nginx_worker_pids))"
    maxfd=0
    for p in $(pushd_pids); do fds="$(nfds "$p")"; [ "$fds" -gt "$maxfd" ] && maxfd=$fds; done
    wait "$HOLD_GEN" || true
    out="$(cat "$RUN/hold.$n.json")"
    held="$(jq .held <<<"$out")"
    put ".hold.p$n" "$(jq --argjson pi "$pushd_idle" --argjson ph "$pushd_held" --argjson ni "$nginx_idle" \
      --argjson nh "$nginx_held" --argjson si "$nginx_pss_idle" --argjson sh "$nginx_pss_held" \
      --argjson fd "$maxfd" --argjson lim "$FD_LIMIT" \
      '. + {pushd_rss_kib: {idle: $pi, held: $ph}, nginx_rss_kib: {idle: $ni, held: $nh},
            nginx_pss_kib: {idle: $si, held: $sh}, pushd_max_fds: $fd, fd_limit: $lim,
            pushd_bytes_per_poll: (if .held > 0 then ($ph - $pi) * 1024 / .held else null end),
            nginx_bytes_per_poll: (if .held > 0 then ($nh - $ni) * 1024 / .held else null end),
            nginx_pss_bytes_per_poll: (if .held > 0 then ($sh - $si) * 1024 / .held else null end)}' <<<"$out")"
    jq -r --arg n "$n" '.hold["p" + $n] | [.polls, .held, (.held_after_s | floor | tostring) + " s",
      (.pushd_bytes_per_poll // 0 | floor), (.nginx_bytes_per_poll // 0 | floor),
      (.nginx_pss_bytes_per_poll // 0 | floor), "\(.pushd_max_fds)/\(.fd_limit)"] | @tsv' "$JSON" |
      awk -F'\t' '{ printf "%-8s %8s %12s %14s %14s %14s %14s\n", $1, $2, $3, $4, $5, $6, $7 }'
    [ "$held" -ge "$n" ] || log "hold $n: only $held held; counters: $(jq -c .counters <<<"$out")"
  done
}

node_pid() { tr -dc 0-9 2>/dev/null <"$IM_VAR/run/pushd-$1.pid"; }
ring_size() { redis-cli -p "$IM_REDIS_PORT" zcard im:nodes 2>/dev/null || echo -1; }
soft_nofile() { awk '/^Max open files/ { print $4 }' "/proc/$1/limits"; }

# One pushd process filled to >= 95% of its open-file limit (the target "in each pushd process"):
# every node but the first leaves the ring (SIGTERM: it removes itself from im:nodes), so fcgi hands
# every poll to the first; ./im up restarts the others afterwards.
scenario_fdlimit() {
  wait_drained
  local keep=$IM_PUSHD_PORT keep_pid pid port i limit orig idle polls fds held out gone
  keep_pid="$(node_pid "$keep")"
  for ((i = 1; i < NODES; i++)); do
    port=$((IM_PUSHD_PORT + i))
    pid="$(node_pid "$port")" && kill -TERM "$pid" 2>/dev/null || true
  done
  for ((i = 0; i < 200; i++)); do
    gone=1
    for ((port = IM_PUSHD_PORT + 1; port < IM_PUSHD_PORT + NODES; port++)); do
      pid="$(node_pid "$port")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && gone=0
    done
    [ "$gone" = 1 ] && [ "$(ring_size)" = 1 ] && break
    sleep 0.1
  done
  [ "$(ring_size)" = 1 ] || log "fdlimit: im:nodes still has $(ring_size) nodes"
  sleep 1.1  # each fcgi worker re-reads the ring at most once a second (fcgi/NodeDirectory)
  orig="$(soft_nofile "$keep_pid")"
  limit=$orig
  if [ "$limit" -gt "$FILL_LIMIT" ]; then
    prlimit --pid "$keep_pid" --nofile="$FILL_LIMIT:"
    limit=$FILL_LIMIT
  fi
  idle="$(nfds "$keep_pid")"
  polls=$((limit * FILL_FRACTION / 100 - idle))
  log "fdlimit: one node of $NODES live (:$keep), $polls polls into its $idle of $limit fds"
  refresh_cursors
  hold_start "$RUN/fill.json" "$RUN/fill.ready" loadgen --polls="$polls" --procs="$(procs_for "$polls")" \
    --connect-rate="$CONNECT_RATE" --wait-held=$((polls / 1000 + 60)) --held-url="127.0.0.1:$keep/stats"
  fds="$(nfds "$keep_pid")"
  held="$(curl -fsS --max-time 2 "http://127.0.0.1:$keep/stats" | jq .held_polls)" || held=0
  wait "$HOLD_GEN" || true
  [ "$limit" != "$orig" ] && prlimit --pid "$keep_pid" --nofile="$orig:"
  out="$(cat "$RUN/fill.json")"
  put .fdlimit "$(jq --argjson f "$fds" --argjson l "$limit" --argjson h "$held" --argjson n "$NODES" \
    '. + {node_fds: $f, node_fd_limit: $l, node_held: $h, nodes_live: 1, nodes: $n,
          fd_fraction: ($f / $l)}' <<<"$out")"
  jq -r '.fdlimit | "one pushd of \(.nodes) live: \(.node_held) held, fds \(.node_fds) / limit \(.node_fd_limit) = \(.fd_fraction * 1000 | floor / 10)% (target >= 95%)  held after \(.held_after_s | floor) s  \(.counters)"' "$JSON"
  wait_drained
  IM_SKIP_INSTALL=1 "$ROOT/im" up >/dev/null
  for ((i = 0; i < 100; i++)); do [ "$(ring_size)" = "$NODES" ] && break; sleep 0.1; done
  [ "$(ring_size)" = "$NODES" ] || log "fdlimit: im:nodes has $(ring_size) of $NODES nodes after the restart"
  sleep 1.1
}

# The anchor (Nchan, libnginx-mod-nchan, its own nginx with our worker count, a channel per user):
# latency with the Redis store, then a hold with the Redis store and one with the memory store.
scenario_nchan() {
  nchan_missing && return 0
  local out n store idle idle_pss idle_redis held held_pss held_redis redis_pid
  log "nchan latency (Redis store): $LAT_POLLS subscribers, $LAT_RATE publishes/s for ${LAT_SECONDS}s"
  nchan_start redis
  out="$(nchan_loadgen --mode=latency --polls="$LAT_POLLS" --senders=32 --send-conns=32 --send-rate="$LAT_RATE" \
    --duration="$LAT_SECONDS" --drain="$LAT_DRAIN" --procs="$(procs_for "$LAT_POLLS")" --connect-rate="$NCHAN_CONNECT_RATE")"
  nchan_stop
  put .nchan.latency "$out"
  jq -r '"Nchan (Redis) publish->receive  p50 \(.delivery.p50_us) us  p90 \(.delivery.p90_us) us  p99 \(.delivery.p99_us) us  max \(.delivery.max_us) us  (\(.delivery.count) deliveries, \(.ok_per_s | floor) publishes/s)"' <<<"$out"
  jq -r 'select(.latency and .nchan.latency) | "ours / Nchan p99: push leg \(.latency.push_leg.p99_us) / \(.nchan.latency.delivery.p99_us) us = \(.latency.push_leg.p99_us / .nchan.latency.delivery.p99_us * 100 | round / 100); end to end \(.latency.delivery.p99_us) us"' "$JSON"
  n="${HOLD_SIZES[-1]}"
  printf '%-8s %8s %12s %14s %14s %14s\n' store held "held after" "nginx B/sub" "(nginx PSS)" "redis B/sub"
  for store in redis memory; do
    nchan_start "$store"
    idle="$(sum_rss $(nchan_worker_pids))"; idle_pss="$(sum_pss $(nchan_worker_pids))"
    redis_pid=0; [ "$store" = redis ] && redis_pid=$NCHAN_REDIS_PID
    idle_redis="$(rss_kib "$redis_pid")"
    hold_start "$RUN/nchan.$store.json" "$RUN/nchan.$store.ready" nchan_loadgen --polls="$n" \
      --procs="$(procs_for "$n")" --connect-rate="$NCHAN_CONNECT_RATE" --wait-held=$((n / 1000 + 60))
    held="$(sum_rss $(nchan_worker_pids))"; held_pss="$(sum_pss $(nchan_worker_pids))"
    held_redis="$(rss_kib "$redis_pid")"
    wait "$HOLD_GEN" || true
    nchan_stop
    put ".nchan.hold_$store" "$(jq --argjson i "$idle" --argjson h "$held" --argjson si "$idle_pss" \
      --argjson sh "$held_pss" --argjson ri "$idle_redis" --argjson rh "$held_redis" \
      '. + {nginx_rss_kib: {idle: $i, held: $h}, nginx_pss_kib: {idle: $si, held: $sh},
            redis_rss_kib: {idle: $ri, held: $rh},
            nginx_bytes_per_sub: (if .held > 0 then ($h - $i) * 1024 / .held else null end),
            nginx_pss_bytes_per_sub: (if .held > 0 then ($sh - $si) * 1024 / .held else null end),
            redis_bytes_per_sub: (if .held > 0 then ($rh - $ri) * 1024 / .held else null end)}' \
      "$RUN/nchan.$store.json")"
    jq -r --arg s "$store" '.nchan["hold_" + $s] | [$s, "\(.held)/\(.polls)", (.held_after_s | floor | tostring) + " s",
      (.nginx_bytes_per_sub // 0 | floor), (.nginx_pss_bytes_per_sub // 0 | floor),
      (if $s == "redis" then (.redis_bytes_per_sub // 0 | floor) else "-" end)] | @tsv' "$JSON" |
      awk -F'\t' '{ printf "%-8s %8s %12s %14s %14s %14s\n", $1, $2, $3, $4, $5, $6 }'
  done
  jq -r --arg n "$n" 'select(.hold["p" + $n].held > 0) | .hold["p" + $n] as $o |
    ($o.nginx_bytes_per_poll + $o.pushd_bytes_per_poll) as $ours |
    "ours at \($n): nginx + pushd \($ours | floor) B/poll = \($ours / .nchan.hold_redis.nginx_bytes_per_sub * 100 | round / 100)x Nchan Redis, \($ours / .nchan.hold_memory.nginx_bytes_per_sub * 100 | round / 100)x Nchan memory (RSS)"' "$JSON" 2>/dev/null || true
}

# search (bench/search.sh): GET /im/search on a 1,000,000-message table, a large and a small caller.
source "$ROOT/bench/search.sh"

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
  for s in $SCENARIOS; do
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
