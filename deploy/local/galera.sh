# shellcheck shell=bash
# deploy/local/galera.sh - sourced by ./im: the local MariaDB topologies past one server, on loopback:
# IM_MYSQL=galera (3 Galera nodes) and IM_MYSQL_REPLICA=1 (one async replica of the primary).
# Uses ./im's helpers (spawn, wait_ready, stop, is_running, pidfile, fail_start, mysql_password, log).

readonly MYSQL_ENGINE="${IM_MYSQL:-single}"
readonly MYSQL_REPLICA="${IM_MYSQL_REPLICA:-0}"
readonly GALERA_NODES=3
# Node i listens on GALERA_PORT+4i (clients), +1 (group communication), +2 (IST), +3 (SST);
# the replica on GALERA_PORT+12.
readonly GALERA_PORT="${IM_GALERA_PORT:-$((MYSQL_PORT + 10))}"
readonly REPLICA_PORT=$((GALERA_PORT + 12))

case "$MYSQL_ENGINE" in single | galera) ;; *) die "IM_MYSQL is 'single' or 'galera', not '$MYSQL_ENGINE'" ;; esac

# Node 0 keeps the single server's names (mysql, mysql.sock): setup_database, the migrations and
# the tests' root access go through it whatever the engine.
galera_name() { if [ "$1" = 0 ]; then echo mysql; else echo "mysql-$1"; fi; }
galera_port() { echo $((GALERA_PORT + 4 * $1 + $2)); }
galera_socket() { echo "$VAR/run/$(galera_name "$1").sock"; }
galera_datadir() { echo "$VAR/galera/node$1"; }

galera_cluster_address() {
  local i list=""
  for ((i = 0; i < GALERA_NODES; i++)); do list+="${list:+,}127.0.0.1:$(galera_port "$i" 1)"; done
  echo "gcomm://$list"
}

# A node's options live in a file (not on the command line) because the SST scripts read them.
# log_bin + log_slave_updates + one server_id/GTID domain: every node's binlog carries the whole
# cluster's writes under the same GTIDs, so a replica can follow any node (README).
galera_write_cnf() {
  local i=$1 user_line=""
  is_root && user_line="user = root"
  cat >"$VAR/galera/node$i.cnf" <<EOF
[mariadbd]
$user_line
datadir = $(galera_datadir "$i")
tmpdir = $VAR/tmp
socket = $(galera_socket "$i")
port = $(galera_port "$i" 0)
bind-address = 127.0.0.1
skip-name-resolve
pid-file = $(server_pidfile "$(galera_name "$i")")
log-error = $VAR/log/$(galera_name "$i").log
innodb_buffer_pool_size = $MYSQL_BUFFER_POOL
innodb_log_file_size = 48M
innodb_flush_log_at_trx_commit = 1
innodb_autoinc_lock_mode = 2
max_connections = 500
character-set-server = utf8mb4
collation-server = utf8mb4_bin
binlog_format = ROW
log_bin = $(galera_datadir "$i")/binlog
log_slave_updates = ON
server_id = 1
wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = im-local
wsrep_cluster_address = $(galera_cluster_address)
wsrep_node_name = node$i
wsrep_node_address = 127.0.0.1:$(galera_port "$i" 1)
wsrep_node_incoming_address = 127.0.0.1:$(galera_port "$i" 0)
wsrep_sst_receive_address = 127.0.0.1:$(galera_port "$i" 3)
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$(galera_port "$i" 1);ist.recv_addr=127.0.0.1:$(galera_port "$i" 2);gcache.size=64M"
wsrep_sst_method = mariabackup
wsrep_sst_donor_rejects_queries = ON
wsrep_gtid_mode = ON
wsrep_gtid_domain_id = 1
wsrep_slave_threads = 2
EOF
}

