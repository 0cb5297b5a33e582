# SPDX-License-Identifier: MIT
# lib/fixtures.sh - users, sessions, cursors and groups made straight in MariaDB (no Argon2 login per user).
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

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
INSERT INTO group_members (group_id, user_id, joined_at, role)
  SELECT LAST_INSERT_ID(), seq, UTC_TIMESTAMP(3), IF(seq = $((members + 1)), 'owner', 'member')
    FROM seq_1_to_$((members + 1));
EOF
  sql -e "SELECT MAX(id) FROM chat_groups"
}
