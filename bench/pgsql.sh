#!/bin/sh
# The booking rush and the Guichet look-ups on PostgreSQL, with one server and with two servers
# on the same database (clients spread over both, as behind a load balancer). Prints figures;
# never fails a build. Durable settings (PostgreSQL's defaults: fsync, synchronous_commit).
# Usage: bench/pgsql.sh [beneficiaries] [offers] [connections]   (needs `make` first)
#
# The volumes are written straight into the database (SQL below): BENEFICIARIES young people
# with a session each, OFFERS museum cards of 1 € with plenty of places; each beneficiary books
# each offer once (BENEFICIARIES x OFFERS bookings per round, every request a success).
set -eu
cd "$(dirname "$0")/.."
bens=${1:-200}
offers=${2:-10}
conns=${3:-32}
tmp=$(mktemp -d)
pgdir=$(mktemp -d) # its own folder: the cluster runs as another user when this is root
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    scripts/pg-cluster.sh stop "$pgdir"
    rm -rf "$tmp"
}
trap cleanup EXIT
cc -O2 -o "$tmp/load" bench/load.c -lcurl

q=$(PG_DURABLE=1 scripts/pg-cluster.sh start "$pgdir")
psql "postgresql:///postgres?$q" -qc "CREATE DATABASE bench"
db="postgresql:///bench?$q"
sql() { psql "$db" -qAt -c "$1"; }

started=$(date +%s.%N)
build/passpro demo --listen 127.0.0.1:0 --db "$db" --mail-dir "$tmp/mail" >"$tmp/a.out" 2>&1 &
pids="$pids $!"
for _ in $(seq 100); do grep -q "à l'écoute" "$tmp/a.out" && break; sleep 0.1; done
url_a=$(sed -n "s/^passpro: à l'écoute sur //p" "$tmp/a.out")
build/passpro serve --listen 127.0.0.1:0 --db "$db" --mail-dir "$tmp/mail" >"$tmp/b.out" 2>&1 &
pids="$pids $!"
for _ in $(seq 100); do grep -q "à l'écoute" "$tmp/b.out" && break; sleep 0.1; done
url_b=$(sed -n "s/^passpro: à l'écoute sur //p" "$tmp/b.out")

now=$(date +%s)
# A session token is 64 hex digits, stored as its BLAKE2b-256 (domain/session.c).
token_of() { printf '%s' "bench$1" | sha256sum | cut -c1-64; }
session() { # account_id token
    h=$(printf '%s' "$2" | b2sum -l 256 | cut -c1-64)
    echo "INSERT INTO session (token_hash, account_id, csrf_token, created_at, expires_at)" \
         " VALUES ('$h', $1, 'bench', $now, $((now + 86400)));"
}

gen_start=$(date +%s.%N)
sql "INSERT INTO account (email, password_hash, first_name, last_name, role, created_at)
     SELECT 'bench' || g || '@example.test', 'x', 'Jeune', 'Bench' || g, 'BENEFICIARY', $now
     FROM generate_series(1, $bens) g;
     INSERT INTO beneficiary (account_id, birth_date, postal_code, social_bonus, registered_at)
     SELECT id, '2008-01-01', '75011', 0, $now FROM account WHERE email LIKE 'bench%';
     INSERT INTO wallet (account_id, amount_cents, expires_at)
     SELECT id, 30000, $((now + 2 * 365 * 86400)) FROM account WHERE email LIKE 'bench%';"
