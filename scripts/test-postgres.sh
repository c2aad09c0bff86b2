#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the test suite, installing it from apt when it
# is missing, and prints the URL to give the tests as GRASSROOTS_TEST_DATABASE_URL.
# Usage: eval "$(scripts/test-postgres.sh start)"   ...   scripts/test-postgres.sh stop
set -euo pipefail
DIR=${GRASSROOTS_PG_DIR:-/tmp/grassroots-test-pg}
PORT=${GRASSROOTS_PG_PORT:-55432}

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

case "${1:-start}" in
  start)
    if [ -z "$(find_bin)" ]; then
      echo "installing PostgreSQL from apt" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
    fi
    BIN=$(find_bin)
    RUN_AS=()
    if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi
    if [ -f "$DIR/postmaster.pid" ]; then
      "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" stop -m fast >&2 || true
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DIR"; fi
    "${RUN_AS[@]}" "$BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >&2
    echo "export GRASSROOTS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    BIN=$(find_bin)
    RUN_AS=()
    if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi
    [ -f "$DIR/postmaster.pid" ] && "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" stop -m fast >&2
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
