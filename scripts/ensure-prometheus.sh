#!/usr/bin/env bash
# Debian's Prometheus (with promtool) for the observability test, which starts its own instance
# on a free loopback port. Installs the package when it is missing and this runs as root;
# otherwise says what is missing and exits 1, and the test skips (or fails, under CI=true).
# The package's own service is not needed: the test runs `prometheus` as an ordinary process.
set -euo pipefail
command -v prometheus >/dev/null 2>&1 && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-prometheus: prometheus is not installed (apt-get install prometheus)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
command -v prometheus >/dev/null 2>&1
