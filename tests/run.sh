#!/bin/sh
# Runs every suite (unit, HTTP, browser, a short fuzz pass) and ends with one line
# "N passed, N failed". PASSPRO_SKIP_FUZZ=1 skips the fuzz pass.
# Exit status 1 when any test failed or a suite could not run.
set -u
# BUILDS: build folders whose unit and HTTP suites run (the first one also runs the browser).
BUILDS=${BUILDS:-${BUILD:-build}}
BUILD=${BUILDS%% *}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)..." per group.
count_cmocka() {
    p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
    f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
}

run_suite() {
    name=$1
    shift
    t0=$(date +%s)
    "$@" >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - t0))
    count_cmocka
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # the suite crashed or could not start: count it as a failure
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
        echo "FAIL $name ($p passed, $f failed)"
        cat "$log"
    else
        echo "ok   $name ($p passed, ${secs} s)"
    fi
}

for b in $BUILDS; do
    for t in "$b"/tests/unit/test_*; do
        [ -x "$t" ] && run_suite "$b/unit/$(basename "$t")" "$t"
    done
    for t in "$b"/tests/http/test_*; do
        [ -x "$t" ] && PASSPRO_BIN="$b/passpro" run_suite "$b/http/$(basename "$t")" "$t"
    done
done

# The HTTP suites once more on PostgreSQL: a throwaway cluster in a temporary folder.
if [ "${PASSPRO_SKIP_PG:-0}" != 1 ]; then
    pgdir=$(mktemp -d "${TMPDIR:-/tmp}/passpro-pg-XXXXXX")
    if pgq=$(scripts/pg-cluster.sh start "$pgdir" 2>"$log"); then
        for t in "$BUILD"/tests/http/test_*; do
            [ -x "$t" ] && PASSPRO_TEST_PG="$pgq" PASSPRO_BIN="$BUILD/passpro" \
                run_suite "$BUILD/http-pgsql/$(basename "$t")" "$t"
        done
    else
        echo "FAIL postgresql (the cluster did not start)"
        cat "$log"
        failed=$((failed + 1))
    fi
    scripts/pg-cluster.sh stop "$pgdir"
fi

if [ -f tests/browser/run.mjs ]; then
    PASSPRO_BIN="$BUILD/passpro" node tests/browser/run.mjs >"$log" 2>&1
    rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | awk '{print $1+0}')
    f=$(echo "$line" | awk '{print $3+0}')
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ]; then
        echo "FAIL browser ($p passed, $f failed)"
        cat "$log"
    else
        echo "ok   browser ($p passed)"
    fi
fi

# A short pass of every fuzz target (built by `make test` into build-fuzz/): each counts as one
# test, failed on a crash, leak, undefined behaviour or broken invariant (fuzz/run.sh).
if [ "${PASSPRO_SKIP_FUZZ:-0}" != 1 ]; then
    FUZZ_SECONDS=${PASSPRO_FUZZ_SECONDS:-3} fuzz/run.sh >"$log" 2>&1
    rc=$?
    p=$(grep -c '^ok   fuzz/' "$log")
    f=$(grep -c '^FAIL fuzz' "$log")
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ]; then
        echo "FAIL fuzz ($p passed, $f failed)"
        cat "$log"
    else
        echo "ok   fuzz ($p passed)"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
