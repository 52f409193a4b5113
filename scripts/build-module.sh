#!/bin/bash
# Build anonlazy.ko for one test kernel: scripts/build-module.sh stock|ours|debug
# The sources are copied to out/kmod/<release>/ so builds for different
# kernels never share objects. Prints the path of the .ko on success.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
eval "$("$top/scripts/kernel-env.sh" "$1")"

dir=$top/out/kmod/$KERNEL_RELEASE
mkdir -p "$dir"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' "$top/module" "$dir/"
rsync -a --delete "$top/include" "$dir/"
cp -p "$top/Kbuild" "$dir/Kbuild"
if ! make -C "$KERNEL_BUILD" M="$dir" modules > "$dir/build.log" 2>&1; then
	cat "$dir/build.log" >&2
	echo "build-module: build against $KERNEL_RELEASE failed" >&2
	exit 1
fi
if grep -E 'warning:' "$dir/build.log" >&2; then
	echo "build-module: warnings against $KERNEL_RELEASE" >&2
	exit 1
fi
echo "$dir/anonlazy.ko"
