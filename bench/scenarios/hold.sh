# SPDX-License-Identifier: MIT
# scenarios/hold.sh - memory and fds per held poll at each hold size.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

scenario_hold() {
  local n out pushd_idle nginx_idle nginx_pss_idle pushd_held nginx_held nginx_pss_held held fds maxfd p
  printf '%-8s %8s %12s %14s %14s %14s %14s\n' polls held "held after" "pushd B/poll" "nginx B/poll" "(nginx PSS)" \
    "max pushd fds"
  for n in "${HOLD_SIZES[@]}"; do
    wait_drained
    pushd_idle="$(sum_rss $(pushd_pids))"; nginx_idle="$(sum_rss $(nginx_worker_pids))"
    nginx_pss_idle="$(sum_pss $(nginx_worker_pids))"
    refresh_cursors
    # Twice the ramp's length, plus a minute: with the poll back-off, 100k reached 97,553 of 100,000
    # at the earlier n / 1000 + 60 s (81k 503s retried on the way; no collapse).
    hold_start "$RUN/hold.$n.json" "$RUN/ready.$n" loadgen --polls="$n" --procs="$(procs_for "$n")" \
      --connect-rate="$CONNECT_RATE" --wait-held=$((n / 500 + 60)) $(pushd_urls)
    pushd_held="$(sum_rss $(pushd_pids))"; nginx_held="$(sum_rss $(nginx_worker_pids))"
    nginx_pss_held="$(sum_pss $(nginx_worker_pids))"
    maxfd=0
    for p in $(pushd_pids); do fds="$(nfds "$p")"; [ "$fds" -gt "$maxfd" ] && maxfd=$fds; done
    wait "$HOLD_GEN" || true
    out="$(cat "$RUN/hold.$n.json")"
    held="$(jq .held <<<"$out")"
    put ".hold.p$n" "$(jq --argjson pi "$pushd_idle" --argjson ph "$pushd_held" --argjson ni "$nginx_idle" \
      --argjson nh "$nginx_held" --argjson si "$nginx_pss_idle" --argjson sh "$nginx_pss_held" \
      --argjson fd "$maxfd" --argjson lim "$FD_LIMIT" \
      '. + {pushd_rss_kib: {idle: $pi, held: $ph}, nginx_rss_kib: {idle: $ni, held: $nh},
            nginx_pss_kib: {idle: $si, held: $sh}, pushd_max_fds: $fd, fd_limit: $lim,
            pushd_bytes_per_poll: (if .held > 0 then ($ph - $pi) * 1024 / .held else null end),
            nginx_bytes_per_poll: (if .held > 0 then ($nh - $ni) * 1024 / .held else null end),
            nginx_pss_bytes_per_poll: (if .held > 0 then ($sh - $si) * 1024 / .held else null end)}' <<<"$out")"
    jq -r --arg n "$n" '.hold["p" + $n] | [.polls, .held, (.held_after_s | floor | tostring) + " s",
      (.pushd_bytes_per_poll // 0 | floor), (.nginx_bytes_per_poll // 0 | floor),
      (.nginx_pss_bytes_per_poll // 0 | floor), "\(.pushd_max_fds)/\(.fd_limit)"] | @tsv' "$JSON" |
      awk -F'\t' '{ printf "%-8s %8s %12s %14s %14s %14s %14s\n", $1, $2, $3, $4, $5, $6, $7 }'
    [ "$held" -ge "$n" ] || log "hold $n: only $held held; counters: $(jq -c .counters <<<"$out")"
  done
}
