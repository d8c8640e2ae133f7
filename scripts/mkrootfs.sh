#!/bin/sh
# mkrootfs.sh DIR: a minimal busybox root file system from Debian's busybox-static.
set -eu
dir=${1:?usage: mkrootfs.sh DIR}
bb=${BUSYBOX:-/bin/busybox}
[ -x "$bb" ] || { echo "mkrootfs: $bb missing: apt-get install busybox-static (or make deps)" >&2; exit 1; }
# A dynamic busybox would find no libraries in the container.
if ldd "$bb" >/dev/null 2>&1; then echo "mkrootfs: $bb is not static: install busybox-static" >&2; exit 1; fi
mkdir -p "$dir"/bin "$dir"/etc "$dir"/proc "$dir"/sys "$dir"/dev "$dir"/tmp "$dir"/root "$dir"/run "$dir"/var
cp "$bb" "$dir/bin/busybox"
for a in $("$dir/bin/busybox" --list); do
  [ "$a" = busybox ] || ln -sf busybox "$dir/bin/$a"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >>"$dir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
