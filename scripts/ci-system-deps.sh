#!/usr/bin/env bash
# System packages the test suite needs (Debian): Redis for team mode, Chromium for the
# report and editor tests, wrk and hey for the benchmark cross-check. Skips what is there.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if (( ${#need[@]} > 0 )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing system packages: ${need[*]} (run as root to install them)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
