#!/bin/bash
# deps.sh: install what building and running lxcri need (run by `make deps`, as root, on
# Debian 12). The tests' own packages are in scripts/test-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "make deps: run as root" >&2; exit 1; }
NODE_MIN_MAJOR=18
# busybox-static makes the demo's root file system; jq reads state in the demo;
# libseccomp-dev's static library is linked into lxcri-init; procps's ps(1) is what
# `lxcri ps` runs (not on a minimal Debian).
PACKAGES=(build-essential pkg-config python3 lxc lxc-dev libseccomp-dev busybox-static jq procps)

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" </dev/null
# A Node.js already on the machine is used; else Debian's own nodejs (18) with npm.
command -v node >/dev/null || apt-get install -y -q --no-install-recommends nodejs </dev/null
command -v npm >/dev/null || apt-get install -y -q --no-install-recommends npm </dev/null
node -e "if (+process.versions.node.split('.')[0] < $NODE_MIN_MAJOR) { console.error('lxcri needs Node.js >= $NODE_MIN_MAJOR, found ' + process.version); process.exit(1) }"
# node-gyp builds the addon against local headers (nothing is downloaded): Debian's nodejs
# keeps them in libnode-dev; other packagings of node ship /usr/include/node themselves.
if [ ! -e /usr/include/node/node_api.h ] && dpkg-query -S "$(readlink -f "$(command -v node)")" 2>/dev/null | grep -q '^nodejs:'; then
  apt-get install -y -q --no-install-recommends libnode-dev </dev/null
fi
[ -e /usr/include/node/node_api.h ] && export npm_config_nodedir=/usr
npm ci --no-audit --no-fund
