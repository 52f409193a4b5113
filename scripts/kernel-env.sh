#!/bin/bash
# Print shell assignments describing one of the test kernels:
#   scripts/kernel-env.sh stock|ours|debug|dev
# KERNEL_NAME KERNEL_IMAGE KERNEL_BUILD KERNEL_RELEASE (and, for stock,
# KERNEL_MODULES KERNEL_VERSION; for ours and debug, KERNEL_VMLINUX
# KERNEL_SRC KERNEL_KEY). "stock" downloads and unpacks Debian's image into
# the cache, "ours" and "debug" build the kernel, when the cache does not
# hold it yet.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

case ${1:-} in
stock)
	# Debian's 6.1 image, unpacked into the cache, never installed on the
	# host (scripts/stock-kernel.sh fetches it when the cache lacks it);
	# the module builds against the host's linux-headers of that release.
	env=$("$top/scripts/stock-kernel.sh" --env)
	eval "$env"
	f=/lib/modules/$KERNEL_RELEASE/build/Makefile
	[ -e "$f" ] || { echo "kernel-env: $f missing: run 'make setup'" >&2; exit 1; }
	echo "KERNEL_NAME=stock"
	echo "$env"
	echo "KERNEL_BUILD=/lib/modules/$KERNEL_RELEASE/build"
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
	# make O=AL_DEV_OBJ. Never built from here. AL_DEV_IMAGE: a copy of
	# an image built there (scripts/series-steps.sh keeps one per step).
	src=${AL_DEV_SRC:-/var/cache/anonlazy/dev}
	obj=${AL_DEV_OBJ:-/var/cache/anonlazy/obj/dev}
	img=${AL_DEV_IMAGE:-$obj/arch/x86/boot/bzImage}
	[ -f "$img" ] || {
		echo "kernel-env: no $img: build $src with make O=$obj" >&2
		exit 1
	}
	echo "KERNEL_NAME=dev"
	echo "KERNEL_IMAGE=$img"
	if [ -n "${AL_DEV_IMAGE:-}" ]; then
		echo "KERNEL_VMLINUX=$(dirname "$img")/vmlinux"
	else
		echo "KERNEL_VMLINUX=$obj/vmlinux"
	fi
	echo "KERNEL_BUILD=$obj"
	echo "KERNEL_SRC=$src"
	echo "KERNEL_KEY=dev-$(stat -c %Y "$img")"
	echo "KERNEL_RELEASE=$(make -s -C "$src" O="$obj" kernelrelease 2>/dev/null)"
	;;
*)
	echo "usage: kernel-env.sh stock|ours|debug|dev" >&2
	exit 2
	;;
esac
