#!/bin/bash
# Build the test kernel with one more diff on top of kernel/patches, to
# show that a test fails without a fix the series carries (a "before"
# kernel), then put the tree and the object directory back.
#
#   scripts/repro-kernel.sh tests/repro/NAME.diff
#
# The diff is applied with patch -p1 to the default variant's tree, built
# incrementally in its object directory (a minute or two for a change to
# one file), and the image is kept as $ANONLAZY_CACHE/repro/NAME/bzImage
# (with vmlinux); then the diff is reversed and the objects rebuilt, so
# the cached kernel and the modules built against it are what they were.
# Holds the build lock throughout. Run a guest suite on the result, with
# modules built for it (their BTF must match its vmlinux), with
#   scripts/repro-run.sh NAME SUITE
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: repro-kernel.sh tests/repro/NAME.diff" >&2; exit 2; }
diff=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
name=$(basename "$diff" .diff)

eval "$("$top/scripts/build-kernel.sh" --variant default --env)"
CACHE=${ANONLAZY_CACHE:-/var/cache/anonlazy}
out=$CACHE/repro/$name
SRC=$KERNEL_SRC
OBJ=$KERNEL_BUILD

export PATH=/usr/lib/ccache:$PATH
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_BASEDIR=$CACHE
MAKE=(make --no-print-directory -C "$SRC" O="$OBJ" -j"$(nproc)")

exec 9>"$CACHE/lock"
flock 9
[ -z "$(git -C "$SRC" status --porcelain --untracked-files=no)" ] || {
	echo "repro-kernel: $SRC has changes: not touching it" >&2
	exit 1
}
restore() {
	git -C "$SRC" checkout -q -- .
	echo "repro-kernel: restoring the objects of kernel $KERNEL_KEY"
	"${MAKE[@]}" all > "$OBJ/repro-restore.log" 2>&1 ||
		{ tail -n 20 "$OBJ/repro-restore.log" >&2; echo "repro-kernel: restore build failed" >&2; exit 1; }
	# The relink is the same code but not the same BTF (pahole's output
	# is not byte-stable), and modules take their BTF base from
	# $OBJ/vmlinux: give them the booted kernel's again (newer than
	# vmlinux.o, so make keeps it).
	cp "$(dirname "$KERNEL_IMAGE")/vmlinux" "$OBJ/vmlinux"
	cp "$(dirname "$KERNEL_IMAGE")/System.map" "$OBJ/System.map"
}
trap restore EXIT
patch -s -p1 -d "$SRC" < "$diff"
echo "repro-kernel: building $KERNEL_KEY + $name"
if ! "${MAKE[@]}" all > "$OBJ/repro.log" 2>&1; then
	tail -n 40 "$OBJ/repro.log" >&2
	echo "repro-kernel: the kernel with $name does not build" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$out"
cp "$OBJ/arch/x86/boot/bzImage" "$OBJ/vmlinux" "$out/"
echo "$KERNEL_KEY + $name" > "$out/what"
echo "repro-kernel: $out/bzImage"
echo "repro-kernel: run a suite on it: scripts/repro-run.sh $name SUITE"
