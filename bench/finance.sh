#!/bin/sh
# Time and peak memory to price and pay N used bookings (default 1,000,000) with the real
# binary: `passpro jobs run` prices every ready finance event (the scheduler's price_events
# job), then, at a later --now past the cut-off, pays them all in one run (finance_runs: batch,
# cashflow, invoice, bookings REIMBURSED, justificatif PDF). Prints figures; never fails.
#
# Usage: bench/finance.sh [N]   (needs `make` first, sqlite3 and GNU time)
#
# The fixture is written in SQL on a migrated database: one museum (a SIRET venue, its own
# pricing point) with an ACCEPTED bank account, N beneficiaries, N bookings of 20 € used over
# the first half of March 2026 (the venue crosses 20 000 € with the 1 001st: 100 % then 95 %),
# and their N ready finance events, as the Guichet would have left them.
set -eu
cd "$(dirname "$0")/.."
BIN=${PASSPRO_BIN:-build/passpro}
[ -x "$BIN" ] || { echo "bench/finance.sh: $BIN missing, run make first" >&2; exit 0; }
command -v sqlite3 >/dev/null || { echo "bench/finance.sh: sqlite3 missing" >&2; exit 0; }
n=${1:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/bench.db"
"$BIN" migrate --db "sqlite:$db" >/dev/null
start=1772319600 # 2026-03-01T00:00:00+01:00
span=1209600     # 14 days: every use before the 16 March cut-off
sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
INSERT INTO offerer (id, siren, name, street, postal_code, city, status, created_at)
    VALUES (1, '123456789', 'Musée du banc d''essai', '1 rue des Arts', '33000', 'Bordeaux', 'VALIDATED', 0);
INSERT INTO venue (id, offerer_id, name, siret, street, postal_code, city, venue_type, created_at)
    VALUES (1, 1, 'Musée', '12345678900011', '1 rue des Arts', '33000', 'Bordeaux', 'MUSEUM', 0);
INSERT INTO offer (id, venue_id, name, subcategory_id, audio_disability, mental_disability,
                   motor_disability, visual_disability, validation, created_at)
    VALUES (1, 1, 'Carte musée', 'CARTE_MUSEE', 0, 0, 0, 0, 'APPROVED', 0);
INSERT INTO stock (id, offer_id, price_cents, created_at) VALUES (1, 1, 2000, 0);
INSERT INTO bank_account (id, offerer_id, label, iban, status, created_at)
    VALUES (1, 1, 'Compte', 'FR7630006000011234567890189', 'ACCEPTED', 0);
INSERT INTO venue_bank_account_link (venue_id, bank_account_id, starts_at) VALUES (1, 1, 0);
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
INSERT INTO account (id, email, password_hash, first_name, last_name, role, created_at)
    SELECT i + 10, 'j' || i || '@example.test', 'x', 'Jeune', 'Banc', 'BENEFICIARY', 0 FROM k;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
INSERT INTO booking (id, token, account_id, stock_id, offer_id, venue_id, offerer_id, quantity,
                     amount_cents, status, created_at, used_at)
    SELECT i, printf('B%05X', i), i + 10, 1, 1, 1, 1, 1, 2000, 'USED',
           $start + i * $span / $n - 60, $start + i * $span / $n FROM k;
INSERT INTO finance_event (booking_id, venue_id, pricing_point_id, status, value_date,
                           ordering_date, year, created_at)
    SELECT id, 1, 1, 'ready', used_at, used_at, 2026, used_at FROM booking;
SQL
echo "machine: $(nproc) cores; SQLite WAL, synchronous=FULL; $n used bookings of 20 €"
run() {
    /usr/bin/time -f "%e s wall, %M KB peak resident" "$BIN" jobs run --db "sqlite:$db" --now "$1" \
        >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; return 0; }
    tail -n 1 "$tmp/err"
}
printf 'pricing (jobs run before the cut-off): '
run 2026-03-15T12:00:00Z
printf 'paying (jobs run after the 16 March cut-off): '
run 2026-03-16T00:30:00Z
sqlite3 "$db" "SELECT 'invoices: ' || COUNT(*) || ', amount ' || (SUM(amount_cents) / 100.0) || ' €' FROM invoice;
               SELECT 'pricings ' || rule || ': ' || COUNT(*) FROM pricing GROUP BY rule;
               SELECT 'bookings ' || status || ': ' || COUNT(*) FROM booking GROUP BY status;"
