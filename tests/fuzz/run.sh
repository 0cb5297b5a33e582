#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh [seconds] - builds the libFuzzer targets (clang, -DIM_FUZZ=ON, in build-fuzz/) and runs each
# for `seconds` (default 60), one at a time. New inputs go to a temp dir; crashes are written to
# corpus/<target>/, where the replay tests of every build pick them up as regression inputs.
set -euo pipefail

seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${IM_FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=(protocol notification hold_request utf8)

cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIM_FUZZ=ON >/dev/null
cmake --build "$build" -j "${IM_FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  dict=()
  [[ -f "$here/$t.dict" ]] && dict=(-dict="$here/$t.dict")
  echo "== fuzz_$t for ${seconds}s"
  # The first directory receives what the run discovers; the checked-in seeds are only read, so
  # the repository keeps a small corpus and gains only crash inputs.
  if ! "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$here/corpus/$t/" "${dict[@]}" "$work/$t" "$here/corpus/$t" >"$work/$t.log" 2>&1; then
    failed+=("$t")
    grep -E "ERROR|invariant failed|SUMMARY|Test unit written" "$work/$t.log" || tail -n 30 "$work/$t.log"
  fi
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)" "$work/$t.log" || true
done

if ((${#failed[@]})); then
  echo "fuzzing found crashes in: ${failed[*]} (inputs saved under tests/fuzz/corpus/<target>/)" >&2
  exit 1
fi
echo "fuzzing: no crashes"
