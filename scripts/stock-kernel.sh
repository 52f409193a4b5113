#!/bin/bash
# Debian's stock 6.1 kernel for the guest, never installed on the host.
#
#   scripts/stock-kernel.sh --env     fetch it if the cache lacks it, then
#                                     print KERNEL_IMAGE, KERNEL_MODULES,
#                                     KERNEL_RELEASE, KERNEL_VERSION
#   scripts/stock-kernel.sh --fetch   fetch it if the cache lacks it
#   scripts/stock-kernel.sh --plan    one line: what --fetch would download
#                                     and where ("present" when cached)
#
# The release: the one the installed linux-headers-amd64 depends on (the
# module is built against those headers, so the image must match them);
# before linux-headers-amd64 is installed (make setup's plan), the one
# linux-image-amd64 would bring (apt-cache depends), from the same source.
# The package linux-image-REL (what linux-image-amd64 depends on: vmlinuz
# and the module tree) at the headers' version is fetched with
# `apt-get download` and unpacked with `dpkg-deb -x` into
# $ANONLAZY_CACHE/stock/VERSION/ (default /var/cache/anonlazy): dpkg's
# database, /boot and /lib/modules stay untouched, no initramfs is made and
# the host's boot loader never hears of it. depmod indexes the unpacked
# tree; build and source point at the host's linux-headers, as they would
# in an installed image. The guest binds that tree over /lib/modules/REL
# (scripts/guest/initramfs-init, al_modules=), so modprobe works there.
set -euo pipefail

CACHE=${ANONLAZY_CACHE:-/var/cache/anonlazy}
mode=${1:---env}
case $mode in
--env | --fetch | --plan) ;;
*) echo "usage: stock-kernel.sh --env|--fetch|--plan" >&2; exit 2 ;;
esac
log() { echo "stock-kernel: $*" >&2; }

# rel and ver of the stock kernel.
hdr_st=$(dpkg-query -W -f='${db:Status-Abbrev}|${Depends}' linux-headers-amd64 2>/dev/null || true)
if [[ $hdr_st == ii* ]]; then
	hdr=$(grep -o 'linux-headers-[^ ,|]*' <<< "${hdr_st#*|}" | head -n1)
	rel=${hdr#linux-headers-}
	ver=$(dpkg-query -W -f='${Version}' "$hdr" 2>/dev/null) || {
		log "$hdr not installed: run 'make setup'"
		exit 1
	}
else
	[ "$mode" = --plan ] || { log "linux-headers-amd64 not installed: run 'make setup'"; exit 1; }
	img=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
	[ -n "$img" ] || { log "apt knows no linux-image-amd64: run apt-get update"; exit 1; }
	rel=${img#linux-image-}
	rel=${rel%-unsigned}
	ver=$(apt-cache show --no-all-versions "linux-image-$rel" 2>/dev/null |
		awk '$1 == "Version:" { print $2; exit }')
fi
pkg=linux-image-$rel
dir=$CACHE/stock/$ver
image=$dir/boot/vmlinuz-$rel
mods=$dir/lib/modules/$rel

present() { [ -f "$dir/.complete" ] && [ -f "$image" ] && [ -f "$mods/modules.dep" ]; }

if [ "$mode" = --plan ]; then
	if present; then
		echo "stock kernel $pkg $ver: present in $dir"
	else
		apt-cache show "$pkg=$ver" 2>/dev/null | awk -v p="$pkg" -v v="$ver" -v d="$dir" '
			$1 == "Size:" { s = $2 } $1 == "Installed-Size:" { i = $2 }
			END { if (s == "") { print "stock kernel " p " " v ": not in the apt lists"; exit 1 }
			      printf "stock kernel %s %s: download %d MB, unpack %d MB into %s (not installed on the host)\n",
			             p, v, s / 1e6, i * 1024 / 1e6, d }'
	fi
	exit 0
fi

fetch() {
	mkdir -p "$CACHE/stock"
	exec 8> "$CACHE/stock/.lock"
	flock 8
	present && return 0
	log "fetching $pkg $ver into $dir (apt-get download, dpkg-deb -x: not installed on the host)"
	tmp=$(mktemp -d "$CACHE/stock/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# apt downloads as _apt when it can: let it write there.
	[ "$(id -u)" -eq 0 ] && id _apt > /dev/null 2>&1 && chown _apt "$tmp"
	if ! (cd "$tmp" && apt-get -q -o Acquire::Retries=3 download "$pkg=$ver" >&2); then
		log "cannot download $pkg=$ver: is apt reachable, and does it still offer"
		log "that version (apt-get update; apt-get install linux-headers-amd64 moves both on)?"
		exit 1
	fi
	deb=$(echo "$tmp"/*.deb)
	dpkg-deb -x "$deb" "$tmp/root"
	# Unmerged or merged /usr: take the tree wherever the package put it.
	if [ ! -d "$tmp/root/lib/modules/$rel" ] && [ -d "$tmp/root/usr/lib/modules/$rel" ]; then
		mkdir -p "$tmp/root/lib/modules"
		mv "$tmp/root/usr/lib/modules/$rel" "$tmp/root/lib/modules/$rel"
	fi
	[ -f "$tmp/root/boot/vmlinuz-$rel" ] && [ -d "$tmp/root/lib/modules/$rel/kernel" ] || {
		log "$deb holds no boot/vmlinuz-$rel and lib/modules/$rel"
		exit 1
	}
	depmod -b "$tmp/root" "$rel"
	# As in an installed image with its headers.
	ln -sfn "/usr/src/linux-headers-$rel" "$tmp/root/lib/modules/$rel/build"
	ln -sfn "/usr/src/linux-headers-${rel%-*}-common" "$tmp/root/lib/modules/$rel/source"
	echo "$pkg $ver $(sha256sum "$deb" | cut -d' ' -f1)" > "$tmp/root/.complete"
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
	rm -rf "$tmp"
	trap - EXIT
	log "$pkg $ver: $(du -sh "$dir" | cut -f1) in $dir"
}

present || fetch
[ "$mode" = --fetch ] && exit 0
echo "KERNEL_IMAGE=$image"
echo "KERNEL_MODULES=$mods"
echo "KERNEL_RELEASE=$rel"
echo "KERNEL_VERSION=$ver"
