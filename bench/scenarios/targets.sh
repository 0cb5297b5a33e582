# SPDX-License-Identifier: MIT
# scenarios/targets.sh - issue 14's targets on the ./im up default stack, each figure next to its
# target and the MariaDB ceiling of the same run, PASS/MISS. Sourced by bench/run.sh (sizes: TGT_*).

# cpu_ticks PID...: utime+stime of each PID, plus its reaped children's (cutime+cstime: the fcgi
# workers a master replaced after fcgi.max_requests), in clock ticks.
cpu_ticks() {
  local p sum=0 t
  for p in "$@"; do
    t="$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null)" || t=0
    sum=$((sum + ${t:-0}))
  done
  echo "$sum"
}
master_and_children() { local m; m="$(tr -dc 0-9 <"$IM_VAR/run/$1.pid")"; echo "$m" $(pgrep -P "$m"); }
# CPU ticks so far per process group, as JSON. A worker's cutime is also its master's once reaped,
# but workers reap nothing, so each tick is counted once.
cpu_sample() {
  jq -n --argjson m "$(cpu_ticks "$(tr -dc 0-9 <"$IM_VAR/run/mysql.pid")")" \
    --argjson n "$(cpu_ticks $(master_and_children nginx))" --argjson f "$(cpu_ticks $(master_and_children fcgi))" \
    --argjson p "$(cpu_ticks $(pushd_pids))" --argjson r "$(cpu_ticks "$(tr -dc 0-9 <"$IM_VAR/run/redis.pid")")" \
    '{mariadb: $m, nginx: $n, fcgi: $f, pushd: $p, redis: $r}'
}

# send_commits: the fcgi pool's commits of held sends and the sends in them so far, as JSON
# (/im/metrics): between two samples, sends / commits is the sends per transaction.
send_commits() {
  curl -fsS --max-time 5 "http://127.0.0.1:$IM_PORT/im/metrics" | awk '/^im_fcgi_send_commits_total /{c=$2}
    /^im_fcgi_sends_committed_total /{s=$2} END {printf "{\"commits\": %d, \"sends\": %d}\n", c, s}'
}
# per_commit BEFORE AFTER: sends per commit between two send_commits samples.
per_commit() {
  jq -n --argjson b "$1" --argjson a "$2" \
    'if $a.commits > $b.commits then (($a.sends - $b.sends) / ($a.commits - $b.commits) * 100 | round / 100) else null end'
}

# verdict OK: PASS or MISS.
verdict() { [ "$1" = 1 ] && echo PASS || echo MISS; }
# row NAME FIGURE TARGET OK: one line of the table (and the JSON).
row() {
  printf '  %-44s %-56s %-20s %s\n' "$1" "$2" "$3" "$(verdict "$4")"
  put ".targets.rows[\"$1\"]" "$(jq -n --arg f "$2" --arg t "$3" --argjson ok "$4" '{figure: $f, target: $t, pass: ($ok == 1)}')"
}
non2xx() { jq '[.counters | to_entries[] | select(.key | test("^(send|poll)_status_[013-9]")) | .value] | add // 0' <<<"$1"; }

