#!/bin/bash
# Install every Debian package anonlazy needs, and fetch the stock guest
# kernel into the cache.
#
#   scripts/setup.sh             print the plan, then install and fetch
#   scripts/setup.sh --dry-run   print the plan only: change nothing
#   scripts/setup.sh --list      print the package list (PKGS below)
#
# Idempotent: when all packages are present and the stock kernel is in the
# cache it does nothing. apt installs with --no-install-recommends (QEMU's
# recommends alone are ~200 packages: GTK, Mesa, speech data) and waits on
# the dpkg lock instead of failing. The plan (packages, download size, disk
# space) is printed before anything is installed.
#
# Debian's kernel image is not installed on the host: linux-image-amd64
# would put a new default boot kernel into /boot. scripts/stock-kernel.sh
# downloads the image package and unpacks it into the cache instead.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

# The one list of packages.
PKGS=(
	# the guest: QEMU (its Depends bring SeaBIOS, iPXE's option ROMs
	# and qemu-system-data, all it needs), the initramfs, the headers
	# the module builds against for the stock kernel (its image is
	# fetched into the cache, see above), our kernel's source
	qemu-system-x86 busybox-static cpio
	linux-headers-amd64 linux-source-6.12
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
	# anonlazy-top's host tests: promtool check metrics; its screen in
	# a terminal (tests/host/test_top_tty.sh)
	prometheus tmux
	# make deb (dpkg-buildpackage, dh_dkms, lintian) and the DKMS build
	# of the module against Debian's headers
	debhelper dh-dkms lintian dkms
	# make plots, and the end of make bench: the figures in docs/img/
	# (scripts/plots.sh; PNG through cairo, and SVG)
	gnuplot-nox
	# make fuzz (tests/fuzz/): libFuzzer's runtime for clang-14, the
	# clang of clang above; tests/host/test_argfuzz.sh: strace shows
	# that anonlazy-bpf makes no bpf() call there
	libclang-rt-14-dev strace
)

dry=0
case ${1:-} in
'') ;;
--dry-run) dry=1 ;;
--list) printf '%s\n' "${PKGS[@]}"; exit 0 ;;
*) echo "usage: setup.sh [--dry-run|--list]" >&2; exit 2 ;;
esac

# One dpkg-query for all: the fast path stays fast.
declare -A installed=()
while read -r p st; do
	[[ $st == ii* ]] && installed[${p%%:*}]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PKGS[@]}" 2>/dev/null || true)
missing=()
for p in "${PKGS[@]}"; do
	[ -n "${installed[$p]:-}" ] || missing+=("$p")
done
# (Before apt-get update on a fresh machine apt may not know the kernel yet.)
stock_plan=$("$top/scripts/stock-kernel.sh" --plan 2>/dev/null) || stock_plan=

if [ ${#missing[@]} -eq 0 ] && [[ $stock_plan == *": present in "* ]]; then
	echo "setup: all ${#PKGS[@]} packages present; ${stock_plan#stock kernel }"
	exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
APT=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

if [ ${#missing[@]} -gt 0 ]; then
	# --dry-run changes nothing: not even the package lists.
	[ $dry -eq 1 ] || $SUDO "${APT[@]}" update -qq
	echo "setup: missing: ${missing[*]}"
	echo "setup: apt-get install --no-install-recommends will do this:"
	# --print-uris: apt prints its whole plan (the packages, what to
	# download, the disk space), then the URIs instead of fetching and
	# installing. (Not --assume-no: apt asks nothing, and so installs,
	# when it adds no package beyond those named.)
	if ! plan=$($SUDO "${APT[@]}" install --no-install-recommends --print-uris -y \
		"${missing[@]}" 2>&1) || grep -q '^E:' <<< "$plan"; then
		echo "$plan" >&2
		echo "setup: apt cannot install that" >&2
		exit 1
	fi
	grep -vE "^(Reading package lists|Building dependency tree|Reading state information|')" <<< "$plan" |
		sed 's/^/  /'
	new=$(awk '/^The following NEW packages/ { f = 1; next } /^[^ ]/ { f = 0 } f' <<< "$plan")
	if grep -qw 'linux-image-[^ ]*' <<< "$new"; then
		echo "setup: apt would install a linux-image package into /boot: refusing" >&2
		exit 1
	fi
fi
# After linux-headers-amd64 is installed, the stock kernel follows its
# release; before, the one linux-image-amd64 would bring (the same).
stock_plan=$("$top/scripts/stock-kernel.sh" --plan)
echo "setup: $stock_plan"

if [ $dry -eq 1 ]; then
	echo "setup: --dry-run: nothing installed"
	exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive $SUDO "${APT[@]}" install -y -qq \
		--no-install-recommends "${missing[@]}"
fi
$SUDO "$top/scripts/stock-kernel.sh" --fetch
echo "setup: done"
