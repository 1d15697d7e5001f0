#!/bin/sh
# `make bench`: every figure of docs/performance.md in one run, each beside the limit it is
# measured against on the same machine in the same run, then one table. Prints figures; never
# fails a build. BENCH_QUICK=1 takes smaller volumes (100,000 bookings instead of 1,000,000).
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
big=1000000
[ "${BENCH_QUICK:-0}" = 1 ] && big=100000

section() { echo; echo "#### $1"; }

section "start and idle memory"
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/passpro-start-XXXXXX")
build/passpro migrate --db "sqlite:$tmp/s.db" >/dev/null
t0=$(date +%s%N)
build/passpro serve --listen 127.0.0.1:0 --db "sqlite:$tmp/s.db" --mail-dir "$tmp/mail" \
    >"$tmp/out" 2>&1 &
pid=$!
while ! grep -q "à l'écoute" "$tmp/out" 2>/dev/null; do sleep 0.005; done
t1=$(date +%s%N)
sleep 2
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
kill "$pid"; wait "$pid" 2>/dev/null
rm -rf "$tmp"
echo "start (exec to listening): $(( (t1 - t0) / 1000000 )) ms; idle RSS: $((rss / 1024)) MB" |
    tee -a "$log"

section "Guichet look-ups vs nginx static"
bench/guichet.sh 10 64 4 | tee -a "$log"
section "booking rush (SQLite, synchronous=FULL) vs one commit at a time"
bench/rush.sh 1000 10 32 16 | tee -a "$log"
section "exports"
bench/export.sh 100000 "$big" | tee -a "$log"
section "reimbursement run"
bench/finance.sh "$big" | tee -a "$log"

section "table"
grep -E "^start|^passpro Guichet|^nginx static|^ratio|commits/s|per second|^ +check|^[0-9]+ +(csv|xlsx)|^pricing|^paying" \
    "$log"
