#!/bin/bash
# Install every Debian package anonlazy needs. Idempotent: when all are
# present it does nothing; apt waits on the dpkg lock instead of failing.
set -euo pipefail

PKGS=(
	# the two test kernels and the guest
	qemu-system-x86 busybox-static cpio
	linux-image-amd64 linux-headers-amd64 linux-source-6.12
	# kernel build
	build-essential bc bison flex libelf-dev libssl-dev dwarves kmod ccache
	xz-utils zstd rsync git
	# BPF and tracing
	clang llvm libbpf-dev bpftool linux-perf bpftrace
	zlib1g-dev
	# guest workloads and helpers
	stress-ng python3
	# mm selftests of linux-source-6.12
	libnuma-dev libcap-dev
	# anonlazy-top's host tests: promtool check metrics
	prometheus
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[[ $st == ii* ]] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all ${#PKGS[@]} packages present"
	exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "setup: installing ${missing[*]}"
APT=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
$SUDO "${APT[@]}" update -qq
DEBIAN_FRONTEND=noninteractive $SUDO "${APT[@]}" install -y -qq \
	"${missing[@]}"
echo "setup: done"
