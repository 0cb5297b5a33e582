#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sentinel_overhead.sh - what IM_REDIS=sentinel costs per request once connected: the same sends
# against three local stacks (one Redis over its unix socket, one over TCP, Sentinel), as server
# CPU per send (utime+stime of fcgi, pushd, nginx and the Redis processes, from /proc).
# Usage: bench/sentinel_overhead.sh [sends per stack, default 2000]  (IM_BENCH_ROUNDS, default 3; builds
# nothing: build first). Each send is one keep-alive request from one curl: the client costs nothing here.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly SENDS="${1:-2000}"
readonly TICKS="$(getconf CLK_TCK)"

# A base port whose next 12 ports nothing listens on (another stack on this machine may).
free_base() {
  local base p
  while :; do
    base=$((20000 + RANDOM % 9000))
    for ((p = base; p < base + 12; p++)); do
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue 2
    done
    echo "$base"
    return
  done
}

# cpu_ticks VAR PATTERN: utime+stime of the services whose pid files match, and their children.
cpu_ticks() {
  local var=$1 pattern=$2 file pid total=0 pids=()
  for file in "$var"/run/$pattern.pid; do
    [ -e "$file" ] || continue
    pid="$(tr -dc 0-9 <"$file")"
    [ -n "$pid" ] && pids+=("$pid") && pids+=($(pgrep -P "$pid" || true))
  done
  for pid in "${pids[@]}"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

# group_ticks VAR GROUP...: one sum of cpu_ticks per group (a group: blank-separated patterns).
group_ticks() {
  local var=$1 g pattern sum out=() patterns
  shift
  for g in "$@"; do
    sum=0
    read -ra patterns <<<"$g"  # split, not globbed here: cpu_ticks globs them under run/
    for pattern in "${patterns[@]}"; do sum=$((sum + $(cpu_ticks "$var" "$pattern"))); done
    out+=("$sum")
  done
  echo "${out[@]}"
}

api() { curl -fsS -H 'Content-Type: application/json' "$@"; }

# run_mode NAME ENV...: one stack, SENDS sends from a to b (b's session names a node, so every
# send also reads the session and pushes a notification), then down.
run_mode() {
  local name=$1 var url a b token before after sentinels0 sentinels1 i
  shift
  var="$(mktemp -d /tmp/im-sentinel-bench.XXXXXX)"
  BASE="$(free_base)"
  env "$@" IM_VAR="$var" IM_PORT=$BASE IM_MYSQL_PORT=$((BASE + 1)) IM_REDIS_PORT=$((BASE + 2)) \
    IM_PUSHD_PORT=$((BASE + 10)) IM_SUPERVISE=0 IM_SKIP_INSTALL=1 IM_SKIP_BUILD=1 IM_MYSQL_BUFFER_POOL=64M \
    IM_EXTRA_CONFIG="$(printf 'limits.send_per_user = 0\nauth.argon2_ops = 1\nauth.argon2_mem_kib = 8192\n%s' "${EXTRA:-}")" \
    "$ROOT/im" up >"$var/up.log" 2>&1 || {
    cat "$var/up.log"
    env "$@" IM_VAR="$var" IM_REDIS_PORT=$((BASE + 2)) "$ROOT/im" down >/dev/null 2>&1
    exit 1
  }
  url="http://127.0.0.1:$BASE/im"
  for a in alice bob; do api -d "{\"username\":\"$a\",\"password\":\"correct horse\"}" "$url/register" >/dev/null; done
  token="$(api -d '{"username":"alice","password":"correct horse"}' "$url/login" | sed 's/.*"token":"\([^"]*\)".*/\1/')"
  b="$(api -d '{"username":"bob","password":"correct horse"}' "$url/login")"
  api -H "Authorization: Bearer $(echo "$b" | sed 's/.*"token":"\([^"]*\)".*/\1/')" "$url/poll?since=0&timeout=0" >/dev/null
  b="$(echo "$b" | sed 's/.*"user_id":\([0-9]*\).*/\1/')"
  # One curl, one keep-alive connection, SENDS requests: the client costs the server nothing extra.
  for ((i = 0; i < SENDS; i++)); do printf 'url = "%s/send"\noutput = "/dev/null"\n' "$url"; done >"$var/curl.conf"
  # fcgi is where a per-request Sentinel cost would show; the Redis servers include the replica,
  # which applies every write again (replication is the real price); the sentinels run on a clock.
  local groups=('fcgi' 'redis*' 'pushd-* nginx' 'sentinel-*')
  local -a before after
  read -ra before <<<"$(group_ticks "$var" "${groups[@]}")"
  local start=$SECONDS
  api -H "Authorization: Bearer $token" -d "{\"to\":$b,\"body\":\"bench\"}" -K "$var/curl.conf"
  read -ra after <<<"$(group_ticks "$var" "${groups[@]}")"
  local secs=$((SECONDS - start))
  env "$@" IM_VAR="$var" IM_REDIS_PORT=$((BASE + 2)) "$ROOT/im" down >/dev/null 2>&1
  awk -v n="$name" -v s="$SENDS" -v hz="$TICKS" -v secs="$secs" \
    -v f=$((after[0] - before[0])) -v r=$((after[1] - before[1])) -v o=$((after[2] - before[2])) \
    -v st=$((after[3] - before[3])) 'BEGIN {
      us = 1e6 / hz / s
      printf "%-13s %5d sends, %3d s: server CPU per send %6.1f us = fcgi %6.1f + redis %5.1f + pushd/nginx %5.1f; sentinels %4.1f%% of a core\n",
        n, s, secs, (f + r + o) * us, f * us, r * us, o * us, (secs > 0 ? st * 100 / hz / secs : 0) }'
  rm -rf "$var"
}

# Interleaved rounds: other load on the machine drifts, and each mode should see the same drift.
for ((round = 0; round < ${IM_BENCH_ROUNDS:-3}; round++)); do
  run_mode redis-socket IM_REDIS=single
  EXTRA='redis.socket =' run_mode redis-tcp IM_REDIS=single
  run_mode sentinel IM_REDIS=sentinel
done
