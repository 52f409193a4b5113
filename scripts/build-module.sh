#!/bin/bash
# Build anonlazy.ko for one test kernel: scripts/build-module.sh stock|ours|debug
# The sources are copied to out/kmod/<release>/ so builds for different
# kernels never share objects. Prints the path of the .ko on success.
#
#   scripts/build-module.sh KERNEL almech   the bench's probe module
#                                           (tests/kmod/) instead, in
#                                           out/kmod-almech/<release>/
#   scripts/build-module.sh KERNEL alrace   the lazy walk's race window
#                                           (tests/kmod/), for lazy.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
what=${2:-anonlazy}
case $what in
anonlazy | almech | alrace) ;;
*) echo "usage: build-module.sh stock|ours|debug [anonlazy|almech|alrace]" >&2; exit 2 ;;
esac
eval "$("$top/scripts/kernel-env.sh" "$1")"

if [ "$what" != anonlazy ]; then
	dir=$top/out/kmod-$what/$KERNEL_RELEASE
	mkdir -p "$dir"
	cp -p "$top/tests/kmod/$what.c" "$dir/"
	echo "obj-m := $what.o" > "$dir/Kbuild"
else
	dir=$top/out/kmod/$KERNEL_RELEASE
	mkdir -p "$dir"
	rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
		--exclude '*.mod*' "$top/module" "$dir/"
	rsync -a --delete "$top/include" "$dir/"
	cp -p "$top/Kbuild" "$dir/Kbuild"
fi
# A rebuilt kernel (same release, new key) needs a clean module build:
# module BTF must match the kernel's, or the module will not load.
id="$KERNEL_RELEASE ${KERNEL_KEY:-stock}"
if [ "$(cat "$dir/.kernel-id" 2>/dev/null)" != "$id" ]; then
	make -C "$KERNEL_BUILD" M="$dir" clean > /dev/null 2>&1 || true
	echo "$id" > "$dir/.kernel-id"
fi
if ! make -C "$KERNEL_BUILD" M="$dir" modules > "$dir/build.log" 2>&1; then
	cat "$dir/build.log" >&2
	echo "build-module: build against $KERNEL_RELEASE failed" >&2
	exit 1
fi
if grep -E 'warning:' "$dir/build.log" >&2; then
	echo "build-module: warnings against $KERNEL_RELEASE" >&2
	exit 1
fi
echo "$dir/$what.ko"
