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
# cpu_clock: "total steal" ticks of all cores so far (/proc/stat: user..steal; guest time is
# already inside user). On a VM, steal is time the hypervisor ran someone else while our cores
# wanted to run: a full run with 5-9% steal measured the bare libfcgi route 3x slower than a
# quiet one, so every figure is read next to the steal of its scenario (bench/README.md).
cpu_clock() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9; exit }' /proc/stat; }
# steal_pct "TOTAL STEAL" (an earlier cpu_clock): steal since then, in % of all cores' time.
steal_pct() {
  local now; now="$(cpu_clock)"
  awk -v a="$1" -v b="$now" 'BEGIN { split(a, x, " "); split(b, y, " "); d = y[1] - x[1]
    printf "%.1f", (d > 0 ? 100 * (y[2] - x[2]) / d : 0) }'
}

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
