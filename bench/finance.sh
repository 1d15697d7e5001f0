#!/bin/sh
# Time and peak memory to price and pay N used bookings (default 1,000,000) with the real
# binary: `passpro jobs run` prices every ready finance event (the scheduler's price_events
# job), then, at a later --now past the cut-off, pays them all in one run (finance_runs: batch,
# cashflow, invoice, bookings REIMBURSED, justificatif PDF). Prints figures (wall and CPU
# time: the machine may be shared); never fails.
#
# Usage: bench/finance.sh [N]   (needs `make` first, cc, sqlite3, libsodium and GNU time)
#
# The fixture is bench/gen.c's finance mode on a migrated database: one museum (a SIRET venue,
# its own pricing point) with an ACCEPTED bank account, 5 museum cards of 20 €, N/5 young
# people who each used every card once over the first half of March 2026 (the venue crosses
# 20 000 € with the 1 001st booking: 100 % then 95 %, 92 %, 90 %), and the N ready finance
# events the Guichet leaves.
set -eu
cd "$(dirname "$0")/.."
BIN=${PASSPRO_BIN:-build/passpro}
[ -x "$BIN" ] || { echo "bench/finance.sh: $BIN missing, run make first" >&2; exit 0; }
command -v sqlite3 >/dev/null || { echo "bench/finance.sh: sqlite3 missing" >&2; exit 0; }
n=${1:-1000000}
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/passpro-finance-XXXXXX") # on disk: fsync is real
trap 'rm -rf "$tmp"' EXIT
db="$tmp/bench.db"
cc -O2 -o "$tmp/gen" bench/gen.c -lsqlite3 -lsodium
"$BIN" migrate --db "sqlite:$db" >/dev/null
gen_line=$("$tmp/gen" "$db" finance "$n")
echo "machine: $(nproc) cores; SQLite WAL, synchronous=FULL; $n used bookings of 20 €;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $gen_line; database $(du -m "$db" | cut -f1) MB"
run() {
    /usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB peak resident" "$BIN" jobs run --db "sqlite:$db" --now "$1" \
        --mail-dir "$tmp/mail" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; return 0; }
    tail -n 1 "$tmp/err"
}
printf 'pricing (jobs run before the cut-off): '
run 2026-03-15T12:00:00Z
printf 'paying (jobs run after the 16 March cut-off): '
run 2026-03-16T00:30:00Z
sqlite3 "$db" "SELECT 'invoices: ' || COUNT(*) || ', amount ' || (SUM(amount_cents) / 100.0) || ' €' FROM invoice;
               SELECT 'pricings ' || rule || ': ' || COUNT(*) FROM pricing GROUP BY rule;
               SELECT 'bookings ' || status || ': ' || COUNT(*) FROM booking GROUP BY status;"
paid=$(sqlite3 "$db" "SELECT COUNT(*) FROM booking b JOIN pricing p ON p.booking_id = b.id
    WHERE b.status = 'REIMBURSED' AND p.status = 'invoiced' AND p.invoice_id IS NOT NULL")
echo "check: $paid bookings priced, invoiced and REIMBURSED (expected $n)"
