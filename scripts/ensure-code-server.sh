#!/usr/bin/env bash
# Installs code-server (a real VS Code in the browser, the end-to-end suite's editor) under
# ~/.cache/switchyard-e2e once, and prints the path of its binary. Works from nothing on a
# fresh Debian machine when run as root: Chromium, ripgrep, the Kerberos headers and a
# compiler for code-server's native modules come from apt. code-server 4.100.3 is VS Code
# 1.100.3, the last one that runs on Node 20. Its ripgrep package would download rg from
# GitHub; it gets Debian's rg from a local cache instead.
set -euo pipefail

version="4.100.3"
cache="${SWITCHYARD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchyard-e2e}"
prefix="$cache/code-server-$version"
bin="$prefix/node_modules/.bin/code-server"

if [[ -x "$bin" && -f "$prefix/.installed" ]]; then
  echo "$bin"
  exit 0
fi

need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
[[ -e /usr/include/krb5.h || -e /usr/include/krb5/krb5.h ]] || need+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if (( ${#need[@]} > 0 )); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-code-server: missing system packages: ${need[*]} (run as root, or apt-get install ${need[*]})" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# @vscode/ripgrep looks for this archive in its cache before it tries to download.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache"
rg_dir="$(dirname "$(command -v rg)")"
for archive in ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz; do
  [[ -f "$rg_cache/$archive" ]] || tar czf "$rg_cache/$archive" -C "$rg_dir" rg
done

rm -rf "$prefix"
mkdir -p "$prefix"
echo "ensure-code-server: installing code-server $version into $prefix (a few minutes, once)" >&2
( cd "$prefix" && npm_config_yes=true npm_config_unsafe_perm=true npm install --prefix "$prefix" \
    --no-audit --no-fund --loglevel=error "code-server@$version" >&2 )
"$bin" --version >/dev/null
touch "$prefix/.installed"
echo "$bin"
