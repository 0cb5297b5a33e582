# SPDX-License-Identifier: MIT
# scenarios/nchan.sh - the anchor: Nchan's latency (Redis store) and memory per subscriber (Redis and memory stores).
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

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
