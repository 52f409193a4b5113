#!/bin/bash
# Print shell assignments describing one of the test kernels:
#   scripts/kernel-env.sh stock|ours|debug|dev
# KERNEL_NAME KERNEL_IMAGE KERNEL_BUILD KERNEL_RELEASE (and, for ours and
# debug, KERNEL_VMLINUX KERNEL_SRC KERNEL_KEY). "ours" and "debug" build
# the kernel first when the cache does not hold it yet.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

case ${1:-} in
stock)
	# The release linux-image-amd64 points at, not the host's running one.
	dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null) || {
		echo "kernel-env: linux-image-amd64 not installed: run 'make setup'" >&2
		exit 1
	}
	rel=$(echo "$dep" | grep -o 'linux-image-[^ ,]*' | head -n1)
	rel=${rel#linux-image-}
	rel=${rel%-unsigned}
	for f in "/boot/vmlinuz-$rel" "/lib/modules/$rel/build/Makefile"; do
		[ -e "$f" ] || { echo "kernel-env: $f missing: run 'make setup'" >&2; exit 1; }
	done
	echo "KERNEL_NAME=stock"
	echo "KERNEL_IMAGE=/boot/vmlinuz-$rel"
	echo "KERNEL_BUILD=/lib/modules/$rel/build"
	echo "KERNEL_RELEASE=$rel"
	;;
ours)
	echo "KERNEL_NAME=ours"
	"$top/scripts/build-kernel.sh" --variant default --env
	;;
debug)
	echo "KERNEL_NAME=debug"
	"$top/scripts/build-kernel.sh" --variant debug --env
	;;
dev)
	# A kernel developer's own tree and build (patch work before the
	# patches land in kernel/patches): AL_DEV_SRC, built with
	# make O=AL_DEV_OBJ. Never built from here.
	src=${AL_DEV_SRC:-/var/cache/anonlazy/dev}
	obj=${AL_DEV_OBJ:-/var/cache/anonlazy/obj/dev}
	[ -f "$obj/arch/x86/boot/bzImage" ] || {
		echo "kernel-env: no $obj/arch/x86/boot/bzImage: build $src with make O=$obj" >&2
		exit 1
	}
	echo "KERNEL_NAME=dev"
	echo "KERNEL_IMAGE=$obj/arch/x86/boot/bzImage"
	echo "KERNEL_VMLINUX=$obj/vmlinux"
	echo "KERNEL_BUILD=$obj"
	echo "KERNEL_SRC=$src"
	echo "KERNEL_KEY=dev-$(stat -c %Y "$obj/arch/x86/boot/bzImage")"
	echo "KERNEL_RELEASE=$(make -s -C "$src" O="$obj" kernelrelease 2>/dev/null)"
	;;
*)
	echo "usage: kernel-env.sh stock|ours|debug|dev" >&2
	exit 2
	;;
esac
