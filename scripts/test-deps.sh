#!/bin/bash
# test-deps.sh: install what only the tests need (run by `make test`, as root, Debian 12).
# `make deps` installs what building and running lxcri need; nothing here is needed by a
# node that only runs containers, so a Kubernetes node never gets qemu or a second kernel.
#   podman, conmon, runc, crun: managers and reference runtimes the tests compare with
#   uidmap, tmux: user-namespace and terminal tests
#   procps: pgrep in the podman and terminal tests (make deps has it too, for lxcri ps)
#   python3 (make deps has it too): the tests' console-socket receivers, seccomp agent and racers
#   groff-base, man-db: the man-page tests render every page
#   systemd, util-linux: systemd-socket-activate and setpriv in the lxcri service's tests
#   qemu-system-x86, linux-image-cloud-amd64, busybox-static, kmod: the pure cgroup v2 VM
#     (test/cgroup2-vm: qemu, its kernel, the guest's initramfs, modprobe)
#   Debian's nodejs 18 (unpacked, not installed): the Node 18 tests (scripts/test-node18.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test-deps: run as root" >&2; exit 1; }

PACKAGES=(podman conmon runc crun uidmap tmux procps python3 qemu-system-x86 linux-image-cloud-amd64 busybox-static kmod groff-base man-db systemd util-linux)
# Debian's node 18 loads these from /usr/share/nodejs and its shared libraries.
NODE18_RUNTIME=(libc-ares2 libuv1 libbrotli1 libicu72 libnghttp2-14 node-acorn node-cjs-module-lexer node-undici)
NODE18_DEBS=(nodejs libnode108)
NODE18_DIR=.test-cache/node18

missing=()
for p in "${PACKAGES[@]}" "${NODE18_RUNTIME[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ! -x "$NODE18_DIR/node" ] || [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-deps: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# Debian 12's own nodejs (18.x), unpacked beside the tree: the machine keeps its Node.
if [ ! -x "$NODE18_DIR/node" ]; then
  rm -rf "$NODE18_DIR" && mkdir -p "$NODE18_DIR/debs"
  candidate=$(apt-cache madison nodejs | awk '$3 ~ /^18\./ { print $3; exit }')
  [ -n "$candidate" ] || { echo "test-deps: Debian's nodejs 18 is not in the apt sources" >&2; exit 1; }
  (cd "$NODE18_DIR/debs" && apt-get download "nodejs=$candidate" "libnode108=$candidate" </dev/null) 2>&1 |
    grep -v 'couldn.t be accessed by user' || true
  for deb in "$NODE18_DIR"/debs/*.deb; do dpkg-deb -x "$deb" "$NODE18_DIR/root"; done
  cat >"$NODE18_DIR/node" <<WRAP
#!/bin/sh
# Debian's nodejs $candidate, unpacked by scripts/test-deps.sh.
LD_LIBRARY_PATH=$PWD/$NODE18_DIR/root/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH} exec $PWD/$NODE18_DIR/root/usr/bin/node "\$@"
WRAP
  chmod 0755 "$NODE18_DIR/node"
fi
"$NODE18_DIR/node" -e 'if (!process.version.startsWith("v18.")) { console.error("test-deps: " + process.version + " is not Node 18"); process.exit(1) }'
