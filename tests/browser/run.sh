#!/usr/bin/env bash
# Runs the browser tests: builds the binary, creates a fresh database (a SQLite file, or a
# new PostgreSQL database on the server named by GRASSROOTS_TEST_DATABASE_URL), creates the
# users with `grassroots user add`, starts `grassroots serve` on a free loopback port, seeds
# organizations and members through the JSON API, runs `node --test`, and stops the server.
# Chromium is Debian's (/usr/bin/chromium); no browser is ever downloaded.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$HERE"

if [ ! -d node_modules/playwright-core ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build -p grassroots --locked --quiet)
BIN="$CARGO_TARGET_DIR/debug/grassroots"

WORK=$(mktemp -d)
PG_NAME=""
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [ -n "$PG_NAME" ]; then
    PSQL=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql
    "$PSQL" -q "$GRASSROOTS_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $PG_NAME WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${GRASSROOTS_TEST_DATABASE_URL:-}" ]; then
  PG_NAME="grassroots_browser_$$_$(date +%s)"
  PSQL=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql
  "$PSQL" -q "$GRASSROOTS_TEST_DATABASE_URL" -c "CREATE DATABASE $PG_NAME" >/dev/null
  DB_URL="${GRASSROOTS_TEST_DATABASE_URL%/*}/$PG_NAME"
  echo "browser tests on PostgreSQL ($PG_NAME)"
else
  DB_URL="sqlite:$WORK/grassroots.db"
  echo "browser tests on SQLite"
fi
export GRASSROOTS_DATABASE_URL="$DB_URL"
# The server and the CLI must not pick up a grassroots.toml of the checkout.
export GRASSROOTS_CONFIG=/dev/null

PASSWORD="browser-test-password"
printf '%s\n' "$PASSWORD" | "$BIN" user add admin --role administrator --display-name "Quản trị viên" --password-stdin

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
URL="http://127.0.0.1:$PORT"
GRASSROOTS_LOG=warn "$BIN" serve --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
  if node -e "fetch('$URL/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then break; fi
  sleep 0.1
done

SEED=$(node seed.mjs "$URL" admin "$PASSWORD")
printf '%s\n' "$PASSWORD" | "$BIN" user add bt.kp1 --role cell_secretary --org BT.LAGI.PH.KP1 \
  --display-name "Bí thư Chi bộ Khu phố 1" --password-stdin

status=0
GRASSROOTS_URL="$URL" GRASSROOTS_SEED="$SEED" GRASSROOTS_ADMIN=admin GRASSROOTS_SECRETARY=bt.kp1 \
  GRASSROOTS_PASSWORD="$PASSWORD" GRASSROOTS_SCREENS="${GRASSROOTS_SCREENS:-}" node --test --test-concurrency=1 tests/ || status=$?
if [ $status -ne 0 ]; then
  echo "== server log"; tail -n 50 "$WORK/server.log"
fi
exit $status
