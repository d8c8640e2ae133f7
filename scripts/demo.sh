#!/bin/bash
# demo.sh: run the embedded busybox bundle through the whole lifecycle with the lxcri of
# this build tree, printing the container's output and its state after each step.
set -euo pipefail
cd "$(dirname "$0")/.."
export LXCRI_MAIN=$PWD/dist/lxcri.cjs
lxcri=(libexec/lxcri-launch --root /run/lxcri-demo --log-file /var/log/lxcri/demo.log)
bundle=examples/busybox
id=demo-$$
[ "$(id -u)" = 0 ] || { echo "demo: run as root (containers need it)" >&2; exit 1; }
[ -x "$bundle/rootfs/bin/busybox" ] || scripts/mkrootfs.sh "$bundle/rootfs"

status() { "${lxcri[@]}" state "$id" | jq -r '"state: \(.status) (pid \(.pid))"'; }
# liblxc's lock dir of the demo's root outlives its containers; the root's lxcri service
# (bin/lxcri started it) exits within a second once its socket is gone.
trap '"${lxcri[@]}" delete --force "$id" >/dev/null 2>&1 || true; rm -rf /run/lxc/lock/run/lxcri-demo; rm -f /run/lxcri-demo/.lxcri.sock /run/lxcri-demo/.lxcri.lock /run/lxcri-demo/.lxcri.start; rmdir /run/lxcri-demo 2>/dev/null || true' EXIT

echo "# lxcri create --bundle $bundle $id"
"${lxcri[@]}" create --bundle "$bundle" "$id"
status
echo "# lxcri start $id"
"${lxcri[@]}" start "$id"
status
while [ "$("${lxcri[@]}" state "$id" | jq -r .status)" != stopped ]; do sleep 0.1; done
status
echo "# lxcri delete $id"
"${lxcri[@]}" delete "$id"
"${lxcri[@]}" state "$id" 2>&1 || true
echo "# lxcri run (exit status of the container is lxcri's)"
set +e
"${lxcri[@]}" run --bundle "$bundle" "$id-run"
echo "exit status: $?"
