#!/bin/sh
# `make bench`: every figure of docs/performance.md, each measured beside the limit it is
# compared with on the same machine in the same run, then ONE table: measure | figure | limit
# or target | verdict. Prints figures; never fails a build.
#   BENCH_QUICK=1  smaller volumes: exports and reimbursement over 100,000 bookings, not 1,000,000
#   BENCH_RUNS=N   the whole set N times; the table gives each figure's median (min-max)
set -u
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-1}
big=1000000
sizes="100000 $big"
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    big=100000
    sizes=100000
fi
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

section() { echo; echo "#### $1"; }

start_and_idle() {
    tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/passpro-start-XXXXXX")
    build/passpro migrate --db "sqlite:$tmp/s.db" >/dev/null
    t0=$(date +%s%N)
    build/passpro serve --listen 127.0.0.1:0 --db "sqlite:$tmp/s.db" --mail-dir "$tmp/mail" \
        >"$tmp/out" 2>&1 &
    pid=$!
    while ! grep -q "à l'écoute" "$tmp/out" 2>/dev/null; do sleep 0.005; done
    t1=$(date +%s%N)
    sleep 2
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2>/dev/null
    rm -rf "$tmp"
    echo "start (exec to listening): $(((t1 - t0) / 1000000)) ms; idle RSS: $((rss / 1024)) MB"
}

one_run() {
    section "start and idle memory"
    start_and_idle
    section "Guichet look-ups vs nginx static"
    bench/guichet.sh 10 64 4
    section "booking rush (SQLite, synchronous=FULL) vs one commit at a time"
    bench/rush.sh 1000 10 32 16
    section "exports"
    # shellcheck disable=SC2086 # two sizes
    bench/export.sh $sizes
    section "reimbursement run"
    bench/finance.sh "$big"
}