# CPU per delivery at TGT_CPU_RATE sends/s (latency mode), sampled from "held" to the end.
targets_cpu() {
  local ready="$RUN/targets.cpu.ready" out before after commits
  rm -f "$ready"
  loadgen --mode=latency --polls="$TGT_POLLS" --senders=64 --send-conns=64 --send-rate="$TGT_CPU_RATE" \
    --duration="$TGT_SECONDS" --drain=1 --procs=1 --connect-rate="$CONNECT_RATE" --ready-file="$ready" \
    $(pushd_urls) >"$RUN/targets.cpu.json" &
  local gen=$!
  while [ ! -e "$ready" ] && kill -0 "$gen" 2>/dev/null; do sleep 0.05; done
  before="$(cpu_sample)"
  commits="$(send_commits)"
  wait "$gen" || true
  after="$(cpu_sample)"
  out="$(cat "$RUN/targets.cpu.json")"
  jq --argjson b "$before" --argjson a "$after" --argjson hz "$(getconf CLK_TCK)" \
    --argjson pc "$(per_commit "$commits" "$(send_commits)")" '
    (.counters.deliveries // 0) as $d | . + {sends_per_commit: $pc, cpu_us_per_delivery: ($a | with_entries(.value =
      (if $d > 0 then ((.value - $b[.key]) * 1e6 / $hz / $d | round) else null end)))}
    | .cpu_us_per_delivery.total = ([.cpu_us_per_delivery[] // 0] | add)' <<<"$out"
}

# Overload by a client population that re-polls at once on every error (no back-off, Retry-After
# ignored), TGT_STORM polls opened in one instant; then the load drops (the population leaves) and
# a well-behaved probe of TGT_PROBE polls opened at once must be held: the stack left the overload.
targets_storm() {
  local storm probe t0
  storm="$(loadgen --mode=hold --no-backoff=1 --polls="$TGT_STORM" --procs="$(procs_for "$TGT_STORM")" \
    --connect-rate=1000000000 --wait-held="$TGT_RECOVER_S" --hold=0.5 $(pushd_urls))"
  t0=$SECONDS
  wait_drained
  probe="$(loadgen --mode=hold --polls="$TGT_PROBE" --procs=1 --connect-rate=1000000000 \
    --wait-held="$TGT_RECOVER_S" --hold=0.5 $(pushd_urls))"
  jq -n --argjson s "$storm" --argjson p "$probe" --argjson d $((SECONDS - t0)) \
    '{storm: $s, probe: $p, drained_s: $d}'
}

# bare_tx THREADS RATE: im-mysql-tx for TP_SECONDS (RATE 0: back to back), as JSON {tx_per_s,
# cpu_us_per_tx} with mariadbd's CPU per transaction sampled from /proc.
bare_tx() {
  local pw m0 tx
  pw="$(sed -n 's/^mysql\.password=//p' "$IM_VAR/secrets")"
  m0="$(cpu_ticks "$(tr -dc 0-9 <"$IM_VAR/run/mysql.pid")")"
  tx="$("$BUILD/bench/im-mysql-tx" "tcp://127.0.0.1:$IM_MYSQL_PORT" im "$pw" im "$1" "$TP_SECONDS" 1 "$TP_USERS" "$2")"
  jq --argjson t "$(($(cpu_ticks "$(tr -dc 0-9 <"$IM_VAR/run/mysql.pid")") - m0))" --argjson hz "$(getconf CLK_TCK)" \
    --argjson s "$TP_SECONDS" --argjson n "$1" '{tx_per_s, threads: $n, offered_per_s,
      cpu_us_per_tx: (if .tx_per_s > 0 then $t * 1e6 / $hz / (.tx_per_s * $s) | round else null end)}' <<<"$tx"
}

