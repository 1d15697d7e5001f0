# Shared by the bench scripts (sourced from the project root, after `set -eu`).
BIN=${PASSPRO_BIN:-build/passpro}

# start_demo DIR ARGS...: `passpro demo` on a free port with ARGS (--db, --workers...), its
# output in DIR/out; sets $pid and $url once it listens.
start_demo() {
    dir=$1
    shift
    # One load generator plays every client from 127.0.0.1: no limit per address.
    "$BIN" demo --listen 127.0.0.1:0 --mail-dir "$dir/mail" --max-connections-per-address 0 \
        "$@" >"$dir/out" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q "à l'écoute" "$dir/out" && break; sleep 0.1; done
    url=$(sed -n "s/^passpro: à l'écoute sur //p" "$dir/out")
}

# demo_pro_session URL DIR: logs the demo museum's pro in; prints the session cookie's value.
demo_pro_session() {
    curl -s -c "$2/cookies" -H 'Content-Type: application/json' \
        -d '{"email":"julien.moreau@musee-saint-aubin.test","password":"Demo-Passpro-2026!"}' \
        "$1/api/v1/auth/login" >/dev/null
    awk '$6 == "pp_session" {print $7}' "$2/cookies"
}
