#!/usr/bin/env bash
# Records scaling sweeps, a tuning grid, the seed's workload and `hyperslice bench` on a many-core machine
# that may have neither Open MPI nor Python: it runs the portable bundle (bench/portable_bundle.sh) and
# writes one JSON record per run, in the form of hyperslice-sweep's results.json "runs", plus the bench
# and topology JSON (and the bench's text). bench/assemble_recording.py turns a recording into sweep
# result folders.
#
#   bench/record_scaling.sh BUNDLE OUT     (RECORD_GRIDS="ranks threads tune seed bench" picks parts;
#                                           RECORD_TERMS=4e10 sets the work of the scaling and tuning grids)
set -euo pipefail
bundle="$(cd "$1" && pwd)"
out="$2"
mkdir -p "$out"
# shellcheck source=/dev/null
source "$bundle/env.sh"
hs="$bundle/hyperslice"
cores="$(nproc)"
terms="${RECORD_TERMS:-4e10}"  # per run of the scaling and tuning grids
{ lscpu; echo; nproc; } > "$out/machine.txt" 2>&1 || true
"$hs" topology --json > "$out/topology.json"

now() { date +%s.%N; }

# One record per run: the point, the exact command, wall seconds, and the run's JSON (or the error line).
point() {  # grid ranks threads slices repeat kernel terms-or-empty slice-size
  local grid=$1 ranks=$2 threads=$3 slices=$4 repeat=$5 kernel=$6 terms=$7 slice_size=$8
  local over=false cmd=(mpirun -q)
  (( ranks * threads > cores || ranks > cores )) && over=true && cmd+=(--oversubscribe)
  (( threads > 1 )) || [[ $over == true ]] && cmd+=(--bind-to none)
  cmd+=(-np "$ranks" -x "OMP_NUM_THREADS=$threads" "$hs" run --json --quiet --kernel "$kernel" --schedule dynamic
        --threads "$threads" --slices "$slices")
  if [[ -n $terms ]]; then cmd+=(--terms "$terms"); else cmd+=(--slice-size "$slice_size"); fi
  local t0 result rc
  t0=$(now)
  result="$("${cmd[@]}" 2> "$out/last.err")" && rc=0 || rc=$?
  local wall
  wall=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.6f", b - a }')
  local quoted
  quoted=$(printf '%q ' "${cmd[@]}")
  quoted=${quoted% }
  quoted=${quoted//\\/\\\\}
  quoted=${quoted//\"/\\\"}
  if (( rc == 0 )); then
    printf '{"ranks":%d,"threads":%d,"slices":%d,"repeat":%d,"oversubscribed":%s,"command":"%s","wall_seconds":%s,"result":%s}\n' \
      "$ranks" "$threads" "$slices" "$repeat" "$over" "$quoted" "$wall" "$result" >> "$out/$grid.jsonl"
  else
    local err
    err=$(tail -n1 "$out/last.err" | tr -d '"\\')
    printf '{"ranks":%d,"threads":%d,"slices":%d,"repeat":%d,"oversubscribed":%s,"command":"%s","wall_seconds":%s,"error":"%s"}\n' \
      "$ranks" "$threads" "$slices" "$repeat" "$over" "$quoted" "$wall" "${err:-exit $rc}" >> "$out/$grid.jsonl"
  fi
}

grids="${RECORD_GRIDS:-ranks threads tune seed bench}"  # which parts to record
want() { [[ " $grids " == *" $1 "* ]]; }

powers=()
for ((p = 1; p <= cores; p *= 2)); do powers+=("$p"); done

# Ranks scaling and threads scaling, the same work ($terms terms, 1024 slices), 3 runs per point.
want ranks && for n in "${powers[@]}"; do for rep in 1 2 3; do point ranks "$n" 1 1024 "$rep" leibniz-grouped "$terms" ""; done; done
want threads && for n in "${powers[@]}"; do for rep in 1 2 3; do point threads 1 "$n" 1024 "$rep" leibniz-grouped "$terms" ""; done; done
# The tuning grid: every ranks x threads factorisation of the cores, at 128 and 1024 slices.
want tune && for ((r = 1; r <= cores; r++)); do
  (( cores % r == 0 )) || continue
  for slices in 128 1024; do for rep in 1 2 3; do point tune "$r" $((cores / r)) "$slices" "$rep" leibniz-grouped "$terms" ""; done; done
done
# The seed's workload and kernel: 50 and 128 slices of 1,000,000 terms, one thread per rank.
want seed && for slices in 50 128; do for n in "${powers[@]}"; do for rep in 1 2 3; do
  point seed "$n" 1 "$slices" "$rep" leibniz "" 1000000
done; done; done
# Every core at once, then the links.
want bench && mpirun -q -np "$cores" "$hs" bench --json ${RECORD_BENCH_ARGS:-} > "$out/bench.json" 2> "$out/bench.err" || true
want bench && mpirun -q -np "$cores" "$hs" bench ${RECORD_BENCH_ARGS:-} > "$out/bench.txt" 2>> "$out/bench.err" || true
rm -f "$out/last.err"
echo "recorded $(cat "$out"/*.jsonl 2>/dev/null | wc -l) runs" >&2
