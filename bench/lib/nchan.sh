# SPDX-License-Identifier: MIT
# lib/nchan.sh - extra nginx instances (the hello ceiling, the Nchan anchor) and Nchan's own Redis.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

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
  IM_VAR="$NCHAN_DIR" IM_PORT="$NCHAN_PORT" "$ROOT/im" render-nginx "$ROOT/bench/nginx-nchan.conf.in" "$NCHAN_DIR/nginx.in"
  sed -e "s|@MODULE@|$NCHAN_MODULE|" -e "s|@STORE_UPSTREAM@|$upstream|" -e "s|@STORE@|$pass|" \
    "$NCHAN_DIR/nginx.in" >"$NCHAN_DIR/nginx.conf"
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