sql "SELECT id FROM account WHERE email LIKE 'bench%' ORDER BY id" >"$tmp/bens"
while read -r id; do echo "$id $(token_of "$id")"; done <"$tmp/bens" >"$tmp/tokens"
while read -r id t; do session "$id" "$t"; done <"$tmp/tokens" >"$tmp/sessions.sql"
pro=$(sql "SELECT id FROM account WHERE email = 'julien.moreau@musee-saint-aubin.test'")
protoken=$(token_of pro)
session "$pro" "$protoken" >>"$tmp/sessions.sql"
psql "$db" -q -f "$tmp/sessions.sql"
venue=$(sql "SELECT v.id FROM venue v JOIN user_offerer uo ON uo.offerer_id = v.offerer_id
             WHERE uo.account_id = $pro ORDER BY v.id LIMIT 1")

# A round: OFFERS new offers of one stock each, and the request list pairing them with everyone.
make_round() { # name -> request file
    sql "INSERT INTO offer (venue_id, name, subcategory_id, audio_disability, mental_disability,
             motor_disability, visual_disability, validation, is_active, created_at, published_at)
         SELECT $venue, 'Carte bench $1 ' || g, 'CARTE_MUSEE', 0, 0, 0, 0, 'APPROVED', 1, $now, $now
         FROM generate_series(1, $offers) g;
         INSERT INTO stock (offer_id, price_cents, quantity, created_at)
         SELECT id, 100, 100000, $now FROM offer WHERE name LIKE 'Carte bench $1 %';"
    sql "SELECT s.id FROM stock s JOIN offer o ON o.id = s.offer_id
         WHERE o.name LIKE 'Carte bench $1 %' ORDER BY s.id" >"$tmp/stocks_$1"
    while read -r s; do
        while read -r b t; do
            echo "POST /api/v1/bookings $t {\"stockId\":$s,\"quantity\":1}"
        done <"$tmp/tokens"
    done <"$tmp/stocks_$1" | shuf >"$tmp/rush_$1"
}
make_round one
make_round two
gen_end=$(date +%s.%N)

echo "machine: $(nproc) cores, $(uname -m); PostgreSQL $(psql --version | awk '{print $3}') (fsync on);"
echo "servers: 4 workers each; data written in $(echo "$gen_end - $gen_start" | bc) s" \
     "($bens beneficiaries, 2 x $offers offers)"
expected=$((bens * offers))
echo "== booking rush, one server: $expected bookings, $conns connections"
"$tmp/load" "$tmp/rush_one" "$conns" "$url_a"
echo "== booking rush, two servers: $expected bookings, $conns connections spread over both"
"$tmp/load" "$tmp/rush_two" "$conns" "$url_a" "$url_b"
for r in one two; do
    n=$(sql "SELECT COUNT(*) FROM booking b JOIN offer o ON o.id = b.offer_id
             WHERE o.name LIKE 'Carte bench $r %' AND b.status = 'CONFIRMED'")
    booked=$(sql "SELECT SUM(s.booked) FROM stock s JOIN offer o ON o.id = s.offer_id
                  WHERE o.name LIKE 'Carte bench $r %'")
    echo "check ($r): $n bookings in the database, stocks say $booked booked (expected $expected)"
done
spent=$(sql "SELECT COUNT(*) FROM wallet w JOIN account a ON a.id = w.account_id
             WHERE a.email LIKE 'bench%' AND w.spent_cents <> $((2 * offers * 100))")
echo "check: $spent wallets whose spending is not exactly 2 x $offers x 1 €"

sql "SELECT token FROM booking WHERE venue_id = $venue ORDER BY random() LIMIT 2000" |
    while read -r t; do echo "GET /api/v1/pro/bookings/token/$t $protoken"; done >"$tmp/lookups"
for _ in 1 2 3 4 5; do cat "$tmp/lookups"; done >"$tmp/lookups5"
n=$(wc -l <"$tmp/lookups5")
echo "== Guichet look-ups (the pro's session, GET /api/v1/pro/bookings/token/...), one server: $n"
"$tmp/load" "$tmp/lookups5" 64 "$url_a"
echo "== Guichet look-ups, two servers: $n"
"$tmp/load" "$tmp/lookups5" 64 "$url_a" "$url_b"
echo "whole run: $(echo "$(date +%s.%N) - $started" | bc) s"
