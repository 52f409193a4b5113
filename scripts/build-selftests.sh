#!/bin/bash
# Build the mm selftests shipped in linux-source-6.12 on the host, against
# our kernel's uapi headers. Prints the directory that holds them.
# Cached in $ANONLAZY_CACHE/selftests-mm/<source version>: our patches do
# not touch the uapi, so one build serves every kernel variant.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
eval "$("$top/scripts/kernel-env.sh" ours 2>/dev/null)"
CACHE=${ANONLAZY_CACHE:-/var/cache/anonlazy}
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
out=$CACHE/selftests-mm/$srcver
hdr=$CACHE/selftests-mm/headers-$srcver

if [ ! -f "$out/.built" ]; then
	make -s -C "$KERNEL_SRC" O="$KERNEL_BUILD" headers_install \
		INSTALL_HDR_PATH="$hdr" >&2
	mkdir -p "$out"
	# 6.12.117's khugepaged.c uses KSFT_SKIP without including
	# kselftest.h: include it everywhere (it has an include guard).
	st=$KERNEL_SRC/tools/testing/selftests
	if ! make -C "$st/mm" -j"$(nproc)" \
		OUTPUT="$out" KHDR_INCLUDES="-isystem $hdr/include" \
		USERCFLAGS="-include $st/kselftest.h" \
		> "$out/build.log" 2>&1; then
		tail -n 30 "$out/build.log" >&2
		echo "build-selftests: failed; log in $out/build.log" >&2
		exit 1
	fi
	touch "$out/.built"
fi
echo "$out"
