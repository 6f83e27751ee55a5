#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs dependencies, builds, type-checks, checks
# the dependency rules, then runs every test (unit, integration against the simulator and Redis,
# end-to-end in code-server).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
bash scripts/ensure-deps.sh
npm run --silent build
npm run --silent typecheck
# The house rules (.dependency-cruiser.cjs): a broken one prints the rule's name and the import.
npm run --silent deps

# Services the tests need: a real Redis for team mode (started here unless CI already did).
if [[ -z "${SWITCHYARD_TEST_REDIS_URL:-}" && -x scripts/start-redis.sh ]] && command -v redis-server >/dev/null 2>&1; then
  SWITCHYARD_TEST_REDIS_URL="$(bash scripts/start-redis.sh)"
  export SWITCHYARD_TEST_REDIS_URL
  trap 'redis-cli -u "$SWITCHYARD_TEST_REDIS_URL" shutdown nosave >/dev/null 2>&1 || true' EXIT
fi

# Unit and integration tests first, then the editor end to end (scripts/e2e.sh runs its files
# one at a time); both run even when the first fails, and either failing fails the command.
status=0
mapfile -t files < <(find test -name '*.test.ts' -not -path 'test/e2e/*' | sort)
node --import tsx --test --test-reporter=spec --test-concurrency="${SWITCHYARD_TEST_CONCURRENCY:-2}" "${files[@]}" || status=$?
bash scripts/e2e.sh || status=$?
exit "$status"
