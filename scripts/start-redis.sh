#!/usr/bin/env bash
# Starts a throwaway redis-server on a free loopback port (no persistence) and prints its URL.
# When redis-server is missing, scripts/ensure-system-deps.sh installs it (as root) with the
# test suite's other system packages. Used by scripts/test.sh, which exports the URL as
# SWITCHYARD_TEST_REDIS_URL; stop it with `redis-cli -u <url> shutdown nosave`.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  bash "$(dirname "$0")/ensure-system-deps.sh" >&2
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "start-redis: redis-server is not installed (apt-get install redis-server)" >&2
    exit 1
  fi
fi

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
dir="$(mktemp -d "${TMPDIR:-/tmp}/switchyard-redis.XXXXXX")"
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2

for _ in $(seq 1 50); do
  if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
    echo "redis://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "start-redis: redis-server did not answer on port $port (log: $dir/redis.log)" >&2
exit 1
