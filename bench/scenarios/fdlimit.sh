# SPDX-License-Identifier: MIT
# scenarios/fdlimit.sh - one pushd filled to 96% of its open-file limit.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

node_pid() { tr -dc 0-9 2>/dev/null <"$IM_VAR/run/pushd-$1.pid"; }
# The nodes the product's registry lists (im-admin nodes: fcgi's NodeDirectory), live or not.
ring_size() { admin --json nodes 2>/dev/null | jq length || echo -1; }
soft_nofile() { awk '/^Max open files/ { print $4 }' "/proc/$1/limits"; }

# One pushd process filled to >= 95% of its open-file limit (the target "in each pushd process"):
# every node but the first leaves the ring (SIGTERM: it deregisters itself), so fcgi hands
# every poll to the first; ./im up restarts the others afterwards.
scenario_fdlimit() {
  wait_drained
  local keep=$IM_PUSHD_PORT keep_pid pid port i limit orig idle polls fds held out gone
  keep_pid="$(node_pid "$keep")"
  for ((i = 1; i < NODES; i++)); do
    port=$((IM_PUSHD_PORT + i))
    pid="$(node_pid "$port")" && kill -TERM "$pid" 2>/dev/null || true
  done
  for ((i = 0; i < 200; i++)); do
    gone=1
    for ((port = IM_PUSHD_PORT + 1; port < IM_PUSHD_PORT + NODES; port++)); do
      pid="$(node_pid "$port")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && gone=0
    done
    [ "$gone" = 1 ] && [ "$(ring_size)" = 1 ] && break
    sleep 0.1
  done
  [ "$(ring_size)" = 1 ] || log "fdlimit: the node registry still lists $(ring_size) nodes"
  sleep 1.1  # each fcgi worker re-reads the ring at most once a second (fcgi/NodeDirectory)
  orig="$(soft_nofile "$keep_pid")"
  limit=$orig
  if [ "$limit" -gt "$FILL_LIMIT" ]; then
    prlimit --pid "$keep_pid" --nofile="$FILL_LIMIT:"
    limit=$FILL_LIMIT
  fi
  idle="$(nfds "$keep_pid")"
  polls=$((limit * FILL_FRACTION / 100 - idle))
  log "fdlimit: one node of $NODES live (:$keep), $polls polls into its $idle of $limit fds"
  refresh_cursors
  hold_start "$RUN/fill.json" "$RUN/fill.ready" loadgen --polls="$polls" --procs="$(procs_for "$polls")" \
    --connect-rate="$CONNECT_RATE" --wait-held=$((polls / 1000 + 60)) --held-url="127.0.0.1:$keep/stats"
  fds="$(nfds "$keep_pid")"
  held="$(curl -fsS --max-time 2 "http://127.0.0.1:$keep/stats" | jq .held_polls)" || held=0
  wait "$HOLD_GEN" || true
  [ "$limit" != "$orig" ] && prlimit --pid "$keep_pid" --nofile="$orig:"
  out="$(cat "$RUN/fill.json")"
  put .fdlimit "$(jq --argjson f "$fds" --argjson l "$limit" --argjson h "$held" --argjson n "$NODES" \
    '. + {node_fds: $f, node_fd_limit: $l, node_held: $h, nodes_live: 1, nodes: $n,
          fd_fraction: ($f / $l)}' <<<"$out")"
  jq -r '.fdlimit | "one pushd of \(.nodes) live: \(.node_held) held, fds \(.node_fds) / limit \(.node_fd_limit) = \(.fd_fraction * 1000 | floor / 10)% (target >= 95%)  held after \(.held_after_s | floor) s  \(.counters)"' "$JSON"
  wait_drained
  IM_SKIP_INSTALL=1 "$ROOT/im" up >/dev/null
  for ((i = 0; i < 100; i++)); do [ "$(ring_size)" = "$NODES" ] && break; sleep 0.1; done
  [ "$(ring_size)" = "$NODES" ] || log "fdlimit: the node registry lists $(ring_size) of $NODES nodes after the restart"
  sleep 1.1
}
