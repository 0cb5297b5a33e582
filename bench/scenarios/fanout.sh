# SPDX-License-Identifier: MIT
# scenarios/fanout.sh - one group send to N held members: send -> last member answered, ours and Nchan's.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

scenario_fanout() {
  wait_drained
  local group out nchan
  group="$(make_group "$FAN_MEMBERS")"
  refresh_cursors
  log "fanout: group $group of $FAN_MEMBERS held members, $FAN_ROUNDS sends"
  out="$(loadgen --mode=fanout --polls="$FAN_MEMBERS" --senders=1 --send-conns=1 --group="$group" \
    --rounds="$FAN_ROUNDS" --procs=1 --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  put .fanout "$out"
  jq -r '"ours:  send -> last of \(.polls) members answered: median \(.fanout.p50_us) us  max \(.fanout.max_us) us  rounds \(.fanout.count)  \(.counters)",
    "       send answered (after its commit and notification) -> last answered: median \(.fanout_after_answer.p50_us) us  max \(.fanout_after_answer.max_us) us",
    "       the send itself (group transaction, commit, notification): median \(.send.p50_us) us",
    "       send -> first member answered: median \(.fanout_first.p50_us) us; -> the median member: median \(.fanout_median_member.p50_us) us"' <<<"$out"
  nchan_missing && return 0
  # The same shape on Nchan (Redis store): every member subscribed to one channel, one publish a round.
  log "fanout: Nchan, $FAN_MEMBERS subscribers of one channel, $FAN_ROUNDS publishes"
  nchan_start redis
  nchan="$(nchan_loadgen --mode=fanout --polls="$FAN_MEMBERS" --senders=1 --send-conns=1 --group="$NCHAN_FAN_CHANNEL" \
    --rounds="$FAN_ROUNDS" --procs=1 --connect-rate="$NCHAN_CONNECT_RATE")"
  nchan_stop
  put .nchan.fanout "$nchan"
  jq -r '"Nchan: publish -> last of \(.polls) subscribers answered: median \(.fanout.p50_us) us  max \(.fanout.max_us) us  rounds \(.fanout.count)  \(.counters)"' <<<"$nchan"
  echo "ours / Nchan (median): $(ratio "$(jq .fanout.p50_us <<<"$out")" "$(jq .fanout.p50_us <<<"$nchan")")"
}