galera_sql() { mariadb --no-defaults --socket="$(galera_socket "$1")" -uroot --batch --skip-column-names -e "$2"; }
galera_status_var() { galera_sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2; }
# Synced, in a primary component of all the nodes.
galera_synced() {
  [ "$(galera_status_var "$1" wsrep_local_state_comment)" = Synced ] &&
    [ "$(galera_status_var "$1" wsrep_cluster_size)" = "$GALERA_NODES" ]
}
galera_any_running() {
  local i
  for ((i = 0; i < GALERA_NODES; i++)); do is_running "$(galera_name "$i")" && return 0; done
  return 1
}

galera_launch() {
  local i=$1 name
  shift
  name="$(galera_name "$i")"
  mkdir -p "$(galera_datadir "$i")"
  galera_write_cnf "$i"
  rm -f "$(galera_socket "$i")"
  log "starting Galera node $i on 127.0.0.1:$(galera_port "$i" 0) $*"
  # --defaults-file must come first: /etc/mysql/my.cnf belongs to the system server.
  spawn "$name" mariadbd --defaults-file="$VAR/galera/node$i.cnf" "$@"
}

# Node 0 bootstraps a new cluster when no node runs (its grastate.dat is made safe to bootstrap:
# locally, after a crash of all three, node 0 is as good as any); the others join, by IST when
# their gcache position is still known to the donor, else by a full mariabackup SST (which, unlike rsync, does not block the donor).
start_galera() {
  local i user_args=()
  is_root && user_args=(--user=root)
  mkdir -p "$VAR/galera"
  if ! is_running mysql; then
    if [ ! -d "$(galera_datadir 0)/mysql" ]; then
      log "initialising Galera node 0 in $(galera_datadir 0)"
      mariadb-install-db --no-defaults --datadir="$(galera_datadir 0)" --tmpdir="$VAR/tmp" \
        --auth-root-authentication-method=socket --skip-test-db "${user_args[@]}" \
        >>"$VAR/log/mysql-install.log" 2>&1 || fail_start mysql-install
    fi
    if galera_any_running; then
      galera_launch 0
    else
      [ -f "$(galera_datadir 0)/grastate.dat" ] &&
        sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$(galera_datadir 0)/grastate.dat"
      galera_launch 0 --wsrep-new-cluster
    fi
    wait_ready mysql 60 mysql_ping || fail_start mysql
  fi
  for ((i = 1; i < GALERA_NODES; i++)); do
    is_running "$(galera_name "$i")" || galera_launch "$i"
  done
  for ((i = 0; i < GALERA_NODES; i++)); do
    wait_ready "$(galera_name "$i")" 120 galera_synced "$i" || fail_start "$(galera_name "$i")"
  done
  log "Galera: $GALERA_NODES nodes Synced"
}

stop_galera() {
  local i
  # The joiners first, node 0 last: it is then the one safe to bootstrap from.
  for ((i = GALERA_NODES - 1; i >= 0; i--)); do stop "$(galera_name "$i")" TERM 60; done
}

# ---------------------------------------------------------------- the async replica

replica_sql() { mariadb --no-defaults --socket="$VAR/run/mysql-replica.sock" -uroot --batch --skip-column-names "$@"; }
replica_ping() { mariadb-admin --no-defaults --socket="$VAR/run/mysql-replica.sock" -uroot ping; }

# The replication account's password, beside the others in $VAR/secrets (0600).
replication_password() {
  local file="$VAR/secrets"
  mysql_password >/dev/null
  if ! grep -q '^mysql\.replication_password=' "$file"; then
    printf 'mysql.replication_password=%s\n' "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" >>"$file"
  fi
  sed -n 's/^mysql\.replication_password=//p' "$file"
}

# The primary's options a replica needs (the single server; Galera nodes always binlog).
single_binlog_args() {
  [ "$MYSQL_REPLICA" = 1 ] || return 0
  echo "--log-bin=$VAR/mysql/binlog --binlog-format=ROW --server-id=1"
}

