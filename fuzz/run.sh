#!/bin/sh
# Runs every libFuzzer target of build-fuzz/fuzz/ for FUZZ_SECONDS each (docs/fuzzing.md), on
# its seeds (fuzz/corpus/<target>/, read only) and on the corpus it grew in earlier runs
# (build-fuzz/corpus/<target>/, where new inputs go), with its dictionary when there is one.
# Prints one line per target, "ok   fuzz/<target>: N executions in S s (R/s)" or
# "FAIL fuzz/<target>" with the end of its log; exit status 1 when a target crashed, leaked,
# hit undefined behaviour, broke an invariant or timed out. A crashing input is saved as
# build-fuzz/crashes/<target>-crash-<sha1>; replay it with `build-fuzz/fuzz/<target> FILE`.
# Usage: fuzz/run.sh [target...]   (FUZZ_SECONDS=60 by default)
set -u
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
out=build-fuzz
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [ $# -gt 0 ]; then
    targets=$*
else
    targets=$(cd $out/fuzz 2>/dev/null && ls fuzz_* 2>/dev/null | grep -v '\.d$')
fi
if [ -z "$targets" ]; then
    echo "FAIL fuzz (no target in $out/fuzz: run make fuzz-build)"
    exit 1
fi

for t in $targets; do
    bin=$out/fuzz/$t
    name=${t#fuzz_}
    mkdir -p "$out/corpus/$name" "$out/crashes"
    dict=""
    [ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
    seeds=""
    [ -d "fuzz/corpus/$name" ] && seeds="fuzz/corpus/$name"
    # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: growth past 2 GB a leak.
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/crashes/$t-" $dict "$out/corpus/$name" $seeds >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$rc" -ne 0 ] || [ -z "$runs" ]; then
        echo "FAIL fuzz/$t"
        grep -E 'invariant broken|runtime error|ERROR|SUMMARY|Test unit written' "$log" | head -n 20
        tail -n 5 "$log"
        status=1
    else
        echo "ok   fuzz/$t: $runs executions in $seconds s ($((runs / seconds))/s)"
    fi
done
exit $status
