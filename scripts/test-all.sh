#!/usr/bin/env bash
# Every test Veridesk has, in the order that fails fastest: lint and format, types, unit tests on the real
# PostgreSQL, the production build, e2e in chromium against two app instances on one database,
# and a smoke run on the embedded default database from an empty data folder.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$(date +%s)
logs=$(mktemp -d)
passed=0
# Adds a runner's "N passed" figure (vitest: "Tests  N passed", Playwright: "N passed (…)") to the total.
count_passed() {
  local figure
  figure=$(sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E "$2" | grep -oE '[0-9]+ passed' | tail -1 | grep -oE '[0-9]+' || true)
  passed=$((passed + ${figure:-0}))
}

if [ ! -x /usr/bin/chromium ]; then
  echo "Debian's chromium is missing: install it with 'apt-get install -y chromium' (.ci/run does this)." >&2
  exit 1
fi
if ! pg_isready -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -q 2>/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; the tests need it (set TEST_DATABASE_SERVER to use another)." >&2
  exit 1
fi

step "Lint and format check (Biome: layer rules in biome.json, see ARCHITECTURE.md)"
npx biome check .

step "Type check"
npx tsc --noEmit

step "Unit tests (vitest, real PostgreSQL)"
npx vitest run 2>&1 | tee "$logs/unit.log"
count_passed "$logs/unit.log" '^ *Tests +[0-9]+ passed'

step "Production build"
npx next build

step "End-to-end tests (Playwright, chromium, two instances on one database)"
# A throwaway database for this run, dropped once the app instances have stopped.
export E2E_DATABASE_URL="${TEST_DATABASE_SERVER:-postgresql://postgres@127.0.0.1:5432}/veridesk_e2e_$(node -p 'Date.now().toString(36)')_$$"
trap 'npx tsx scripts/drop-database.ts "$E2E_DATABASE_URL" >/dev/null 2>&1 || true' EXIT
npx playwright test 2>&1 | tee "$logs/e2e.log"
count_passed "$logs/e2e.log" '^ *[0-9]+ passed \('

step "Smoke test on the embedded default database from an empty data folder"
npx playwright test -c e2e/embedded-smoke.config.ts 2>&1 | tee "$logs/smoke.log"
count_passed "$logs/smoke.log" '^ *[0-9]+ passed \('

echo
echo "All test stages passed in $(( $(date +%s) - started )) s."
# Any failure above has already stopped the script (set -e with pipefail), so none failed here.
echo "tests: ${passed} passed, 0 failed"
