#!/bin/sh
# Time and peak memory of the bookings exports (GET /api/v1/pro/bookings/export, CSV and .xlsx)
# for large numbers of bookings. Prints figures; never fails a build.
#
# Usage: bench/export.sh [N ...]   (default: 100000; e.g. `bench/export.sh 100000 1000000`)
#        needs `make` first, cc, sqlite3, libsodium and curl. BENCH_OFFERS (50000) and
#        BENCH_BENEFICIARIES (100000) set the catalogue; KEEP_DB=FILE keeps the last database.
#
# For each N: a copy of the demo database gets, from bench/gen.c's volume mode, the museum's
# history of the last 180 days: BENCH_OFFERS offers, BENCH_BENEFICIARIES young people and N
# bookings (confirmed, used, cancelled, reimbursed; 5 % Duo of events, i.e. two rows in the
# files). `passpro jobs run` then does once what the server's scheduler would do at start
# (prices the uses since the last cut-off), so that the server exports on a quiet database.
# The export asks for the bookings of the last 365 days (the default is the last 30): every
# booking of the museum's structure, whose places are counted in SQL beside the file's rows.
# For each format a fresh `passpro serve`; the figures are the request's wall time (curl), the
# file's size, the server's CPU time for it (user + system: the machine may be shared, and
# the wall time then says more about the neighbours than about passpro), and its peak resident
# memory (VmHWM of /proc/<pid>/status, reset after the login's Argon2id hashing) before and
# after the export.
set -eu
cd "$(dirname "$0")/.."
BIN=${PASSPRO_BIN:-build/passpro}
[ -x "$BIN" ] || { echo "bench/export.sh: $BIN missing, run make first" >&2; exit 0; }
command -v sqlite3 >/dev/null || { echo "bench/export.sh: sqlite3 missing" >&2; exit 0; }
sizes=${*:-100000}
offers=${BENCH_OFFERS:-50000}
bens=${BENCH_BENEFICIARIES:-100000}
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/passpro-export-XXXXXX") # on disk: a million bookings
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    [ -n "${KEEP_DB:-}" ] && cp "$tmp/bench.db" "$KEEP_DB" 2>/dev/null; rm -rf "$tmp"
}
trap cleanup EXIT
cc -O2 -o "$tmp/gen" bench/gen.c -lsqlite3 -lsodium

# Starts the server on $1 in the background: $pid and $url.
start() {
    : >"$tmp/out"
    "$BIN" "$@" --listen 127.0.0.1:0 --mail-dir "$tmp/mail" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    url=
    for _ in $(seq 100); do
        url=$(sed -n "s/^passpro: à l'écoute sur //p" "$tmp/out")
        [ -n "$url" ] && break
        sleep 0.1
    done
    [ -n "$url" ] || { echo "the server did not start:"; cat "$tmp/err"; exit 0; }
}

stop() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}

hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$pid/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # the server's user + system CPU
hz=$(getconf CLK_TCK)

# The demo database (the museum, its offers, a few bookings), once.
start demo --db "sqlite:$tmp/demo.db"
stop
login='{"email":"julien.moreau@musee-saint-aubin.test","password":"Demo-Passpro-2026!"}'
offerer=$(sqlite3 "$tmp/demo.db" "SELECT uo.offerer_id FROM user_offerer uo JOIN account a
    ON a.id = uo.account_id WHERE a.email = 'julien.moreau@musee-saint-aubin.test'
    AND uo.status = 'VALIDATED'")
# Calendar dates of the venues' zone: from a year ago to today, both included.
first=$(TZ=Europe/Paris date -d '-365 days' +%F)
last=$(TZ=Europe/Paris date +%F)
period="bookingPeriodBeginningDate=$first&bookingPeriodEndingDate=$last"

echo "machine: $(nproc) cores, $(uname -m), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; server: passpro serve, 4 workers, SQLite WAL; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
    cp "$tmp/demo.db" "$tmp/bench.db"
    gen_line=$("$tmp/gen" "$tmp/bench.db" volume "$offers" "$bens" "$n")
    echo "# $gen_line; database $(du -m "$tmp/bench.db" | cut -f1) MB"
    t0=$(date +%s.%N)
    "$BIN" jobs run --db "sqlite:$tmp/bench.db" --mail-dir "$tmp/mail" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    ready=$(sqlite3 "$tmp/bench.db" "SELECT COUNT(*) FROM finance_event WHERE status = 'ready'")
    priced=$(sqlite3 "$tmp/bench.db" "SELECT COUNT(*) FROM pricing p JOIN booking b
        ON b.id = p.booking_id WHERE p.status = 'validated' AND b.status = 'USED'")
    used=$(sqlite3 "$tmp/bench.db" "SELECT COUNT(*) FROM booking WHERE status = 'USED'")
    echo "# jobs run (as the scheduler at start): $(echo "$t1 - $t0" | bc) s;" \
         "check: $priced of $used used bookings priced, $ready events left ready (expected $used, 0)"
    expected=$(sqlite3 "$tmp/bench.db" "SELECT SUM(quantity) FROM booking WHERE offerer_id = $offerer")
    printf '%-9s %-5s %9s %9s %9s %9s %7s %14s %14s\n' bookings file rows expected seconds \
        "CPU s" size "peak RSS before" "peak RSS after"
    for fmt in xlsx csv; do
        start serve --db "sqlite:$tmp/bench.db"
        curl -s -c "$tmp/cookies" -H 'Content-Type: application/json' -d "$login" \
            "$url/api/v1/auth/login" >/dev/null
        curl -s -b "$tmp/cookies" "$url/api/v1/pro/bookings" >/dev/null # warm: one list page
        # Login hashes the password with Argon2id (64 MB): reset the peak, keep the baseline.
        echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
        before=$(hwm_kb)
        c0=$(ticks)
        stats=$(curl -s -b "$tmp/cookies" -o "$tmp/file.$fmt" -w '%{http_code} %{time_total} %{size_download}' \
            "$url/api/v1/pro/bookings/export?format=$fmt&$period")
        after=$(hwm_kb)
        cpu=$(echo "scale=2; ($(ticks) - $c0) / $hz" | bc)
        code=${stats%% *}
        rest=${stats#* }
        secs=${rest%% *}
        bytes=${rest#* }
        if [ "$fmt" = csv ]; then
            rows=$(($(wc -l <"$tmp/file.csv") - 1))
        else
            # The sheet is one long line: split it at each tag rather than grep it whole.
            rows=$(unzip -p "$tmp/file.xlsx" xl/worksheets/sheet1.xml | tr '<' '\n' | grep -c '^row ')
            rows=$((rows - 1))
        fi
        [ "$code" = 200 ] || echo "# $fmt: HTTP $code: $(head -c 300 "$tmp/file.$fmt")"
        [ "$rows" = "$expected" ] || echo "# $fmt: $rows rows, $expected places expected"
        printf '%-9s %-5s %9s %9s %9.2f %9s %6sM %12sMB %12sMB\n' "$n" "$fmt" "$rows" "$expected" \
            "$secs" "$cpu" "$((bytes / 1048576))" "$((before / 1024))" "$((after / 1024))"
        stop
        rm -f "$tmp/file.$fmt"
    done
done
