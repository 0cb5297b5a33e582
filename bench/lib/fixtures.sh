# SPDX-License-Identifier: MIT
# lib/fixtures.sh - users with a session each (the product's `im-admin fixture users`: no Argon2
# login per user), inbox cursors and groups. Sourced by bench/run.sh, which sets the sizes and paths.

sql() { mariadb --no-defaults --socket="$IM_VAR/run/mysql.sock" -uroot --batch --skip-column-names im "$@"; }

# fixture_users PREFIX COUNT FILE: COUNT users PREFIX1..PREFIXCOUNT, their inbox counters and one
# session each, made by im-admin through the product's stores and token hash rule; FILE gets
# "uid token" a line. Prints the first id; the ids are consecutive (the command says so).
fixture_users() {
  local out
  out="$(admin --json fixture users --prefix "$1" --count "$2" --tokens-out "$3" --batch 5000 --device bench)"
  [ "$(jq .consecutive <<<"$out")" = true ] || { log "fixture: ids not consecutive: $out"; return 1; }
  jq .first_id <<<"$out"
}

# The bench's users bench_1..bench_USERS: ids 1..USERS on the fresh stack (make_group counts on it).
# users.base: "uid token"; users (what im-loadgen reads): "uid token since", see refresh_cursors.
make_users() {
  local first
  first="$(fixture_users bench_ "$USERS" "$RUN/users.base")"
  [ "$first" = 1 ] || { log "fixture: the first bench user is $first, not 1 (not a fresh stack?)"; return 1; }
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
  sql <<EOF2
INSERT INTO chat_groups (name, created_by, created_at) VALUES ('bench', $((members + 1)), UTC_TIMESTAMP(3));
INSERT INTO group_members (group_id, user_id, joined_at, role)
  SELECT LAST_INSERT_ID(), seq, UTC_TIMESTAMP(3), IF(seq = $((members + 1)), 'owner', 'member')
    FROM seq_1_to_$((members + 1));
EOF2
  sql -e "SELECT MAX(id) FROM chat_groups"
}
