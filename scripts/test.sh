#!/usr/bin/env bash
# Runs every check and test of Grassroots, installing what the tests need when it is
# missing (PostgreSQL; Chromium and Node.js for the browser tests; LibreOffice for the
# export checks) from Debian's apt. The whole suite runs twice: on SQLite, then on a real
# PostgreSQL server started for the run.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v node >/dev/null || need_apt+=(nodejs npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing from apt: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== tests on SQLite"
unset GRASSROOTS_TEST_DATABASE_URL
cargo test --workspace --locked

echo "== tests on PostgreSQL"
eval "$(scripts/test-postgres.sh start)"
trap 'scripts/test-postgres.sh stop || true' EXIT
cargo test --workspace --locked

if [ -x tests/browser/run.sh ]; then
  echo "== browser tests (Chromium) on SQLite and PostgreSQL"
  GRASSROOTS_TEST_DATABASE_URL= tests/browser/run.sh
  tests/browser/run.sh
fi
echo "== exports open in LibreOffice"
scripts/check-exports.sh
echo "== all checks passed"
