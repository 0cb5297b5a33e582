# SPDX-License-Identifier: MIT
# scenarios/capacity.sh - sustained deliveries/s at p99 < 100 ms over stepped rates, ours and Nchan's.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

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
  # The acknowledgement is a multi-table UPDATE (sessions + conversations), counted apart.
  sql -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_data_fsyncs', 'Com_insert', 'Com_update', 'Com_update_multi',
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
  jq -r '.mariadb_per_delivery // empty | "  per delivery, MariaDB wrote \(.com_insert) INSERT, \(.com_update + .com_update_multi) UPDATE, \(.com_delete) DELETE, \(.com_commit) COMMIT, \(.innodb_data_fsyncs // "-") InnoDB fsyncs (send + the re-poll'"'"'s acknowledgement)"' <<<"$ours"
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
