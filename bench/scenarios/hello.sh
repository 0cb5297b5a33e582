# SPDX-License-Identifier: MIT
# scenarios/hello.sh - the fcgi ceiling: a trivial route and /im/health next to a bare libfcgi program.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

# The fcgi ceiling: the same nginx settings in front of im-fcgi-hello (bench/nginx-hello.conf.in).
scenario_hello() {
  local dir="$RUN/hello" c=16 ours health bare
  mkdir -p "$dir/log" "$dir/tmp" "$dir/run"
  "$BUILD/bench/im-fcgi-hello" "$dir/run/fcgi.sock" "$FCGI_WORKERS" 2>>"$dir/log/hello.log" &
  STARTED+=($!)
  # ./im's own rendering (user line, workers, limits) with the hello dir as its var dir.
  IM_VAR="$dir" IM_PORT="$HELLO_PORT" "$ROOT/im" render-nginx "$ROOT/bench/nginx-hello.conf.in" "$dir/nginx.conf"
  for _ in $(seq 50); do [ -S "$dir/run/fcgi.sock" ] && break; sleep 0.1; done
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/log/error.log"
  NGINX_DIRS+=("$dir")
  ours="$(loadgen --mode=closed --path=/im/bench-trivial --send-conns=$c --duration="$TP_SECONDS")"
  health="$(loadgen --mode=closed --path=/im/health --send-conns=$c --duration="$TP_SECONDS")"
  bare="$("$BUILD/bench/im-loadgen" --mode=closed --port="$HELLO_PORT" --path=/hello --send-conns=$c \
    --duration="$TP_SECONDS")"
  nginx_stop "$dir"
  # Only real answers count: an earlier version timed nginx's 502s (socket permission) as the ceiling.
  [ "$(jq '.counters.send_status_200 // 0' <<<"$bare")" -gt 0 ] && [ "$(jq '[.counters | to_entries[] |
    select(.key | startswith("send_status_") and . != "send_status_200")] | length' <<<"$bare")" = 0 ] ||
    log "hello: im-fcgi-hello did not answer every request with 200: $(jq -c .counters <<<"$bare")"
  [ "$(jq '[.counters | to_entries[] | select(.key | startswith("send_status_") and . != "send_status_404")] |
    length' <<<"$ours")" = 0 ] || log "hello: the trivial route answered something else than 404: $(jq -c .counters <<<"$ours")"
  put .hello "$(jq -n --argjson o "$ours" --argjson h "$health" --argjson b "$bare" '{trivial: $o, health: $h, bare: $b}')"
  printf '%-34s %10s %8s\n' "route (concurrency $c)" "req/s" ratio
  printf '%-34s %10.0f %8s\n' "bare libfcgi hello" "$(jq .answered_per_s <<<"$bare")" 1.00
  printf '%-34s %10.0f %8s\n' "im-fcgi trivial (router 404)" "$(jq .answered_per_s <<<"$ours")" \
    "$(ratio "$(jq .answered_per_s <<<"$ours")" "$(jq .answered_per_s <<<"$bare")")"
  printf '%-34s %10.0f %8s\n' "im-fcgi /im/health (MySQL+Redis)" "$(jq .answered_per_s <<<"$health")" \
    "$(ratio "$(jq .answered_per_s <<<"$health")" "$(jq .answered_per_s <<<"$bare")")"
}
