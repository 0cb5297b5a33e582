# SPDX-License-Identifier: MIT
# scenarios/search.sh - GET /im/search p50/p99 through nginx for a caller with 10,000 of 1,000,000
# messages and one with 100 of the same table, same queries: the cost follows the caller's history.
# Sourced by bench/run.sh, which sets the sizes (SEARCH_*) and paths it uses.
readonly SEARCH_PEERS=1000
# kind|q|extra parameters (@PEER@: the caller's busiest direct peer). "common" hits 1 row in 5:
# the walk stops after limit + 1 hits; "nohit" reads every row of the caller's conversations.
readonly SEARCH_KINDS=("latin|needle|" "cjk|你好|" "common|the|" "nohit|zqxj|" "named|needle|&with=@PEER@")

# search_fixture BASE: the messages and groups of users BASE.. (the callers BASE+10 and BASE+11).
search_fixture() {
  sed -e "s/@BASE@/$1/g" -e "s/@ROWS@/$SEARCH_ROWS/g" \
    -e "s/@PEERS@/$SEARCH_PEERS/g" -e "s/@EVERY_BIG@/$SEARCH_EVERY_BIG/g" -e "s/@EVERY_SMALL@/$SEARCH_EVERY_SMALL/g" \
    "$ROOT/bench/search-fixture.sql.in" | sql --default-character-set=utf8mb4 >/dev/null
}

# The messages of uid's conversations: direct (either side) and its groups.
search_history() {
  sql -e "SELECT COUNT(*) FROM messages WHERE dm_lo = $1 OR dm_hi = $1
          OR group_id IN (SELECT group_id FROM group_members WHERE user_id = $1)"
}
search_peer() {
  sql -e "SELECT IF(dm_lo = $1, dm_hi, dm_lo) p FROM messages WHERE dm_lo = $1 OR dm_hi = $1
          GROUP BY p ORDER BY COUNT(*) DESC LIMIT 1"
}

# search_time TOKEN KIND_SPEC PEER: SEARCH_REPS sequential searches on one keep-alive connection;
# prints "status seconds bytes" per request.
search_time() {
  local token=$1 spec=$2 peer=$3 q extra url args=() i
  IFS='|' read -r _ q extra <<<"$spec"
  url="http://127.0.0.1:$IM_PORT/im/search?q=$(jq -rn --arg q "$q" '$q | @uri')${extra//@PEER@/$peer}"
  for ((i = 0; i < SEARCH_REPS; i++)); do args+=(-o /dev/null "$url"); done
  curl -s -H "Authorization: Bearer $token" -w '%{http_code} %{time_total} %{size_download}\n' "${args[@]}"
}

# MariaDB's row reads so far (every Handler_read_* counter): their growth over a batch / its size
# is the rows one search reads (plus the token lookup's few).
search_reads() {
  sql -e "SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME LIKE 'HANDLER_READ%'"
}

# "p50 p99" in ms of the second column.
search_percentiles() {
  awk '{ print $2 * 1000 }' | sort -n |
    awk '{ v[NR] = $1 } END { i50 = int((NR - 1) * 0.50) + 1; i99 = int((NR - 1) * 0.99) + 1;
      printf "%.2f %.2f\n", v[i50], v[i99] }'
}

scenario_search() {
  local base big small tbig tsmall t0 spec kind out json='{}' caller token peer p bad r0 reads p50 p99
  base="$(fixture_users search_ $((12 + SEARCH_PEERS)) "$RUN/search.tokens")"
  big=$((base + 10)); small=$((base + 11))
  tbig="$(awk -v u="$big" '$1 == u { print $2 }' "$RUN/search.tokens")"
  tsmall="$(awk -v u="$small" '$1 == u { print $2 }' "$RUN/search.tokens")"
  log "search: inserting $SEARCH_ROWS messages (INSERT ... SELECT from seq_1_to_$SEARCH_ROWS)"
  t0=$SECONDS
  search_fixture "$base"
  log "search: fixture in $((SECONDS - t0)) s"
  json="$(jq -n --argjson rows "$(sql -e 'SELECT COUNT(*) FROM messages')" --argjson reps "$SEARCH_REPS" \
    --argjson hb "$(search_history "$big")" --argjson hs "$(search_history "$small")" \
    '{table_rows: $rows, reps: $reps, big: {history: $hb}, small: {history: $hs}}')"
  for caller in big small; do
    [ "$caller" = big ] && { token=$tbig; p=$big; } || { token=$tsmall; p=$small; }
    peer="$(search_peer "$p")"
    search_time "$token" "needle|warm|" "$peer" >/dev/null  # the worker's prepared statements
    for spec in "${SEARCH_KINDS[@]}"; do
      kind="${spec%%|*}"
      r0="$(search_reads)"
      out="$(search_time "$token" "$spec" "$peer")"
      reads=$((($(search_reads) - r0) / SEARCH_REPS))
      bad="$(awk '$1 != 200' <<<"$out" | wc -l)"
      [ "$bad" = 0 ] || log "search: $caller $kind: $bad answers were not 200"
      read -r p50 p99 <<<"$(search_percentiles <<<"$out")"
      json="$(jq --arg c "$caller" --arg k "$kind" --argjson p50 "$p50" --argjson p99 "$p99" --argjson bad "$bad" \
        --argjson bytes "$(awk 'NR == 1 { print $3 }' <<<"$out")" --argjson reads "$reads" \
        '.[$c][$k] = {p50_ms: $p50, p99_ms: $p99, errors: $bad, answer_bytes: $bytes, rows_read: $reads}' <<<"$json")"
    done
  done
  put .search "$json"
  jq -r '"messages \(.table_rows); caller A has \(.big.history), caller B \(.small.history); \(.reps) searches per row, limit 20, through nginx"' <<<"$json"
  printf '%-8s %10s %10s %10s %10s %10s %10s %8s\n' query "A p50 ms" "A p99 ms" "A rows" "B p50 ms" "B p99 ms" \
    "B rows" "A/B p50"
  for spec in "${SEARCH_KINDS[@]}"; do
    kind="${spec%%|*}"
    jq -r --arg k "$kind" '[$k, .big[$k].p50_ms, .big[$k].p99_ms, .big[$k].rows_read, .small[$k].p50_ms,
      .small[$k].p99_ms, .small[$k].rows_read,
      (if .small[$k].p50_ms > 0 then .big[$k].p50_ms / .small[$k].p50_ms * 10 | round / 10 else "-" end)] | @tsv' \
      <<<"$json" | awk -F'\t' '{ printf "%-8s %10s %10s %10s %10s %10s %10s %8s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
  done
}
