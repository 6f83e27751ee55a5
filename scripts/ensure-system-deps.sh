#!/usr/bin/env bash
# System packages the test suite needs (Debian): Redis for team mode, Chromium for the report
# and webview tests, Prometheus for the observability test (code-server's own packages are
# scripts/ensure-code-server.sh's). Installs what is missing when run as root; otherwise says
# what is missing, and the tests that need it skip (or fail, under CI=true).
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
(( ${#need[@]} == 0 )) && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: missing system packages: ${need[*]} (install them, e.g. apt-get install ${need[*]}, for the full suite)" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