# One replica of node 0 (or the single server), read-only, seeded by a dump that carries its
# GTID position, then following the primary's binlog with MASTER_USE_GTID.
start_replica() {
  [ "$MYSQL_REPLICA" = 1 ] || return 0
  is_running mysql-replica && return 0
  local user_args=() fresh=0
  is_root && user_args=(--user=root)
  if [ ! -d "$VAR/replica/mysql" ]; then
    fresh=1
    mariadb-install-db --no-defaults --datadir="$VAR/replica" --tmpdir="$VAR/tmp" \
      --auth-root-authentication-method=socket --skip-test-db "${user_args[@]}" \
      >>"$VAR/log/mysql-install.log" 2>&1 || fail_start mysql-install
  fi
  log "starting the MariaDB replica on 127.0.0.1:$REPLICA_PORT"
  rm -f "$VAR/run/mysql-replica.sock"
  spawn mysql-replica mariadbd --no-defaults --datadir="$VAR/replica" --tmpdir="$VAR/tmp" \
    --socket="$VAR/run/mysql-replica.sock" --port="$REPLICA_PORT" --bind-address=127.0.0.1 \
    --skip-name-resolve --pid-file="$(server_pidfile mysql-replica)" --log-error="$VAR/log/mysql-replica.log" \
    "${user_args[@]}" --server-id=2 --read-only=ON --relay-log="$VAR/replica/relay" \
    --innodb-buffer-pool-size="$MYSQL_BUFFER_POOL" --max-connections=500 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin
  wait_ready mysql-replica 60 replica_ping || fail_start mysql-replica
  [ "$fresh" = 1 ] && seed_replica
  replica_sql -e "START SLAVE" || fail_start mysql-replica
}

seed_replica() {
  local rpw pw host
  rpw="$(replication_password)"
  pw="$(mysql_password)"
  mysql_root -e "CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY '$rpw';
    GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';"
  # The service account exists on the replica too (reads only), with the same password.
  for host in 127.0.0.1 localhost; do
    replica_sql -e "CREATE USER IF NOT EXISTS 'im'@'$host' IDENTIFIED BY '$pw';
      GRANT SELECT ON im.* TO 'im'@'$host';"
  done
  mariadb-dump --no-defaults --socket="$VAR/run/mysql.sock" -uroot --single-transaction \
    --master-data=1 --gtid --databases im 2>>"$VAR/log/mysql-replica.log" | replica_sql \
    || fail_start mysql-replica
  replica_sql -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(primary_port),
    MASTER_USER='repl', MASTER_PASSWORD='$rpw', MASTER_USE_GTID=slave_pos" || fail_start mysql-replica
}

primary_port() { if [ "$MYSQL_ENGINE" = galera ]; then galera_port 0 0; else echo "$MYSQL_PORT"; fi; }

# ---------------------------------------------------------------- what ./im calls

start_databases() {
  if [ "$MYSQL_ENGINE" = galera ]; then start_galera; else start_mysql; fi
}
stop_databases() {
  stop mysql-replica TERM 60
  if [ "$MYSQL_ENGINE" = galera ] || [ -d "$VAR/galera" ]; then stop_galera; else stop mysql TERM 60; fi
}
database_names() {
  local i
  if [ "$MYSQL_ENGINE" = galera ]; then
    for ((i = 0; i < GALERA_NODES; i++)); do galera_name "$i"; done
  else
    echo mysql
  fi
  [ "$MYSQL_REPLICA" = 1 ] && echo mysql-replica
  return 0
}

# im.properties' MariaDB endpoints: the single server's socket, or every Galera node by TCP
# (as they would be on three hosts), and the replica.
mysql_endpoint_properties() {
  local i hosts=""
  if [ "$MYSQL_ENGINE" = galera ]; then
    for ((i = 0; i < GALERA_NODES; i++)); do hosts+="${hosts:+,}127.0.0.1:$(galera_port "$i" 0)"; done
    echo "mysql.hosts = $hosts"
  else
    printf 'mysql.host = 127.0.0.1\nmysql.port = %s\nmysql.socket = %s\n' "$MYSQL_PORT" "$VAR/run/mysql.sock"
  fi
  [ "$MYSQL_REPLICA" = 1 ] && echo "mysql.replicas = 127.0.0.1:$REPLICA_PORT"
  return 0
}
