# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# sentinel.sh - IM_REDIS=sentinel for ./im (which sources this file and owns spawn, stop, wait_ready,
# $VAR, $REDIS_PORT): a Redis primary, one replica and three Redis Sentinels on loopback.
#
# Ports: the data nodes on IM_REDIS_PORT and IM_REDIS_PORT+1, the sentinels on +2, +3, +4.
# Quorum 2 of 3, so one sentinel may die; a failover is started after SENTINEL_DOWN_AFTER_MS of
# silence and given SENTINEL_FAILOVER_TIMEOUT_MS (values for a local stack; docs/redis.md says
# what production would pick). Like the single Redis, nothing is persisted: MySQL is the truth.

readonly SENTINEL_MASTER=im
readonly SENTINEL_QUORUM=2
readonly SENTINEL_DOWN_AFTER_MS="${IM_SENTINEL_DOWN_AFTER_MS:-1000}"
readonly SENTINEL_FAILOVER_TIMEOUT_MS="${IM_SENTINEL_FAILOVER_TIMEOUT_MS:-5000}"

sentinel_data_ports() { echo "$REDIS_PORT" $((REDIS_PORT + 1)); }
sentinel_ports() { echo $((REDIS_PORT + 2)) $((REDIS_PORT + 3)) $((REDIS_PORT + 4)); }

# The keys fcgi and pushd read (common/Config.cc): the sentinels, not one server.
sentinel_properties() {
  local port list=""
  for port in $(sentinel_ports); do list+="${list:+,}127.0.0.1:$port"; done
  printf 'redis.sentinels = %s\nredis.master_name = %s\n' "$list" "$SENTINEL_MASTER"
}

sentinel_cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }

# The port of the primary, as the first sentinel that answers names it; nothing when none does.
sentinel_current_primary() {
  local port reply
  for port in $(sentinel_ports); do
    reply="$(sentinel_cli "$port" SENTINEL get-master-addr-by-name "$SENTINEL_MASTER" 2>/dev/null | sed -n 2p)"
    [ -n "$reply" ] && { echo "$reply"; return 0; }
  done
  return 1
}

# write_data_conf PORT [PRIMARY_PORT]: the data node's config, a replica of PRIMARY_PORT when given.
# A file rather than flags: sentinels rewrite it (CONFIG REWRITE) when they reconfigure the node.
write_data_conf() {
  local port=$1 primary=${2:-} dir="$VAR/redis-$1"
  mkdir -p "$dir"
  cat >"$dir/redis.conf" <<EOF
bind 127.0.0.1
port $port
dir $dir
save ""
appendonly no
# A replica (re)syncs straight over the socket: no RDB file on disk in between.
repl-diskless-sync yes
repl-diskless-sync-delay 0
EOF
  [ -z "$primary" ] || echo "replicaof 127.0.0.1 $primary" >>"$dir/redis.conf"
}

write_sentinel_conf() {
  local port=$1 primary=$2 dir="$VAR/sentinel-$1"
  mkdir -p "$dir"
  cat >"$dir/sentinel.conf" <<EOF
bind 127.0.0.1
port $port
dir $dir
sentinel monitor $SENTINEL_MASTER 127.0.0.1 $primary $SENTINEL_QUORUM
sentinel down-after-milliseconds $SENTINEL_MASTER $SENTINEL_DOWN_AFTER_MS
sentinel failover-timeout $SENTINEL_MASTER $SENTINEL_FAILOVER_TIMEOUT_MS
sentinel parallel-syncs $SENTINEL_MASTER 1
EOF
}

replica_linked() { sentinel_cli "$1" INFO replication | grep -q '^master_link_status:up'; }
data_ping() { [ "$(sentinel_cli "$1" ping)" = PONG ]; }

# Every sentinel sees the other two and the replica: only then can a failover happen.
sentinels_ready() {
  local port
  for port in $(sentinel_ports); do
    sentinel_cli "$port" SENTINEL ckquorum "$SENTINEL_MASTER" | grep -q '^OK 3 usable' || return 1
    [ "$(sentinel_cli "$port" SENTINEL replicas "$SENTINEL_MASTER" | grep -c '^name$')" -ge 1 ] || return 1
  done
}

start_data_node() {
  local port=$1 primary=${2:-}
  log "starting Redis on 127.0.0.1:$port${primary:+ (replica of $primary)}"
  write_data_conf "$port" "$primary"
  spawn "redis-$port" redis-server "$VAR/redis-$port/redis.conf"
  wait_ready "redis-$port" 20 data_ping "$port" || fail_start "redis-$port"
}

# A fresh stack: the first port is the primary. Later (a node or sentinel died and `up` runs
# again), what is missing joins the primary the sentinels name now: an old primary comes back
# as a replica rather than as a second, empty primary.
start_sentinel_stack() {
  local fresh=1 port primary first
  for port in $(sentinel_data_ports) $(sentinel_ports); do
    is_running "redis-$port" || is_running "sentinel-$port" && fresh=0
  done
  first="$(sentinel_data_ports | cut -d' ' -f1)"
  primary="$first"
  [ "$fresh" = 1 ] || primary="$(sentinel_current_primary)" || primary="$first"
  for port in $(sentinel_data_ports); do
    is_running "redis-$port" && continue
    if [ "$port" = "$primary" ]; then start_data_node "$port"; else start_data_node "$port" "$primary"; fi
  done
  for port in $(sentinel_data_ports); do
    [ "$port" = "$primary" ] || wait_until 30 "redis-$port to sync" replica_linked "$port" || fail_start "redis-$port"
  done
  for port in $(sentinel_ports); do
    is_running "sentinel-$port" && continue
    # A sentinel that restarts keeps what it learnt (its rewritten file); a fresh one starts clean.
    [ "$fresh" = 1 ] || [ ! -s "$VAR/sentinel-$port/sentinel.conf" ] && write_sentinel_conf "$port" "$primary"
    log "starting Redis Sentinel on 127.0.0.1:$port"
    spawn "sentinel-$port" redis-sentinel "$VAR/sentinel-$port/sentinel.conf"
  done
  wait_until 30 "the sentinels to see each other and the replica" sentinels_ready || fail_start sentinel
}

# Sentinels first: stopping the primary before them would start a failover.
stop_sentinel_stack() {
  local file
  for file in "$VAR"/run/sentinel-*.pid "$VAR"/run/redis-*.pid; do
    [ -e "$file" ] && stop "$(basename "$file" .pid)" TERM 20
  done
  return 0
}

sentinel_service_names() {
  local file
  for file in "$VAR"/run/redis-*.pid "$VAR"/run/sentinel-*.pid; do
    [ -e "$file" ] && basename "$file" .pid
  done
  return 0
}
