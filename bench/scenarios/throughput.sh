# SPDX-License-Identifier: MIT
# scenarios/throughput.sh - closed-loop durable sends/s next to the bare MariaDB transaction of a send.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

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
