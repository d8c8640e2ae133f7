#!/bin/bash
# test-node18.sh OUT_JSON: build a copy of this tree with Debian 12's own Node.js 18 (as a
# stock Debian machine would after `make deps`) and run the CLI, lifecycle and installed-
# lxcri tests with it: every lxcri call and the test runner itself run on Node 18.
# Node 18 comes from scripts/test-deps.sh. Writes vitest's JSON report to OUT_JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
node18=$repo/.test-cache/node18/node
out=$1
[ -x "$node18" ] || { echo "test-node18: $node18 is missing (scripts/test-deps.sh makes it)" >&2; exit 1; }

work=$(mktemp -d /tmp/lxcri-node18.XXXXXX)
chmod 0755 "$work" # a user-namespaced container's mapped root runs the copy's helpers
trap 'rm -rf "$work"' EXIT
copy=$work/lxcri
mkdir "$copy"
# The source tree without build outputs; the same node_modules (npm ci's, platform-neutral).
tar -C "$repo" --exclude=./.git --exclude=./node_modules --exclude=./build --exclude=./dist \
  --exclude=./.test-cache --exclude=./.test-results --exclude=./examples/busybox/rootfs \
  --exclude=./src/spec/generated -cf - . | tar -C "$copy" -xf -
ln -s "$repo/node_modules" "$copy/node_modules"
make -C "$copy" -s clean >/dev/null
echo "building with $("$node18" --version)"
make -C "$copy" -s -j2 NODE="$node18" all >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
make -C "$copy" -s install NODE="$node18" PREFIX="$copy/prefix" SYSCONFDIR="$copy/prefix/etc" >/dev/null
# The launchers the tests run must exec Node 18, not the machine's node.
for l in "$copy/libexec/lxcri-launch" "$copy/prefix/bin/lxcri"; do
  grep -qF "$node18" "$l" || { echo "test-node18: $l does not pin $node18" >&2; exit 1; }
done
cd "$copy"
LXCRI_TEST_PREFIX=$copy/prefix "$node18" node_modules/vitest/vitest.mjs run \
  test/unit test/integration/lifecycle.test.ts test/integration/installed.test.ts \
  test/integration/run.test.ts test/integration/exec.test.ts test/integration/badinput.test.ts \
  --reporter=default --reporter=json --outputFile.json="$out"
