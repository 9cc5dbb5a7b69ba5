#!/usr/bin/env bash
# Run a throwaway PostgreSQL server for the test suite, from Debian's binaries.
#
#   scripts/pgtest.sh start DIR PORT   # prints postgresql+psycopg://postgres@127.0.0.1:PORT/sitrep_test
#   scripts/pgtest.sh stop DIR
#
# The server refuses to run as root, so as root it runs as the `postgres` user (DIR is chowned to it);
# otherwise it runs as the current user. Trust auth on loopback only: never use this for real data.
set -euo pipefail

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
DB_NAME="sitrep_test"

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

# as_pg CMD...: run CMD as the server's owner (postgres when we are root, else ourselves).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

start() {
    local dir="$1" port="$2"
    [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL binaries not found in $PG_BIN (apt-get install postgresql)" >&2; exit 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg "$PG_BIN/initdb" -A trust -U postgres -E UTF8 --no-locale -D "$dir/data" >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        # fsync off and no full-page writes: a throwaway server, speed over durability.
        as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
            -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
            start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    fi
    if ! as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
        as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB_NAME"
    fi
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/$DB_NAME"
}

stop() {
    local dir="$1"
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    # Only what start created: DIR itself may be a shared temporary folder.
    rm -rf "${dir:?}/data" "$dir/initdb.log" "$dir/server.log"
    rmdir "$dir" 2>/dev/null || true
}

case "${1:-}" in
    start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
    stop) [ $# -eq 2 ] || usage; stop "$2" ;;
    *) usage ;;
esac
