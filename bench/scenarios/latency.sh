# SPDX-License-Identifier: MIT
# scenarios/latency.sh - send -> receive latency with held polls at a fixed send rate, and pushd's push leg.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

scenario_latency() {
  wait_drained
  refresh_cursors
  log "latency: $LAT_POLLS held polls, $LAT_RATE sends/s for ${LAT_SECONDS}s"
  local out stats p50 p99
  out="$(loadgen --mode=latency --polls="$LAT_POLLS" --senders=32 --send-conns=32 --send-rate="$LAT_RATE" \
    --duration="$LAT_SECONDS" --drain="$LAT_DRAIN" --procs="$(procs_for "$LAT_POLLS")" --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  # The push leg from pushd's own ring (popped from Redis -> answer written): worst node's p99.
  stats="$(for ((i = 0; i < NODES; i++)); do curl -fsS "http://127.0.0.1:$((IM_PUSHD_PORT + i))/stats"; done | jq -s .)"
  p50="$(jq '[.[].push_latency_p50_us] | sort | .[length / 2 | floor]' <<<"$stats")"
  p99="$(jq '[.[].push_latency_p99_us] | max' <<<"$stats")"
  put .latency "$(jq --argjson s "$stats" --argjson p50 "$p50" --argjson p99 "$p99" \
    '. + {push_leg: {p50_us: $p50, p99_us: $p99, nodes: $s}}' <<<"$out")"
  jq -r '"held \(.held)/\(.polls)  sends/s \(.ok_per_s | floor)  deliveries \(.delivery.count)",
    "send->receive  p50 \(.delivery.p50_us) us  p90 \(.delivery.p90_us) us  p99 \(.delivery.p99_us) us  max \(.delivery.max_us) us",
    "send answered  p50 \(.send.p50_us) us  p99 \(.send.p99_us) us",
    "push leg (pushd)  p50 \(.push_leg.p50_us) us  p99 \(.push_leg.p99_us) us",
    "counters \(.counters)"' <<<"$(jq .latency "$JSON")"
}
