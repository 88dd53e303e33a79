#!/usr/bin/env bash
# A throwaway PostgreSQL server for `make test-distributed`, on 127.0.0.1 only, its data in a
# temporary folder. `.ci/postgres.sh run CMD...` starts one (unless $JARING_TEST_POSTGRES is already
# set, or no PostgreSQL is installed: the tests then skip, or fail under CI), exports its URL as
# JARING_TEST_POSTGRES, runs CMD and stops the server and removes its folder however CMD ends.
# Its data are thrown away, so it does not wait for the disk on each commit (fsync=off): a loaded CI
# machine's fsyncs would otherwise cost tenths of a second per trial.
# initdb refuses to run as root, so as root the server runs as Debian's unprivileged `postgres` user.
set -euo pipefail

pg_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    if [ -n "$dir" ]; then echo "$dir"; elif command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"; fi
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local bin port
    bin="$(pg_bin)"
    PG_TMP="$(mktemp -d /tmp/jaring-pg.XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_TMP"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bin/initdb" -D "$PG_TMP/data" -U jaring --auth=trust >"$PG_TMP/initdb.log"
    as_owner "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w \
        -o "-h 127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U jaring jaring_test
    export PG_TMP JARING_TEST_POSTGRES="postgresql://jaring@127.0.0.1:$port/jaring_test"
}

stop() {
    [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP/data" ] || return 0
    as_owner "$(pg_bin)/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null || true
    rm -rf "$PG_TMP"
}

run() {
    if [ -z "${JARING_TEST_POSTGRES:-}" ] && [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ]; then
        trap stop EXIT
        start
    fi
    "$@"
}

"$@"
