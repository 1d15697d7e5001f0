#!/bin/sh
# Installs what passpro needs to build, run and test, on a Debian machine.
# Idempotent: packages already present are skipped, so a warm machine pays nothing.
set -eu

cd "$(dirname "$0")/.."

# clang and libclang-rt-14-dev: the fuzz targets (make fuzz, docs/fuzzing.md); the second holds
# libFuzzer's runtime, only recommended by clang's packages, and recommends are not installed.
DEB_PACKAGES="
build-essential pkg-config
libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
libcurl4-openssl-dev libcmocka-dev tzdata libqrencode-dev
libxlsxwriter-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core
poppler-utils
clang libclang-rt-14-dev
sqlite3 postgresql curl ca-certificates unzip libxml2-utils postfix
chromium
nodejs npm
"

# SETUP_EXTRA: more packages for one target (make bench: wrk and nginx, the load generator and
# the reference server its figures are measured against).
DEB_PACKAGES="$DEB_PACKAGES ${SETUP_EXTRA:-}"

missing=""
for p in $DEB_PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# nodejs/npm may come from elsewhere on a developer machine: a working node counts.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    missing=$(printf '%s\n' $missing | grep -v -x -e nodejs -e npm | tr '\n' ' ' || true)
fi

if [ -n "$(echo $missing)" ]; then
    echo "setup: installing Debian packages:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# npm packages: the DSFR look (served as static files) and playwright-core for browser tests.
if [ ! -f node_modules/@gouvfr/dsfr/dist/dsfr.min.css ] || [ ! -d node_modules/playwright-core ]; then
    echo "setup: installing npm packages"
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error
    else
        npm install --no-audit --no-fund --loglevel=error
    fi
fi
