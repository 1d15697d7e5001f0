#!/bin/sh
# Time and peak memory of the bookings exports (GET /api/v1/pro/bookings/export, CSV and .xlsx)
# for large numbers of bookings. Prints figures; never fails a build.
#
# Usage: bench/export.sh [N ...]   (default: 100000; e.g. `bench/export.sh 100000 1000000`)
#        needs `make` first, sqlite3 and curl. KEEP_DB=FILE keeps a copy of the last database.
#
# For each N: a copy of the demo database gets N bookings of the museum's guided tour by N
# beneficiaries, inserted directly in SQL (2 % of them Duo, i.e. two rows in the files; spread
# over the last 29 days, so that the default filter - the last 30 days - takes them all). Then,
# for each format, a fresh `passpro serve` exports them over HTTP; the figures are the request's
# wall time (curl), the file's size, and the server's peak resident memory (VmHWM of
# /proc/<pid>/status, reset after the login's Argon2id hashing) before and after the export.
set -eu
cd "$(dirname "$0")/.."
BIN=${PASSPRO_BIN:-build/passpro}
[ -x "$BIN" ] || { echo "bench/export.sh: $BIN missing, run make first" >&2; exit 0; }
command -v sqlite3 >/dev/null || { echo "bench/export.sh: sqlite3 missing" >&2; exit 0; }
sizes=${*:-100000}
tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    [ -n "${KEEP_DB:-}" ] && cp "$tmp/bench.db" "$KEEP_DB" 2>/dev/null; rm -rf "$tmp"
}
trap cleanup EXIT

# Starts the server on $1 in the background: $pid and $url.
start() {
    : >"$tmp/out"
    "$BIN" "$@" --listen 127.0.0.1:0 >"$tmp/out" 2>"$tmp/err" &
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
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }

# The demo database (the museum, its offers, a few bookings), once.
start demo --db "sqlite:$tmp/demo.db"
stop
login='{"email":"julien.moreau@musee-saint-aubin.test","password":"Demo-Passpro-2026!"}'
tour=$(sqlite3 "$tmp/demo.db" "SELECT id FROM offer WHERE subcategory_id = 'VISITE_GUIDEE'")
venue=$(sqlite3 "$tmp/demo.db" "SELECT venue_id FROM offer WHERE id = $tour")
offerer=$(sqlite3 "$tmp/demo.db" "SELECT offerer_id FROM venue WHERE id = $venue")
smin=$(sqlite3 "$tmp/demo.db" "SELECT MIN(id) FROM stock WHERE offer_id = $tour")
scount=$(sqlite3 "$tmp/demo.db" "SELECT COUNT(*) FROM stock WHERE offer_id = $tour")

echo "machine: $(nproc) cores, $(uname -m), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; server: passpro serve, 4 workers, SQLite WAL"
printf '%-9s %-5s %9s %11s %8s %14s %14s\n' bookings file rows seconds size "peak RSS before" "peak RSS after"
for n in $sizes; do
    cp "$tmp/demo.db" "$tmp/bench.db"
    t0=$(date +%s.%N)
    # One beneficiary per booking (one live booking per beneficiary and offer); tokens are the
    # booking number in the countermark alphabet, unique.
    sqlite3 "$tmp/bench.db" <<SQL
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE seq (i INTEGER PRIMARY KEY);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n)
INSERT INTO seq SELECT i FROM s;
INSERT INTO account (id, email, password_hash, first_name, last_name, phone, role, created_at)
SELECT 1000000 + i, 'bench-' || i || '@example.test', 'x', 'Léa', 'Bénéficiaire ' || i,
       '06 12 34 56 78', 'BENEFICIARY', strftime('%s', 'now') - 40 * 86400 FROM seq;
INSERT INTO beneficiary (account_id, birth_date, postal_code, registered_at)
SELECT 1000000 + i, '2007-05-01', '33000', strftime('%s', 'now') - 40 * 86400 FROM seq;
INSERT INTO booking (token, account_id, stock_id, offer_id, venue_id, offerer_id, quantity,
                     amount_cents, price_category_label, status, created_at,
                     cancellation_limit_at, used_at, validation_author, cancelled_at,
                     cancellation_reason)
SELECT substr(a, i / 24300000 % 30 + 1, 1) || substr(a, i / 810000 % 30 + 1, 1)
       || substr(a, i / 27000 % 30 + 1, 1) || substr(a, i / 900 % 30 + 1, 1)
       || substr(a, i / 30 % 30 + 1, 1) || substr(a, i % 30 + 1, 1),
       1000000 + i, $smin + i % $scount, $tour, $venue, $offerer,
       CASE WHEN i % 50 = 0 THEN 2 ELSE 1 END,
       CASE i % 3 WHEN 0 THEN 1200 WHEN 1 THEN 500 ELSE 0 END,
       CASE i % 3 WHEN 0 THEN 'Plus de 18 ans' WHEN 1 THEN 'Moins de 18 ans'
                  ELSE 'Personne en situation de handicap' END,
       CASE i % 10 WHEN 0 THEN 'USED' WHEN 1 THEN 'CANCELLED' ELSE 'CONFIRMED' END,
       created, created + 48 * 3600,
       CASE WHEN i % 10 = 0 THEN created + 3600 END,
       CASE WHEN i % 10 = 0 THEN 'OFFERER' END,
       CASE WHEN i % 10 = 1 THEN created + 600 END,
       CASE WHEN i % 10 = 1 THEN 'BENEFICIARY' END
FROM (SELECT i, 'ABCDEFGHJKLMNPQRSTUVWXYZ234567' AS a,
             strftime('%s', 'now') - 3600 - (i * 7919) % (29 * 86400) AS created FROM seq);
COMMIT;
SQL
    sqlite3 "$tmp/bench.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
    t1=$(date +%s.%N)
    echo "# $n bookings inserted in $(echo "$t1 - $t0" | bc 2>/dev/null || echo "?") s ($(du -h "$tmp/bench.db" | cut -f1) database)"
    for fmt in xlsx csv; do
        start serve --db "sqlite:$tmp/bench.db"
        curl -s -c "$tmp/cookies" -H 'Content-Type: application/json' -d "$login" \
            "$url/api/v1/auth/login" >/dev/null
        curl -s -b "$tmp/cookies" "$url/api/v1/pro/bookings" >/dev/null # warm: one list page
        # Login hashes the password with Argon2id (64 MB): reset the peak, keep the baseline.
        echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
        before=$(hwm_kb)
        stats=$(curl -s -b "$tmp/cookies" -o "$tmp/file.$fmt" -w '%{http_code} %{time_total} %{size_download}' \
            "$url/api/v1/pro/bookings/export?format=$fmt")
        after=$(hwm_kb)
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
        printf '%-9s %-5s %9s %11s %7sM %12sMB %12sMB\n' "$n" "$fmt" "$rows" "$secs" \
            "$((bytes / 1048576))" "$((before / 1024))" "$((after / 1024))"
        stop
        rm -f "$tmp/file.$fmt"
    done
done
