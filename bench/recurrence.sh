#!/bin/sh
# Time to create 2,500 stocks in one recurrence request (100 days x 25 slots x 1 tariff),
# measured by curl around the whole HTTP request, on a fresh demo server. Prints figures.
# Usage: bench/recurrence.sh [runs]   (needs `make` first)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
build/passpro demo --listen 127.0.0.1:0 --db "sqlite:$tmp/bench.db" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q "à l'écoute" "$tmp/out" && break; sleep 0.2; done
url=$(sed -n "s/^passpro: à l'écoute sur //p" "$tmp/out")
json='-H Content-Type:application/json'
curl -s -c "$tmp/c" $json -d '{"email":"julien.moreau@musee-saint-aubin.test","password":"Demo-Passpro-2026!"}' \
    "$url/api/v1/auth/login" >/dev/null
times='"09:00","09:20","09:40","10:00","10:20","10:40","11:00","11:20","11:40","12:00","12:20","12:40","13:00","13:20","13:40","14:00","14:20","14:40","15:00","15:20","15:40","16:00","16:20","16:40","17:00"'
year=$(($(date +%Y) + 1))
echo "machine: $(nproc) cores; SQLite WAL, synchronous=FULL; one transaction per request"
for i in $(seq "$runs"); do
    offer=$(curl -s -b "$tmp/c" $json -d '{"venueId":2,"name":"Bench '"$i"'","subcategoryId":"VISITE","audioDisabilityCompliant":true,"mentalDisabilityCompliant":true,"motorDisabilityCompliant":true,"visualDisabilityCompliant":true}' \
        "$url/api/v1/offers" | sed 's/^{"id":\([0-9]*\).*/\1/')
    pc=$(curl -s -b "$tmp/c" $json -d '{"label":"Tarif unique","priceCents":500}' \
        "$url/api/v1/offers/$offer/price-categories" | sed 's/^{"id":\([0-9]*\).*/\1/')
    curl -s -o "$tmp/r" -w "run $i: %{time_total} s, " -b "$tmp/c" $json \
        -d '{"priceCategoryIds":['"$pc"'],"startDate":"'"$year"'-01-01","endDate":"'"$year"'-04-10","weekdays":[1,2,3,4,5,6,7],"times":['"$times"'],"quantity":10}' \
        "$url/api/v1/offers/$offer/stocks/recurrence"
    cat "$tmp/r"
    echo
done
