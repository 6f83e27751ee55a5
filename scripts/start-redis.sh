#!/usr/bin/env bash
# Starts a throwaway redis-server on a free loopback port (no persistence) and prints its URL.
# Installs Debian's redis-server first when it is missing. Used by .ci/run, which exports the
# URL as SWITCHYARD_TEST_REDIS_URL; stop it with `redis-cli -p <port> shutdown nosave`.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  echo "start-redis: installing redis-server" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >&2
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
