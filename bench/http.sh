#!/bin/sh
# HTTP throughput and latency of /healthz and of an authenticated GET (/api/v1/venues),
# with wrk against the demo server on loopback. Prints figures; never fails a build.
# Usage: bench/http.sh [seconds] [connections]   (needs `make` first and Debian's wrk)
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
secs=${1:-10}
conns=${2:-32}
tmp=$(mktemp -d)
pid=""
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
start_demo "$tmp" --db "sqlite:$tmp/bench.db"
session=$(demo_pro_session "$url" "$tmp")
echo "machine: $(nproc) cores, $(uname -m); server: 4 workers, SQLite WAL; wrk: 2 threads, $conns connections, ${secs}s"
echo "== GET /healthz"
wrk -t2 -c"$conns" -d"${secs}s" --latency "$url/healthz" | grep -E "Requests/sec|Latency |  50%|  99%"
echo "== GET /api/v1/venues?offererId=1 (session cookie, 3 venues, authorization check)"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: pp_session=$session" \
    "$url/api/v1/venues?offererId=1" | grep -E "Requests/sec|Latency |  50%|  99%"
