#!/bin/sh
# The booking rush on SQLite (WAL, synchronous=FULL): many beneficiaries booking many stocks
# at once, then the hot stock (CLIENTS young people on one slot of 100 places). Prints figures
# beside the raw commit rate of the same disk; never fails a build.
# Usage: bench/rush.sh [beneficiaries] [offers] [connections] [workers]   (needs `make` first)
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
bens=${1:-400}
offers=${2:-10}
conns=${3:-32}
workers=${4:-16}
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/passpro-rush-XXXXXX") # on disk, not tmpfs: fsync is real
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
cc -O2 -o "$tmp/load" bench/load.c -lcurl
cc -O2 -o "$tmp/commit_loop" bench/commit_loop.c -lsqlite3
cc -O2 -o "$tmp/gen" bench/gen.c -lsqlite3 -lsodium

db="$tmp/rush.db"
start_demo "$tmp" --db "sqlite:$db" --workers "$workers"
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }

now=$(date +%s)
gen_start=$(date +%s.%N)
"$tmp/gen" "$db" rush "$bens" "$offers" "$tmp"
gen_end=$(date +%s.%N)

echo "machine: $(nproc) cores, $(uname -m); $(df -T "$tmp" | awk 'NR==2 {print $2}') disk;" \
     "server: $workers workers, SQLite $(sqlite3 --version | cut -d' ' -f1) WAL synchronous=FULL"
echo "data: $bens beneficiaries with a session, 2 x $offers offers, written in" \
     "$(echo "$gen_end - $gen_start" | bc) s"
echo "== raw limit: one small INSERT per commit in a tight C loop, same disk (5 s)"
"$tmp/commit_loop" "$tmp/raw.db" 5
expected=$((bens * offers))
m0=$(curl -s "$url/metrics" | awk '/^passpro_db_commits_total/ {print $2}')
echo "== booking rush: $expected bookings (every request a success), $conns connections"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # the server's user + system ticks
c0=$(cpu)
"$tmp/load" "$tmp/rush_one" "$conns" "$url"
c1=$(cpu)
echo "   server CPU: $(( (c1 - c0) * 1000 / $(getconf CLK_TCK) )) ms for $expected bookings"
m0=${m0:-0}
m1=$(curl -s "$url/metrics" | awk '/^passpro_db_commits_total/ {print $2}')
t1=$(curl -s "$url/metrics" | awk '/^passpro_db_transactions_total/ {print $2}')
m1=${m1:-0}; t1=${t1:-0}
echo "   durable commits: $((m1 - m0)) for $expected bookings ($t1 write transactions since start)"
n=$(sql "SELECT COUNT(*) FROM booking b JOIN offer o ON o.id = b.offer_id
         WHERE o.name LIKE 'Carte bench one %' AND b.status = 'CONFIRMED'")
booked=$(sql "SELECT SUM(s.booked) FROM stock s JOIN offer o ON o.id = s.offer_id
              WHERE o.name LIKE 'Carte bench one %'")
echo "   check: $n bookings in the database, stocks say $booked booked (expected $expected)"

echo "== hot stock: $bens young people on one slot of 100 places, $conns connections"
"$tmp/load" "$tmp/hot" "$conns" "$url"
n=$(sql "SELECT COUNT(*) FROM booking WHERE stock_id = $(cat "$tmp/hot_stock") AND status = 'CONFIRMED'")
echo "   check: $n bookings on the slot (expected 100)"
neg=$(sql "SELECT COUNT(*) FROM wallet WHERE spent_cents > amount_cents")
echo "   check: $neg wallets overspent (expected 0)"
