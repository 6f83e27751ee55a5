#!/usr/bin/env bash
# The main job: install, build, start the simulated provider and the daemon, and run the
# standard gateway benchmark (the 000 run), printing the percentile report.
# Extra arguments go to `switchyard bench` (e.g. --requests 10000 for a quick run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent build
exec node dist/cli.js bench "$@"
