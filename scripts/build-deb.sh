#!/bin/bash
# Build anonlazy's Debian packages (make deb): anonlazy-tools and
# anonlazy-dkms, with dpkg-buildpackage, then check them with lintian.
#
#   scripts/build-deb.sh     [VMLINUX_BTF=FILE in the environment adds
#                            anonlazy-bpf to anonlazy-tools]
#
# dpkg-buildpackage writes its results next to the source tree and leaves
# build state in debian/: it runs on a copy of the tree (the files git
# tracks or would track, as they are in the work tree) in out/deb/build/,
# so nothing is written outside out/. The results (.deb, .dsc, .tar.xz,
# .buildinfo, .changes) go to out/deb/. Needs dpkg-dev, debhelper, dh-dkms
# and lintian (make setup); no root (Rules-Requires-Root: no).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

ver=$(cat VERSION)
deb_ver=$(dpkg-parsechangelog -S Version)
if [ "$deb_ver" != "$ver" ]; then
	echo "build-deb: debian/changelog is at $deb_ver, VERSION at $ver: add a changelog entry (dch -v $ver)" >&2
	exit 1
fi
if [ -n "${VMLINUX_BTF:-}" ]; then
	[ -r "$VMLINUX_BTF" ] || { echo "build-deb: VMLINUX_BTF=$VMLINUX_BTF: not readable" >&2; exit 1; }
	VMLINUX_BTF=$(realpath "$VMLINUX_BTF")
	export VMLINUX_BTF
	echo "build-deb: anonlazy-bpf from the BTF of $VMLINUX_BTF"
else
	echo "build-deb: VMLINUX_BTF not set: anonlazy-tools without anonlazy-bpf"
fi

out=$top/out/deb
build=$out/build
src=$build/anonlazy-$ver
rm -rf "$build"
mkdir -p "$src"
# The tree as git sees it (tracked, and untracked but not ignored), without
# files deleted from the work tree.
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar -c --null -T - -f - | tar -x -f - -C "$src"

(cd "$src" && dpkg-buildpackage -us -uc -j1) > "$build/build.log" 2>&1 || {
	tail -40 "$build/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed: $build/build.log" >&2
	exit 1
}
rm -f "$out"/*.deb "$out"/*.dsc "$out"/*.tar.* "$out"/*.buildinfo "$out"/*.changes
changes=anonlazy_${ver}_$(dpkg-architecture -qDEB_HOST_ARCH).changes
for f in $(awk '/^Files:/ { f = 1; next } /^[^ ]/ { f = 0 } f { print $5 }' "$build/$changes") "$changes"; do
	mv "$build/$f" "$out/"
done
mv "$build/build.log" "$out/build.log"
rm -rf "$build"

echo "build-deb: lintian"
lintian --fail-on error,warning --display-info --pedantic "$out/$changes" | tee "$out/lintian.log" || {
	echo "build-deb: lintian failed: $out/lintian.log" >&2
	exit 1
}
for f in "$out"/*.deb; do
	echo "build-deb: $f"
	dpkg-deb -c "$f" | awk '{ print "  " $NF }'
done
