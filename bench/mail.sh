#!/bin/sh
# Emails delivered per second by passpro's delivery worker: N rendered, composed and sent
# emails (the venue's booking notification, text + HTML), to a local Debian smtp-sink over
# SMTP on loopback, then written as .eml files to a --mail-dir folder. The outbox is filled
# directly with sqlite3, then one POST /api/test/jobs/run delivers everything due, timed by
# curl. Prints figures; never fails on a slow machine.
# Usage: bench/mail.sh [emails] [runs]   (needs `make` first, smtp-sink from postfix, sqlite3)
set -eu
cd "$(dirname "$0")/.."
n=${1:-2000}
runs=${2:-3}
sink=/usr/sbin/smtp-sink
[ -x "$sink" ] || { echo "bench/mail.sh: $sink missing (Debian package postfix)"; exit 0; }
tmp=$(mktemp -d)
pids=""
trap 'set +e; for p in $pids; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; rm -rf "$tmp"' EXIT

port=$((20000 + $$ % 20000))
user=""
[ "$(id -u)" -eq 0 ] && user="-u root"
# shellcheck disable=SC2086
$sink $user 127.0.0.1:$port 1000 &
pids="$pids $!"

# Starts a server on a fresh database with the mail options "$@"; sets $url and $db.
start() {
    k=$1
    db="$tmp/bench$k.db"
    shift
    build/passpro serve --listen 127.0.0.1:0 --db "sqlite:$db" --test-clock "$@" \
        >"$tmp/out$k" 2>"$tmp/err$k" &
    pids="$pids $!"
    for _ in $(seq 100); do grep -q "à l'écoute" "$tmp/out$k" && break; sleep 0.1; done
    url=$(sed -n "s/^passpro: à l'écoute sur //p" "$tmp/out$k")
}

fill() {
    payload='{"email":"ines.laurent@example.fr","eventDate":"14/03/2027 à 10:30","firstName":"Inès","isEvent":true,"isPaid":true,"lastName":"Laurent","offerName":"Visite guidée : les impressionnistes","phone":"06 12 34 56 78","price":"12,00 €","priceCategoryLabel":"Plus de 18 ans","quantity":1,"token":"ABC234","total":"12,00 €","venueName":"Musée des Beaux-Arts"}'
    sqlite3 "$db" "PRAGMA busy_timeout=5000; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $n)
        INSERT INTO outbox (created_at, kind, to_address, reply_to, payload, next_attempt_at)
        SELECT 0, 'VENUE_NEW_BOOKING', 'lieu' || i || '@example.com', 'ines.laurent@example.fr',
               '$payload', 0 FROM c;" >/dev/null
}

deliver() {
    curl -s -o "$tmp/r" -w '%{time_total}' -X POST -H 'Content-Type: application/json' "$url/api/test/jobs/run"
}

report() {
    label=$1
    for i in $(seq "$runs"); do
        fill
        t=$(deliver)
        sent=$(sed -n 's/.*"sent": *\([0-9]*\).*/\1/p' "$tmp/r")
        awk -v l="$label" -v i="$i" -v s="$sent" -v t="$t" \
            'BEGIN { printf "%s run %d: %d emails in %.3f s, %.0f emails/s\n", l, i, s, t, s / t }'
    done
}

echo "machine: $(nproc) cores; SQLite WAL, synchronous=FULL; $n emails per run"
start 1 --smtp "smtp://127.0.0.1:$port"
report "SMTP (smtp-sink, one connection per run)"
start 2 --mail-dir "$tmp/mail"
report "mail-dir (fsync + rename per file)"