scenario_targets() {
  wait_drained
  refresh_cursors
  local ceiling held cpu p2k cap open storm fan group best load0 commits cpu0 clock0
  load0="$(cut -d' ' -f1-3 /proc/loadavg)"  # other load on the machine skews every timing row
  clock0="$(cpu_clock)"                      # and so does a hypervisor that runs others (steal)
  # The ceilings: bare send transactions back to back at c16 (what MariaDB can commit), and at
  # the CPU row's offered rate over as many connections as fcgi has workers (what one costs when
  # sends arrive spaced out, as in the stack: every transaction wakes an idle server), each with
  # mariadbd's CPU per transaction.
  ceiling="$(jq -n --argjson c "$(bare_tx 16 0)" --argjson o "$(bare_tx "$FCGI_WORKERS" "$TGT_CPU_RATE")" \
    '$c + {open_loop: $o}')"
  log "targets: $TGT_POLLS polls; MariaDB ceiling $(jq -c . <<<"$ceiling") (im-mysql-tx c16; open loop)"
  held="$(loadgen --mode=hold --polls="$TGT_POLLS" --procs=1 --connect-rate="$CONNECT_RATE" --hold=1 $(pushd_urls))"
  wait_drained; refresh_cursors
  cpu="$(targets_cpu)"
  wait_drained; refresh_cursors
  commits="$(send_commits)"
  cpu0="$(cpu_sample)"
  p2k="$(loadgen --mode=capacity --polls="$TGT_POLLS" --senders=64 --send-conns=64 --rates="$TGT_P99_RATE" \
    --step="$TGT_SECONDS" --drain=1 --procs=1 --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  p2k="$(jq --argjson pc "$(per_commit "$commits" "$(send_commits)")" --argjson b "$cpu0" --argjson a "$(cpu_sample)" \
    --argjson hz "$(getconf CLK_TCK)" '(.counters.deliveries // 0) as $d | . + {sends_per_commit: $pc,
      cpu_us_per_delivery: ($a | with_entries(.value = (if $d > 0 then ((.value - $b[.key]) * 1e6 / $hz / $d | round) else null end)))}
    | .cpu_us_per_delivery.total = ([.cpu_us_per_delivery[] // 0] | add)' <<<"$p2k")"
  wait_drained; refresh_cursors
  cap="$(loadgen --mode=capacity --polls="$TGT_POLLS" --senders=64 --send-conns=64 --rates="$TGT_CAP_RATES" \
    --step="$CAP_STEP" --drain="$CAP_DRAIN" --procs=1 --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  wait_drained; refresh_cursors
  open="$(loadgen --mode=hold --polls="$TGT_POLLS" --procs=1 --connect-rate=1000000000 --hold=0.5 $(pushd_urls))"
  wait_drained; refresh_cursors
  storm="$(targets_storm)"
  wait_drained
  group="$(make_group "$TGT_FAN")"
  refresh_cursors
  fan="$(loadgen --mode=fanout --polls="$TGT_FAN" --senders=1 --send-conns=1 --group="$group" \
    --rounds="$TGT_FAN_ROUNDS" --procs=1 --connect-rate="$CONNECT_RATE" $(pushd_urls))"
  put .targets.raw "$(jq -n --argjson h "$held" --argjson c "$cpu" --argjson p "$p2k" --argjson k "$cap" \
    --argjson o "$open" --argjson s "$storm" --argjson f "$fan" --argjson m "$ceiling" \
    --arg l0 "$load0" --arg l1 "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson st "$(steal_pct "$clock0")" \
    '{load_before: $l0, load_after: $l1, steal_pct: $st, mariadb: $m, hold: $h, cpu: $c, p99: $p, capacity: $k, open_at_once: $o, storm: $s, fanout: $f}')"
  targets_table
}

# The table: one row per target, from the raw results just stored.
targets_table() {
  local r m c s p k o f best fig
  r="$(jq .targets.raw "$JSON")"
  m="$(jq .mariadb.tx_per_s <<<"$r")"
  echo "issue 14 targets on the ./im up defaults (nginx x$NGINX_WORKERS, fcgi x$FCGI_WORKERS, pushd x$NODES)," \
    "MariaDB ceiling of this run: $(printf '%.0f' "$m") durable send tx/s (im-mysql-tx, c16)$([ "$SMOKE" = 1 ] && echo '; SMOKE: sizes tiny, verdicts meaningless')"
  echo "  bare send transaction's MariaDB CPU: $(jq .mariadb.cpu_us_per_tx <<<"$r") us back to back (c16)," \
    "$(jq .mariadb.open_loop.cpu_us_per_tx <<<"$r") us at $(jq .mariadb.open_loop.offered_per_s <<<"$r")/s over $(jq .mariadb.open_loop.threads <<<"$r") connections (open loop, as in the stack)"
  echo "  machine: $(nproc) cores, load average $(jq -r .load_before <<<"$r") before, $(jq -r .load_after <<<"$r") after" \
    "(1/5/15 min; a quiet machine is under 0.5 before: more means other work shared the cores and the timing rows are pessimistic);" \
    "CPU steal $(jq -r '.steal_pct // "-"' <<<"$r")% during the scenario (the hypervisor running others: above ~1% likewise)"
  printf '  %-44s %-56s %-20s %s\n' target figure "target is" verdict
  row "held polls" "$(jq .hold.held <<<"$r") of $TGT_POLLS" ">= $TGT_POLLS" "$(jq "if .hold.held >= $TGT_POLLS then 1 else 0 end" <<<"$r")"
  c="$(jq .cpu <<<"$r")"
  row "CPU per delivery at $TGT_CPU_RATE sends/s" "$(jq -r '"\(.cpu_us_per_delivery.total) us (\(.counters.deliveries // 0) deliveries, \(.ok_per_s | floor) sends/s made)"' <<<"$c")" \
    "<= 800 us" "$(jq 'if (.cpu_us_per_delivery.total // 1e9) <= 800 and (.counters.deliveries // 0) > 0 then 1 else 0 end' <<<"$c")"
  echo "    split (us per delivery): $(jq -r '.cpu_us_per_delivery | "MariaDB \(.mariadb), nginx \(.nginx), fcgi \(.fcgi), pushd \(.pushd), Redis \(.redis)"' <<<"$c");" \
    "MariaDB's $(jq -r '.cpu_us_per_delivery.mariadb' <<<"$c") us vs $(jq .mariadb.open_loop.cpu_us_per_tx <<<"$r") us per bare send tx at the same rate" \
    "($(jq .mariadb.cpu_us_per_tx <<<"$r") back to back); $(jq -r '.sends_per_commit // "-"' <<<"$c") sends per commit"
  p="$(jq '.p99.steps[0] // {due: 0, delivered: 0, p99_us: -1}' <<<"$r")"
  fig="$(jq -r --argjson d "$(jq '.p99.counters.duplicates // 0' <<<"$r")" --argjson e "$(non2xx "$(jq .p99 <<<"$r")")" \
    '"p99 \(if .p99_us < 0 then "lost" else "\(.p99_us / 1000 * 10 | round / 10) ms" end), lost \(.due - .delivered) of \(.due) (\(.due - .written) never written), dup \($d), non-2xx \($e)"' <<<"$p")"
  fig="$fig, $(jq -r '.p99.sends_per_commit // "-"' <<<"$r")/commit"
  row "$TGT_P99_RATE sends/s: p99, lost, dup, non-2xx" "$fig" "<= 20 ms, 0, 0, 0" \
    "$(jq --argjson d "$(jq '.p99.counters.duplicates // 0' <<<"$r")" --argjson e "$(non2xx "$(jq .p99 <<<"$r")")" \
      'if .p99_us >= 0 and .p99_us <= 20000 and .due == .delivered and $d == 0 and $e == 0 then 1 else 0 end' <<<"$p")"
  echo "    CPU per delivery (whole step, with the holding and the drain): $(jq -r '.p99.cpu_us_per_delivery | "\(.total) us: MariaDB \(.mariadb), nginx \(.nginx), fcgi \(.fcgi), pushd \(.pushd), Redis \(.redis)"' <<<"$r")"
  k="$(jq .capacity <<<"$r")"
  best="$(jq '[.steps[] | select(.pass) | .delivered_per_s] | max // 0 | floor' <<<"$k")"
  row "sustained deliveries/s (p99 < 100 ms, 95%)" "$best/s (steps $(jq -r '[.steps[] | "\(.offered_per_s):\(if .pass then "ok" else "fail" end)"] | join(" ")' <<<"$k"))" \
    ">= 3,000/s" "$([ "$best" -ge 3000 ] && echo 1 || echo 0)"
  echo "    = $(ratio "$best" "$m") of the MariaDB ceiling (each delivery is one durable send plus its re-poll)"
  o="$(jq .open_at_once <<<"$r")"
  row "$TGT_POLLS polls opened at once: 503 / non-2xx" "$(jq '.counters.poll_status_503 // 0' <<<"$o") / $(non2xx "$o"), held in $(jq '.held_after_s * 10 | round / 10' <<<"$o") s" \
    "0 / 0" "$(jq 'if .held >= .polls and ([.counters | to_entries[] | select(.key | startswith("poll_status_")) | .value] | add // 0) == 0 then 1 else 0 end' <<<"$o")"
  s="$(jq .storm <<<"$r")"
  row "no-back-off storm ($TGT_STORM at once): settles" "$(jq -r '"\(.storm.held)/\(.storm.polls) held after \(.storm.held_after_s * 10 | round / 10) s, \(.storm.counters.poll_status_503 // 0) 503s"' <<<"$s")" \
    "all held, < $TGT_SETTLE_S s" "$(jq "if .storm.held >= .storm.polls and .storm.held_after_s < $TGT_SETTLE_S then 1 else 0 end" <<<"$s")"
  row "after the storm left: probe of $TGT_PROBE held" "$(jq -r '"\(.probe.held)/\(.probe.polls) in \(.probe.held_after_s * 10 | round / 10) s (+\(.drained_s) s to drain)"' <<<"$s")" \
    "recovers in seconds" "$(jq 'if .probe.held >= .probe.polls and .probe.held_after_s < 5 then 1 else 0 end' <<<"$s")"
  f="$(jq .fanout <<<"$r")"
  row "fan-out to $TGT_FAN held members (median)" "$(jq -r '"\(.fanout.p50_us / 1000 * 10 | round / 10) ms over \(.fanout.count) rounds (first member \(.fanout_first.p50_us / 1000 | round), median member \(.fanout_median_member.p50_us / 1000 | round) ms)"' <<<"$f")" \
    "<= 50 ms" "$(jq 'if .fanout.count > 0 and .fanout.p50_us <= 50000 then 1 else 0 end' <<<"$f")"
}
