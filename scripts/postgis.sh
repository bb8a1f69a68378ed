#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL 15 + PostGIS 3 server for the
# PostGIS export test, on Debian 12. Installs the packages if missing (as
# root), creates a cluster in a private folder listening on a Unix socket
# only (no clash with a system server), a database `fptest` with the postgis
# extension, and prints the line to evaluate:
#   export FP_TEST_PG="PG:host=/tmp/fibreplan-pg port=55432 dbname=fptest user=postgres"
# Usage: eval "$(bash scripts/postgis.sh [start])"; bash scripts/postgis.sh stop
# Environment: FP_PG_DIR (default /tmp/fibreplan-pg), FP_PG_PORT (55432).
set -euo pipefail
PGVER=15
DIR="${FP_PG_DIR:-/tmp/fibreplan-pg}"
PORT="${FP_PG_PORT:-55432}"
BIN="/usr/lib/postgresql/$PGVER/bin"
log() { echo "postgis.sh: $*" >&2; }

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-start}" = "stop" ]; then
    if [ -f "$DIR/data/PG_VERSION" ]; then
        as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    exit 0
fi

PKGS="postgresql-$PGVER postgresql-$PGVER-postgis-3 postgresql-client-$PGVER"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    log "installing$missing"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PSQL=(psql -X -q -h "$DIR" -p "$PORT" -U postgres)
if [ -f "$DIR/data/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    log "reusing the server in $DIR"
else
    if [ -f "$DIR/data/PG_VERSION" ]; then
        as_pg "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 >/dev/null
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
        -o "-p $PORT -k $DIR -c listen_addresses=''" start >/dev/null
    log "server started in $DIR (port $PORT, Unix socket only)"
fi
if ! as_pg "${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='fptest'" | grep -q 1; then
    as_pg "${PSQL[@]}" -d postgres -c "CREATE DATABASE fptest" >/dev/null
fi
as_pg "${PSQL[@]}" -d fptest -c "SET client_min_messages=warning; CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
echo "export FP_TEST_PG=\"PG:host=$DIR port=$PORT dbname=fptest user=postgres\""
