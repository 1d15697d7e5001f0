#!/bin/sh
# Guichet look-ups against the HTTP limit of the same machine: authenticated
# GET /api/v1/pro/bookings/token/{token} (the pro's session cookie, keep-alive, CONNS
# connections, tokens taken in turn from the demo museum's bookings), then nginx serving a
# static file of the same size on the same cores with the same wrk. Prints both and the ratio;
# never fails a build. Usage: bench/guichet.sh [seconds] [connections] [workers]
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
secs=${1:-10}
conns=${2:-64}
workers=${3:-4}
command -v wrk >/dev/null && command -v nginx >/dev/null ||
    { echo "bench/guichet.sh: wrk and nginx missing (make bench installs them)" >&2; exit 0; }
tmp=$(mktemp -d)
pid=""
ngx=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "$ngx" ] && kill "$ngx" 2>/dev/null && wait "$ngx" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

start_demo "$tmp" --db "sqlite:$tmp/g.db" --workers "$workers"
session=$(demo_pro_session "$url" "$tmp")
sqlite3 "$tmp/g.db" "SELECT b.token FROM booking b JOIN user_offerer uo ON uo.offerer_id = b.offerer_id
    JOIN account a ON a.id = uo.account_id
    WHERE a.email = 'julien.moreau@musee-saint-aubin.test'" >"$tmp/all_tokens"
# Only the bookings whose look-up answers 200 (not the reimbursed or cancelled ones).
while read -r t; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "pp_session=$session" \
        "$url/api/v1/pro/bookings/token/$t")
    [ "$code" = 200 ] && echo "$t"
done <"$tmp/all_tokens" >"$tmp/tokens"
curl -s -b "pp_session=$session" "$url/api/v1/pro/bookings/token/$(head -1 "$tmp/tokens")" \
    >"$tmp/static.json"
size=$(wc -c <"$tmp/static.json")
{
    printf 'local tokens = {'
    sed 's/.*/"&",/' "$tmp/tokens" | tr -d '\n'
    printf '}\nlocal i = 0\nrequest = function()\n  i = i %% #tokens + 1\n'
    printf '  return wrk.format("GET", "/api/v1/pro/bookings/token/" .. tokens[i])\nend\n'
} >"$tmp/tokens.lua"

# nginx: the same bytes from a file, keep-alive, no log, as many workers as cores.
mkdir -p "$tmp/www"
cp "$tmp/static.json" "$tmp/www/booking.json"
port=$((20000 + $$ % 20000))
cat >"$tmp/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp;
    uwsgi_temp_path $tmp; scgi_temp_path $tmp;
    server { listen 127.0.0.1:$port; root $tmp/www; }
}
NGINX
nginx -c "$tmp/nginx.conf" &
ngx=$!
sleep 0.5

figures() { # label, wrk output file
    rps=$(awk '/Requests\/sec/ {print $2}' "$2")
    p99=$(awk '$1 == "99%" {print $2}' "$2")
    echo "$1: $rps requests/s, p99 $p99"
}
echo "machine: $(nproc) cores; wrk 2 threads, $conns connections, ${secs}s; response $size bytes;" \
     "passpro $workers workers, $(wc -l <"$tmp/tokens") tokens in turn"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: pp_session=$session" \
    -s "$tmp/tokens.lua" "$url" >"$tmp/pp.txt"
grep -q "Non-2xx" "$tmp/pp.txt" && echo "warning: $(grep Non-2xx "$tmp/pp.txt")"
wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/booking.json" >"$tmp/ngx.txt"
figures "passpro Guichet look-up" "$tmp/pp.txt"
figures "nginx static file      " "$tmp/ngx.txt"
a=$(awk '/Requests\/sec/ {print $2}' "$tmp/pp.txt")
b=$(awk '/Requests\/sec/ {print $2}' "$tmp/ngx.txt")
echo "ratio: $(echo "scale=2; $a / $b" | bc)"
