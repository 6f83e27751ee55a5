#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -L node_modules ]]; then
  # A linked node_modules is shared with other checkouts (git worktrees): `npm ci` would empty
  # it for all of them, and a fresh checkout's lockfile always looks newer. Use it as it is.
  if [[ ! -x node_modules/.bin/tsx ]]; then
    echo "ensure-deps: node_modules links to $(readlink node_modules), which has no dependencies installed; run npm ci there" >&2
    exit 1
  fi
  exit 0
fi
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
