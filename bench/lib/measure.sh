# SPDX-License-Identifier: MIT
# lib/measure.sh - process memory and fds, ratios, the results JSON, and the background hold generator.
# Sourced by bench/run.sh, which sets the sizes and paths it uses.

procs_for() { echo $((($1 + POLLS_PER_PROC - 1) / POLLS_PER_PROC)); }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# PSS: shared pages split among the processes mapping them. Nchan's memory store lives in shared
# memory that every worker touches; a plain RSS sum counts those pages once per worker.
pss_kib() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
nfds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
pushd_pids() { local f; for f in "$IM_VAR"/run/pushd-*.pid; do tr -dc 0-9 <"$f"; echo; done; }
nginx_worker_pids() { pgrep -P "$(tr -dc 0-9 <"$IM_VAR/run/nginx.pid")"; }
sum_rss() { local p s=0; for p in "$@"; do s=$((s + $(rss_kib "$p"))); done; echo "$s"; }
sum_pss() { local p s=0; for p in "$@"; do s=$((s + $(pss_kib "$p"))); done; echo "$s"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

JSON="$RUN/results.json"
echo '{}' >"$JSON"
# put PATH JSON_VALUE: sets .PATH in the results.
put() { jq --argjson v "$2" "$1 = \$v" "$JSON" >"$JSON.tmp" && mv "$JSON.tmp" "$JSON"; }

# hold_start OUT READY LOADGEN...: a hold generator in the background (HOLD_GEN); returns once it
# reports its polls held (READY written) or it exited, plus 1 s: the caller probes while it holds.
hold_start() {
  local out=$1 ready=$2
  shift 2
  "$@" --mode=hold --hold="$HOLD_S" --ready-file="$ready" >"$out" &
  HOLD_GEN=$!
  STARTED+=("$HOLD_GEN")
  while [ ! -e "$ready" ] && kill -0 "$HOLD_GEN" 2>/dev/null; do sleep 0.2; done
  sleep "$PROBE_S"
}
