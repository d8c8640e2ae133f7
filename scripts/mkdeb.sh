#!/bin/sh
# mkdeb.sh STAGE OUTDIR: packs a `make install DESTDIR=STAGE PREFIX=/usr` tree into
# OUTDIR/lxcri_<version>_<arch>.deb (run by `make deb`). Library dependencies come from
# dpkg-shlibdeps over the tree's ELF files; conffiles are whatever is under /etc.
set -eu
stage=$1
out=$2
[ -d "$stage/usr/bin" ] || { echo "mkdeb: $stage is not a staged install" >&2; exit 1; }
version=$(node -p 'require("./package.json").version')
arch=$(dpkg --print-architecture)
deb=$out/lxcri_${version}_${arch}.deb
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Debian ships man pages compressed; the V8 code cache is made by postinst, since it
# names the installed file's inode.
find "$stage/usr/share/man" -name '*.8' -exec gzip -9n {} +
rm -f "$stage/usr/lib/lxcri/lxcri-main.cjs.cache"
install -D -m 0644 pkg/deb/copyright "$stage/usr/share/doc/lxcri/copyright"
# Debian ships binaries without their symbol tables (the build tree keeps them).
for f in $(find "$stage/usr" -type f); do
  if [ "$(head -c 4 "$f")" = "$(printf '\177ELF')" ]; then strip --strip-unneeded "$f"; fi
done

# Shared-library dependencies of every dynamically linked file (lxcri-init is static;
# the addon's napi_* symbols come from node, hence no warnings).
# (dpkg-shlibdeps finds the package's root by its DEBIAN directory.)
mkdir -p "$work/debian" "$stage/DEBIAN"
printf 'Source: lxcri\n\nPackage: lxcri\nArchitecture: any\n' >"$work/debian/control"
root=$(realpath "$stage")
elves=
for f in $(find "$root" -type f ! -path "$root/DEBIAN/*"); do
  if readelf -d "$f" 2>/dev/null | grep -q NEEDED; then elves="$elves $f"; fi
done
shlibs=$(cd "$work" && dpkg-shlibdeps --warnings=0 -O $elves | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "mkdeb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

install -m 0755 pkg/deb/postinst pkg/deb/prerm pkg/deb/postrm "$stage/DEBIAN/"
(cd "$stage" && find etc -type f | sed 's|^|/|' | sort) >"$stage/DEBIAN/conffiles"
(cd "$stage" && find . -type f ! -path './DEBIAN/*' | sed 's|^\./||' | sort | xargs md5sum) >"$stage/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: lxcri
Version: $version
Architecture: $arch
Maintainer: ${DEB_MAINTAINER:-lxcri developers <lxcri@localhost>}
Installed-Size: $size
Depends: ${DEB_NODE_DEPENDS:-nodejs (>= 18)}, procps, $shlibs
Recommends: logrotate
Suggests: conmon, podman
Section: admin
Priority: optional
Description: OCI container runtime on liblxc
 lxcri runs OCI runtime-spec bundles through liblxc, with one small C monitor
 per container. It is a drop-in runtime for CRI-O (through conmon) and podman.
CONTROL
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "mkdeb: built $deb"
