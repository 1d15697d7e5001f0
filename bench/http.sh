#!/bin/sh
# HTTP throughput and latency of /healthz and of an authenticated GET (/api/v1/venues),
# with wrk against the demo server on loopback. Prints figures; never fails a build.
# Usage: bench/http.sh [seconds] [connections]   (needs `make` first and Debian's wrk)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
build/passpro demo --listen 127.0.0.1:0 --db "sqlite:$tmp/bench.db" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q "à l'écoute" "$tmp/out" && break; sleep 0.2; done
url=$(sed -n "s/^passpro: à l'écoute sur //p" "$tmp/out")
curl -s -c "$tmp/cookies" -H 'Content-Type: application/json' \
    -d '{"email":"julien.moreau@musee-saint-aubin.test","password":"Demo-Passpro-2026!"}' \
    "$url/api/v1/auth/login" >/dev/null
session=$(awk '$6 == "pp_session" {print $7}' "$tmp/cookies")
echo "machine: $(nproc) cores, $(uname -m); server: 4 workers, SQLite WAL; wrk: 2 threads, $conns connections, ${secs}s"
echo "== GET /healthz"
wrk -t2 -c"$conns" -d"${secs}s" --latency "$url/healthz" | grep -E "Requests/sec|Latency |  50%|  99%"
echo "== GET /api/v1/venues?offererId=1 (session cookie, 3 venues, authorization check)"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: pp_session=$session" \
    "$url/api/v1/venues?offererId=1" | grep -E "Requests/sec|Latency |  50%|  99%"
