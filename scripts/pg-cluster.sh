#!/bin/sh
# A throwaway PostgreSQL cluster in a folder, for the test suites and the benchmarks.
#   scripts/pg-cluster.sh start DIR [PORT]  creates and starts it; prints the query part of a
#                                           passpro URL: "host=DIR&port=PORT&user=postgres"
#   scripts/pg-cluster.sh stop DIR          stops it and removes DIR
# PostgreSQL refuses to run as root: as root, the cluster runs as the "postgres" user that the
# Debian package creates. fsync is off for the tests (the data is thrown away); PG_DURABLE=1
# keeps PostgreSQL's defaults (fsync, synchronous_commit) for the benchmarks.
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "pg-cluster: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$cmd" in
start)
    port=${3:-$((20000 + $$ % 20000))}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    user=$(id -un)
    [ "$(id -u)" -eq 0 ] && user=postgres
    as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-0}" = 1 ] && fast=""
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-k $dir -p $port -h '' $fast -c max_connections=300" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "host=$dir&port=$port&user=$user"
    ;;
stop)
    [ -d "$dir/data" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