# The figures of one run's output, "key value" per line (times in s or ms, memory in MB).
figures() {
    awk '
    function ms(v) { # wrk latency: 850.12us, 14.20ms, 1.02s
        if (v ~ /us$/) return v / 1000
        if (v ~ /ms$/) return v + 0
        if (v ~ /s$/) return v * 1000
        return v
    }
    /^#### / { sec = $0 }
    /^start \(exec to listening\)/ { print "start_ms", $5; print "idle_rss_mb", $9 }
    /^passpro Guichet look-up:/ { sub(/.*: /, ""); g = $1; print "guichet_rps", $1; print "guichet_p99_ms", ms($4) }
    /^nginx static file/ { sub(/.*: /, ""); print "nginx_rps", $1; if ($1 > 0) printf "guichet_ratio %.2f\n", g / $1 }
    /commits\/s$/ { raw = $(NF - 1); print "raw_commits_s", raw }
    /^== booking rush/ { part = "rush" }
    /^== hot stock/ { part = "hot" }
    / per second; latency / {
        split($0, a, " per second"); k = split(a[1], w, " "); rps = w[k]
        match($0, /p99 [0-9.]+/); p99 = substr($0, RSTART + 4, RLENGTH - 4)
        if (part == "rush") { print "rush_bookings_s", rps; print "rush_p99_ms", p99
                              if (raw > 0) printf "rush_ratio %.2f\n", rps / raw }
        if (part == "hot") print "hot_p99_ms", p99
    }
    /check: .* bookings in the database/ { print "rush_check_ok", ($2 == $12 + 0 && $9 == $12 + 0 ? 1 : 0) }
    /check: .* bookings on the slot/ { print "hot_booked", $2 }
    /check: .* wallets overspent/ { print "overspent", $2 }
    /^# gen: [0-9]+ offers/ {
        match($0, /, [0-9]+ bookings \(/); nb = substr($0, RSTART + 2, RLENGTH - 13)
        match($0, /written in [0-9.]+ s/); print "gen_" nb "_s", substr($0, RSTART + 11, RLENGTH - 13)
        match($0, /database [0-9]+ MB/); print "db_" nb "_mb", substr($0, RSTART + 9, RLENGTH - 12)
    }
    /^[0-9]+ +(xlsx|csv) / {
        printf "export_%s_%s_s %.2f\n", $1, $2, $5; print "export_" $1 "_" $2 "_cpu_s", $6; r = $9; sub(/MB$/, "", r); print "export_" $1 "_" $2 "_rss_mb", r
        print "export_" $1 "_" $2 "_rows_ok", ($3 == $4 ? 1 : 0)
    }
    /^# gen: [0-9]+ offers/ && /s CPU\)/ { match($0, /\([0-9.]+ s CPU\)/); print "gen_" nb "_cpu_s", substr($0, RSTART + 1, RLENGTH - 8) }
    /^# gen: 1 museum/ { match($0, /written in [0-9.]+ s/); print "finance_gen_s", substr($0, RSTART + 11, RLENGTH - 13) }
    /^pricing \(jobs run/ { sub(/.*: /, ""); price = $1; pcpu = $4 + $7
        print "pricing_s", $1; print "pricing_cpu_s", pcpu; print "pricing_rss_mb", int($10 / 1024) }
    /^paying \(jobs run/ { sub(/.*: /, ""); print "paying_s", $1; print "paying_cpu_s", $4 + $7
        print "paying_rss_mb", int($10 / 1024); print "finance_s", price + $1; print "finance_cpu_s", pcpu + $4 + $7 }
    /^check: .* priced, invoiced and REIMBURSED/ { print "finance_ok", ($2 == $NF + 0 ? 1 : 0) }
    ' "$1"
}

i=1
while [ "$i" -le "$runs" ]; do
    [ "$runs" -gt 1 ] && { echo; echo "######## run $i of $runs"; }
    one_run 2>&1 | tee "$logs/run$i.log"
    figures "$logs/run$i.log" >"$logs/fig$i"
    i=$((i + 1))
done

# key: the values of every run, sorted; min, median, max.
cat "$logs"/fig* | sort -k1,1 -k2,2g | awk '
    { v[$1] = v[$1] " " $2; c[$1]++ }
    END { for (k in v) { n = split(v[k], a, " "); printf "%s %s %s %s %d\n", k, a[1], a[int((n + 1) / 2)], a[n], n } }
' >"$logs/stats"

# row LABEL KEY UNIT OP LIMIT: OP is < (the figure must stay below LIMIT), > (above), = (equal),
# or - (no limit: a figure to read). The verdict is the median's.
row() {
    awk -v label="$1" -v key="$2" -v unit="$3" -v op="$4" -v lim="$5" -v runs="$runs" '
    $1 == key { found = 1; min = $2; med = $3; max = $4; n = $5 }
    END {
        if (!found) { printf "| %s | (not measured) | | |\n", label; exit }
        fig = med unit
        if (n > 1) fig = sprintf("%s%s (%s-%s, %d runs)", med, unit, min, max, n)
        if (op == "-") { limit = "-"; verdict = "-" }
        else if (op == "<") { limit = "< " lim unit
            verdict = sprintf("%s: %.2f x the limit", med + 0 < lim + 0 ? "ok" : "OVER", med / lim) }
        else if (op == ">") { limit = ">= " lim unit
            verdict = sprintf("%s: %.2f of the target", med + 0 >= lim + 0 ? "ok" : "BELOW", med / lim) }
        else { limit = "= " lim unit; verdict = (min == lim && max == lim) ? "ok" : "WRONG" }
        printf "| %s | %s | %s | %s |\n", label, fig, limit, verdict
    }' "$logs/stats"
}

section "table ($runs run(s); machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
echo "| measure | figure | limit or target | verdict |"
echo "|---|---|---|---|"
row "start, exec to listening" start_ms " ms" "<" 100
row "idle RSS" idle_rss_mb " MB" "<" 16
row "Guichet look-ups/s" guichet_rps "/s" - ""
row "nginx, same file, same wrk" nginx_rps "/s" - ""
row "Guichet / nginx" guichet_ratio " x" ">" 0.8
row "Guichet p99" guichet_p99_ms " ms" "<" 20
row "raw commits/s (one INSERT per commit, same disk)" raw_commits_s "/s" - ""
row "durable bookings/s (rush, 32 clients)" rush_bookings_s "/s" - ""
row "bookings / raw commits" rush_ratio " x" ">" 2
row "booking p99 (rush)" rush_p99_ms " ms" "<" 50
row "rush: bookings = stocks = expected (1 = yes)" rush_check_ok "" "=" 1
row "hot stock: booked of 100 places" hot_booked "" "=" 100
row "hot stock: wallets overspent" overspent "" "=" 0
for n in $sizes; do
    k=$((n / 1000))k
    row "gen volume: 50k offers, 100k young people, $k bookings" "gen_${n}_s" " s" - ""
    row "gen volume, $k bookings: CPU" "gen_${n}_cpu_s" " s" - ""
    row "database with $k bookings" "db_${n}_mb" " MB" - ""
    for f in xlsx csv; do
        row "export $k bookings, $f" "export_${n}_${f}_s" " s" "$([ "$n$f" = 100000xlsx ] && echo "<" || echo -)" 1.5
        row "export $k bookings, $f: server CPU" "export_${n}_${f}_cpu_s" " s" - ""
        row "export $k bookings, $f: peak RSS" "export_${n}_${f}_rss_mb" " MB" - ""
        row "export $k bookings, $f: rows = places (1 = yes)" "export_${n}_${f}_rows_ok" "" "=" 1
    done
done
k=$((big / 1000))k
row "gen finance: $k used bookings" finance_gen_s " s" - ""
row "pricing $k used bookings" pricing_s " s" - ""
row "pricing: CPU" pricing_cpu_s " s" - ""
row "pricing: peak RSS" pricing_rss_mb " MB" - ""
row "paying them (one run: invoice, PDF)" paying_s " s" - ""
row "paying: CPU" paying_cpu_s " s" - ""
row "paying: peak RSS" paying_rss_mb " MB" - ""
row "reimbursement, pricing + paying, $k bookings" finance_s " s" "$([ "$big" = 1000000 ] && echo "<" || echo -)" 30
row "reimbursement: CPU (user + system)" finance_cpu_s " s" - ""
row "all priced, invoiced, REIMBURSED (1 = yes)" finance_ok "" "=" 1
